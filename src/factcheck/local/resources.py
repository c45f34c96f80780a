"""Create the table and queues of template.yaml on an endpoint (moto server or LocalStack)."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

from factcheck.settings import Settings
from factcheck.template import load_template, queue_specs, table_spec

# Settings field that receives each queue's URL, by template logical id.
QUEUE_SETTINGS_FIELD = {
    "DocumentsQueue": "documents_queue_url",
    "ClaimsQueue": "claims_queue_url",
    "DocumentsDLQ": "documents_dlq_url",
    "ClaimsDLQ": "claims_dlq_url",
    "WebhooksQueue": "webhooks_queue_url",
    "WebhooksDLQ": "webhooks_dlq_url",
}


@dataclass(frozen=True)
class CreatedResources:
    table_name: str
    queue_urls: dict[str, str]  # logical id -> URL


def create_table(settings: Settings, template: dict[str, Any]) -> str:
    ddb = boto3.client("dynamodb", **settings.boto_kwargs())
    # Already there is fine: creating resources is idempotent.
    with contextlib.suppress(ddb.exceptions.ResourceInUseException):
        ddb.create_table(**table_spec(template, settings.table_name))
    ddb.get_waiter("table_exists").wait(
        TableName=settings.table_name, WaiterConfig={"Delay": 1, "MaxAttempts": 60}
    )
    return settings.table_name


def create_queues(settings: Settings, template: dict[str, Any], prefix: str) -> dict[str, str]:
    """Create DLQs first, then the queues that redrive to them. Returns logical id -> URL."""
    sqs = boto3.client("sqs", **settings.boto_kwargs())
    specs = queue_specs(template)
    urls: dict[str, str] = {}
    ordered = sorted(specs.values(), key=lambda s: s.dlq_logical_id is not None)
    for spec in ordered:
        attrs: Any = dict(spec.attributes)  # boto3-stubs wants literal attribute names
        if spec.dlq_logical_id:
            dlq_arn = sqs.get_queue_attributes(
                QueueUrl=urls[spec.dlq_logical_id], AttributeNames=["QueueArn"]
            )["Attributes"]["QueueArn"]
            attrs["RedrivePolicy"] = json.dumps(
                {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": spec.max_receive_count}
            )
        name = f"{prefix}-{spec.logical_id}"
        urls[spec.logical_id] = sqs.create_queue(QueueName=name, Attributes=attrs)["QueueUrl"]
    return urls


def provision(
    settings: Settings, *, prefix: str = "factcheck", template_path: Path | None = None
) -> Settings:
    """Create every resource and return settings pointing at them."""
    template = load_template(template_path)
    create_table(settings, template)
    urls = create_queues(settings, template, prefix)
    update = {field: urls[lid] for lid, field in QUEUE_SETTINGS_FIELD.items() if lid in urls}
    return settings.model_copy(update=update)
