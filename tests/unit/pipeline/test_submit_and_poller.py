"""Submission writes before it queues; the poller reads its settings from template.yaml."""

from __future__ import annotations

import sys
from pathlib import Path

import boto3
import pytest
from aws_lambda_powertools.utilities.parser.models import SqsRecordModel

from events.faults import CrashingSqsClient, InjectedFault
from factcheck.domain.models import Document, DocumentStatus
from factcheck.ids import document_id
from factcheck.local.lambda_runtime import load_handler
from factcheck.local.poller import Poller
from factcheck.local.sqs_event import sqs_record
from factcheck.pipeline.queues import Queues
from factcheck.pipeline.services import Services
from factcheck.pipeline.submit import submit_document
from factcheck.template import DEFAULT_TEMPLATE, event_sources, load_template, queue_specs

pytestmark = pytest.mark.unit

TEXT = "Russia has a 3–1 manpower advantage."


def _doc(text: str = TEXT) -> Document:
    return Document(id=document_id(text), text=text)


def _queued(services: Services) -> int:
    url = services.settings.documents_queue_url or ""
    return services.queues.approximate_depth(url)["visible"]


def test_a_new_document_is_stored_then_queued(services: Services) -> None:
    stored, created = submit_document(services.repository, services.queues, _doc())
    assert created and stored.status is DocumentStatus.RECEIVED
    assert services.repository.get_document(stored.id).text == TEXT
    assert _queued(services) == 1


def test_a_crash_before_queueing_leaves_the_document_stored(services: Services) -> None:
    sqs = boto3.client("sqs", **services.settings.boto_kwargs())
    crashing = Queues(services.settings, client=CrashingSqsClient(sqs))  # type: ignore[arg-type]
    with pytest.raises(InjectedFault):
        submit_document(services.repository, crashing, _doc())
    assert services.repository.get_document(document_id(TEXT)).status is DocumentStatus.RECEIVED
    assert _queued(services) == 0


def test_resubmitting_a_document_still_received_queues_it_again(services: Services) -> None:
    submit_document(services.repository, services.queues, _doc())
    stored, created = submit_document(services.repository, services.queues, _doc())
    assert not created and stored.status is DocumentStatus.RECEIVED
    assert _queued(services) == 2


def test_resubmitting_an_extracted_document_only_returns_it(services: Services) -> None:
    doc, _ = services.repository.put_document(_doc())
    services.repository.set_document_status(doc.id, DocumentStatus.EXTRACTED, claim_count=1)
    stored, created = submit_document(services.repository, services.queues, _doc())
    assert not created and stored.status is DocumentStatus.EXTRACTED
    assert _queued(services) == 0


def test_the_poller_takes_batch_size_visibility_and_redrive_from_the_template(
    services: Services,
) -> None:
    template = load_template()
    poller = Poller(services.settings, services=services)
    by_queue = {s.queue_logical_id: s for s in poller.sources}
    for es in event_sources(template):
        source = by_queue[es.queue_logical_id]
        spec = queue_specs(template)[es.queue_logical_id]
        assert source.batch_size == es.batch_size
        assert source.visibility_timeout == spec.visibility_timeout
        assert source.max_receive_count == spec.max_receive_count
        assert source.handler_path == es.handler
        assert not source.enforce_redrive  # the provisioned queues carry the policy
    assert by_queue["DocumentsQueue"].timeout_seconds == 60  # ExtractFunction's own Timeout


def test_the_poller_builds_records_that_powertools_accepts(services: Services) -> None:
    sqs = services.queues.client
    url = services.settings.documents_queue_url or ""
    sqs.send_message(
        QueueUrl=url,
        MessageBody='{"document_id": "d1"}',
        MessageAttributes={"trace": {"DataType": "String", "StringValue": "abc"}},
    )
    message = sqs.receive_message(
        QueueUrl=url, MessageSystemAttributeNames=["All"], MessageAttributeNames=["All"]
    )["Messages"][0]
    record = sqs_record(dict(message), "arn:aws:sqs:us-east-1:000000000000:q", "us-east-1")
    parsed = SqsRecordModel.model_validate(record)
    assert parsed.attributes.ApproximateReceiveCount == "1"
    assert parsed.messageAttributes["trace"].stringValue == "abc"
    assert parsed.eventSource == "aws:sqs"


def test_a_handler_is_loaded_from_its_file_once() -> None:
    first = load_handler("functions/store/app.lambda_handler")
    assert load_handler("functions/store/app.lambda_handler") is first


def _template_with(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of template.yaml with `old` (which must be in it, once or more) replaced."""
    text = DEFAULT_TEMPLATE.read_text(encoding="utf-8")
    assert old in text
    changed = tmp_path / "template.yaml"
    changed.write_text(text.replace(old, new), encoding="utf-8")
    return changed


def test_changing_the_templates_batch_size_changes_the_pollers_batches(
    services: Services, tmp_path: Path
) -> None:
    # GIVEN a copy of template.yaml whose store function takes batches of 3
    store_event = "Queue: !GetAtt ClaimsQueue.Arn\n            BatchSize: 10"
    changed = _template_with(tmp_path, store_event, store_event[:-2] + "3")
    poller = Poller(services.settings, services=services, template_path=changed)
    claims = next(s for s in poller.sources if s.queue_logical_id == "ClaimsQueue")
    assert claims.batch_size == 3

    # WHEN seven messages wait on the claims queue and the poller takes one batch
    url = services.settings.claims_queue_url or ""
    for i in range(7):
        services.queues.client.send_message(QueueUrl=url, MessageBody=f'{{"n": {i}}}')
    seen: list[int] = []
    poller._handlers[(claims.function, 0)] = lambda event, _ctx: (
        seen.append(len(event["Records"])) or {"batchItemFailures": []}
    )

    # THEN the handler sees at most 3 records, as Lambda would with BatchSize 3
    assert poller.poll_once(claims, wait_time_seconds=0) == 3
    assert seen == [3]


def test_the_poller_runs_as_many_invocations_as_the_templates_maximum_concurrency(
    services: Services, tmp_path: Path
) -> None:
    # GIVEN a copy of template.yaml whose store function may run 3 at a time
    scaling = "ScalingConfig:\n              MaximumConcurrency: 4"
    changed = _template_with(tmp_path, scaling, scaling[:-1] + "3")
    poller = Poller(services.settings, services=services, template_path=changed)
    claims = next(s for s in poller.sources if s.queue_logical_id == "ClaimsQueue")
    assert claims.concurrency == 3

    # THEN each slot has its own handler module, so no module state is shared between
    # concurrent invocations (a Powertools BatchProcessor keeps the batch it works on)
    handlers = [poller._handler(claims, slot) for slot in range(claims.concurrency)]
    modules = {h.__module__ for h in handlers}
    assert len(modules) == 3
    assert len({id(sys.modules[m].processor) for m in modules}) == 3
