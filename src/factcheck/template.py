"""Read resources from template.yaml, the one source of truth for local and cloud.

The local stack, the event-source poller and the tests create their table and queues from
these specs, so the emulated resources cannot drift from what `sam deploy` creates.
Parsing uses cfn-lint's decoder (it understands !Ref, !GetAtt, !Sub), not a hand-made YAML
loader. cfn-lint is a `local` extra: Lambda functions never import this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from factcheck.domain.errors import FactcheckError

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_TEMPLATE = REPO_ROOT / "template.yaml"


class TemplateError(FactcheckError):
    code = "template_error"


@dataclass(frozen=True)
class QueueSpec:
    logical_id: str
    attributes: dict[str, str]  # SQS CreateQueue attributes, RedrivePolicy excluded
    dlq_logical_id: str | None
    max_receive_count: int | None

    @property
    def visibility_timeout(self) -> int:
        return int(self.attributes.get("VisibilityTimeout", "30"))


@dataclass(frozen=True)
class EventSourceSpec:
    function_logical_id: str
    handler: str  # e.g. functions/extract/app.lambda_handler
    queue_logical_id: str
    batch_size: int
    report_batch_item_failures: bool
    # ScalingConfig.MaximumConcurrency: at most this many concurrent invocations for the
    # source (AWS: 2-1000, unbounded when absent; the local poller runs 1 when absent)
    maximum_concurrency: int | None = None


@lru_cache(maxsize=4)
def _load(path: Path) -> dict[str, Any]:
    from cfnlint.decode import decode  # imported lazily: heavy, and local-only

    template, errors = decode(str(path))
    if errors or template is None:
        raise TemplateError(f"cannot parse {path}: {errors}")
    return dict(template)


def load_template(path: Path | str | None = None) -> dict[str, Any]:
    """The decoded template (cached per path)."""
    return _load(Path(path or DEFAULT_TEMPLATE).resolve())


def _resources(template: dict[str, Any], rtype: str) -> dict[str, dict[str, Any]]:
    return {
        name: res.get("Properties", {})
        for name, res in template.get("Resources", {}).items()
        if res.get("Type") == rtype
    }


def _ref_target(value: Any) -> str | None:
    """Logical id behind {"Ref": X} or {"Fn::GetAtt": [X, attr]}."""
    if isinstance(value, dict):
        if "Ref" in value:
            return str(value["Ref"])
        if "Fn::GetAtt" in value:
            att = value["Fn::GetAtt"]
            return str(att[0] if isinstance(att, list) else str(att).split(".")[0])
    return None


def table_spec(template: dict[str, Any], table_name: str) -> dict[str, Any]:
    """CreateTable kwargs for the single table, named `table_name` (names are per deployment)."""
    tables = _resources(template, "AWS::DynamoDB::Table")
    if len(tables) != 1:
        raise TemplateError(f"expected exactly one table, found {sorted(tables)}")
    props = next(iter(tables.values()))
    kwargs: dict[str, Any] = {
        "TableName": table_name,
        "AttributeDefinitions": props["AttributeDefinitions"],
        "KeySchema": props["KeySchema"],
        "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST"),
    }
    if props.get("GlobalSecondaryIndexes"):
        kwargs["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
    return kwargs


def queue_specs(template: dict[str, Any]) -> dict[str, QueueSpec]:
    """Every queue by logical id, with its attributes and its DLQ link."""
    specs: dict[str, QueueSpec] = {}
    for name, props in _resources(template, "AWS::SQS::Queue").items():
        attrs: dict[str, str] = {
            key: str(props[key])
            for key in ("VisibilityTimeout", "MessageRetentionPeriod", "DelaySeconds")
            if key in props
        }
        redrive = props.get("RedrivePolicy") or {}
        specs[name] = QueueSpec(
            logical_id=name,
            attributes=attrs,
            dlq_logical_id=_ref_target(redrive.get("deadLetterTargetArn")),
            max_receive_count=int(redrive["maxReceiveCount"]) if redrive else None,
        )
    return specs


def _maximum_concurrency(event_properties: dict[str, Any]) -> int | None:
    value = (event_properties.get("ScalingConfig") or {}).get("MaximumConcurrency")
    return int(value) if value is not None else None


def event_sources(template: dict[str, Any]) -> list[EventSourceSpec]:
    """SQS event sources of the functions: which handler consumes which queue, and how."""
    sources: list[EventSourceSpec] = []
    for name, props in _resources(template, "AWS::Serverless::Function").items():
        for event in (props.get("Events") or {}).values():
            if event.get("Type") != "SQS":
                continue
            ev = event.get("Properties", {})
            queue = _ref_target(ev.get("Queue"))
            if queue is None:
                raise TemplateError(f"{name}: SQS event without a queue reference")
            sources.append(
                EventSourceSpec(
                    function_logical_id=name,
                    handler=str(props["Handler"]),
                    queue_logical_id=queue,
                    batch_size=int(ev.get("BatchSize", 10)),
                    report_batch_item_failures="ReportBatchItemFailures"
                    in (ev.get("FunctionResponseTypes") or []),
                    maximum_concurrency=_maximum_concurrency(ev),
                )
            )
    return sources
