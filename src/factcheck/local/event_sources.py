"""The SQS event sources of template.yaml, resolved against the queues the settings name.

An `SqsEventSource` is what Lambda's event-source mapping knows about one SQS trigger: the
function and its handler, the queue (URL and ARN), batch size, visibility timeout, the
redrive limit and DLQ, the function's timeout and memory, and its maximum concurrency.
(Not to be confused with `domain.models.Source`, a piece of evidence on a claim.)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factcheck.local.resources import QUEUE_SETTINGS_FIELD
from factcheck.observability import logger
from factcheck.settings import Settings
from factcheck.template import TemplateError, event_sources, load_template, queue_specs

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient


@dataclass(frozen=True)
class SqsEventSource:
    """One SQS event source, resolved against the settings' queues."""

    function: str
    handler_path: str
    queue_logical_id: str
    queue_url: str
    queue_arn: str
    batch_size: int
    visibility_timeout: int
    max_receive_count: int | None
    dlq_url: str | None
    report_batch_item_failures: bool
    timeout_seconds: int
    memory_mb: int
    enforce_redrive: bool  # the queue has no redrive policy: the poller applies the template's
    concurrency: int = 1  # the event's ScalingConfig.MaximumConcurrency (1 when absent)


def queue_url(settings: Settings, logical_id: str) -> str:
    """The URL the settings give the template's queue `logical_id`."""
    field_name = QUEUE_SETTINGS_FIELD.get(logical_id)
    url = getattr(settings, field_name) if field_name else None
    if not url:
        raise TemplateError(f"no URL for queue {logical_id} in settings ({field_name})")
    return str(url)


def _function_setting(template: dict[str, Any], function: str, key: str, default: int) -> int:
    props = template["Resources"][function].get("Properties", {})
    globals_ = template.get("Globals", {}).get("Function", {})
    return int(props.get(key, globals_.get(key, default)))


def resolve_event_sources(
    settings: Settings, client: SQSClient, template_path: Path | str | None = None
) -> list[SqsEventSource]:
    """Every SQS event source of the template, with its queue's ARN and redrive policy read
    from the endpoint (a policy that differs from the template's is logged)."""
    template = load_template(template_path)
    queues = queue_specs(template)
    resolved: list[SqsEventSource] = []
    for es in event_sources(template):
        spec = queues[es.queue_logical_id]
        url = queue_url(settings, es.queue_logical_id)
        attrs = client.get_queue_attributes(
            QueueUrl=url, AttributeNames=["QueueArn", "RedrivePolicy"]
        )["Attributes"]
        policy = json.loads(attrs["RedrivePolicy"]) if attrs.get("RedrivePolicy") else None
        if (
            policy
            and spec.max_receive_count is not None
            and int(policy["maxReceiveCount"]) != spec.max_receive_count
        ):
            logger.warning(
                "queue redrive policy differs from template.yaml",
                extra={"queue": es.queue_logical_id, "queue_policy": policy},
            )
        function = es.function_logical_id
        resolved.append(
            SqsEventSource(
                function=function,
                handler_path=es.handler,
                queue_logical_id=es.queue_logical_id,
                queue_url=url,
                queue_arn=attrs["QueueArn"],
                batch_size=es.batch_size,
                visibility_timeout=spec.visibility_timeout,
                max_receive_count=spec.max_receive_count,
                dlq_url=queue_url(settings, spec.dlq_logical_id) if spec.dlq_logical_id else None,
                report_batch_item_failures=es.report_batch_item_failures,
                timeout_seconds=_function_setting(template, function, "Timeout", 3),
                memory_mb=_function_setting(template, function, "MemorySize", 128),
                enforce_redrive=policy is None and spec.max_receive_count is not None,
                concurrency=max(1, es.maximum_concurrency or 1),
            )
        )
    return resolved
