"""The local resources are created from template.yaml, so local and cloud cannot drift."""

from __future__ import annotations

import json

import boto3
import pytest

from factcheck.settings import Settings
from factcheck.template import event_sources, load_template, queue_specs

pytestmark = pytest.mark.unit


def test_every_queue_in_the_template_has_a_dead_letter_queue_or_is_one() -> None:
    specs = queue_specs(load_template())
    dlqs = {s.dlq_logical_id for s in specs.values() if s.dlq_logical_id}
    for spec in specs.values():
        assert spec.logical_id in dlqs or (spec.dlq_logical_id and spec.max_receive_count)


def test_sqs_event_sources_report_partial_batch_failures() -> None:
    sources = event_sources(load_template())
    assert {s.queue_logical_id for s in sources} == {
        "DocumentsQueue",
        "ClaimsQueue",
        "WebhooksQueue",
    }
    assert all(s.report_batch_item_failures for s in sources)


def test_provisioned_queues_carry_the_templates_redrive_policy(mock_settings: Settings) -> None:
    sqs = boto3.client("sqs", **mock_settings.boto_kwargs())
    assert mock_settings.documents_queue_url is not None
    attrs = sqs.get_queue_attributes(
        QueueUrl=mock_settings.documents_queue_url, AttributeNames=["All"]
    )["Attributes"]
    spec = queue_specs(load_template())["DocumentsQueue"]
    assert json.loads(attrs["RedrivePolicy"])["maxReceiveCount"] == spec.max_receive_count
    assert int(attrs["VisibilityTimeout"]) == spec.visibility_timeout


def test_provisioned_table_has_the_templates_indexes(mock_settings: Settings) -> None:
    ddb = boto3.client("dynamodb", **mock_settings.boto_kwargs())
    table = ddb.describe_table(TableName=mock_settings.table_name)["Table"]
    template_table = next(
        r for r in load_template()["Resources"].values() if r["Type"] == "AWS::DynamoDB::Table"
    )
    expected = {g["IndexName"] for g in template_table["Properties"]["GlobalSecondaryIndexes"]}
    assert {g["IndexName"] for g in table["GlobalSecondaryIndexes"]} == expected
