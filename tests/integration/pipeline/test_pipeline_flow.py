"""The pipeline end to end on a moto server: submit -> queue -> extract -> queue -> store.

The poller runs the deployed handlers in-process; the emulator does the redrive to the DLQ.
Nothing sleeps longer than the 1 s visibility timeout the tests use for failed messages.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

import boto3
import pytest

from events.factories import FAST_RETRY
from events.factories import TEST_VISIBILITY_TIMEOUT as VISIBILITY
from events.faults import (
    CrashingSqsClient,
    DuplicatingSqsClient,
    InjectedFault,
    PartlyFailingSqsClient,
    PoisonExtractor,
)
from factcheck.cli import main as factcheck
from factcheck.domain.models import Claim, ClaimStatus, Document, DocumentStatus, Event
from factcheck.ids import document_id
from factcheck.local.poller import DrainStats, Poller, drain
from factcheck.pipeline.queues import Queues, RetryPolicy
from factcheck.pipeline.services import Services
from factcheck.pipeline.submit import submit_document
from factcheck.settings import Settings
from factcheck.template import load_template, queue_specs

pytestmark = pytest.mark.integration


def _submit(services: Services, text: str) -> Document:
    doc, _ = submit_document(
        services.repository, services.queues, Document(id=document_id(text), text=text)
    )
    return doc


# Bounds on waits for a state (queues drained, a document extracted), not sleeps: a drain
# takes a few seconds, but the same one measured 15-22 s on a machine at load 12 on 2 cores.
DRAIN_BOUND = 90.0
STOP_BOUND = 90.0  # a loaded 2-core machine can take tens of seconds to finish a batch


def _drain(services: Services, timeout: float = DRAIN_BOUND) -> DrainStats:
    """Run the functions until every queue is empty and nothing is in flight."""
    return drain(
        services.settings, services=services, visibility_timeout=VISIBILITY, timeout=timeout
    )


def _claims(services: Services, doc_id: str) -> list[Claim]:
    return services.repository.document_claims(doc_id)


def _content(claims: list[Claim], history: Callable[[str], list[Event]]) -> list[dict[str, Any]]:
    """What a delivery produced, without the wall-clock timestamps of the run."""
    return [
        {
            "claim": c.model_dump(mode="json", exclude={"created_at", "updated_at"}),
            "events": [e.model_dump(mode="json", exclude={"at"}) for e in history(c.id)],
        }
        for c in claims
    ]


def _queues_with(settings: Settings, wrap: Callable[[Any], Any], **kw: Any) -> Queues:
    client = wrap(boto3.client("sqs", **settings.boto_kwargs()))
    return Queues(settings, client=client, **kw)


def _articles(n: int) -> list[str]:
    return [
        f"Report {i}. Unemployment in region {i} rose by {i + 2} percent last year, "
        f"three times as fast as the national average. The ministry blamed {i + 1} "
        "factory closures for the rise."
        for i in range(n)
    ]


def test_the_seed_article_ends_with_its_claims_queued_for_review(
    pipeline: Services, seed_text: str
) -> None:
    # GIVEN the seed article submitted
    doc = _submit(pipeline, seed_text)
    # WHEN the poller runs the functions until the queues are empty
    stats = _drain(pipeline)
    # THEN the document is extracted and every claim is stored, queued, with one event
    stored = pipeline.repository.get_document(doc.id)
    claims = _claims(pipeline, doc.id)
    assert stored.status is DocumentStatus.EXTRACTED
    assert stored.claim_count == len(claims) > 0
    assert all(c.status is ClaimStatus.QUEUED for c in claims)
    assert any("3–1 manpower advantage" in c.text for c in claims)
    assert all(len(pipeline.repository.history(c.id)) == 1 for c in claims)
    assert stats.functions["StoreFunction"].received == len(claims)
    assert stats.failed == 0
    assert stats.dlq_depth == {"DocumentsQueue": 0, "ClaimsQueue": 0, "WebhooksQueue": 0}


def test_a_poison_document_goes_to_the_dlq_alone_and_completes_after_redrive(
    pipeline: Services,
    cli_env: Callable[[Settings], None],
    capsys: pytest.CaptureFixture[str],
) -> None:
    # GIVEN ten documents, one of which makes extraction fail
    texts = _articles(10)
    poison = document_id(texts[4])
    extractor = PoisonExtractor(pipeline.extractor, {poison})
    pipeline.extractor = extractor
    docs = [_submit(pipeline, t) for t in texts]
    # WHEN the queues are drained
    stats = _drain(pipeline)
    # THEN the nine others were extracted once each, the poison tried maxReceiveCount times
    others = [d.id for d in docs if d.id != poison]
    assert all(extractor.calls[d] == 1 for d in others)
    assert all(
        pipeline.repository.get_document(d).status is DocumentStatus.EXTRACTED for d in others
    )
    receives = queue_specs(load_template())["DocumentsQueue"].max_receive_count
    assert extractor.calls[poison] == receives  # maxReceiveCount in template.yaml
    assert stats.dlq_depth["DocumentsQueue"] == 1
    assert pipeline.repository.get_document(poison).status is DocumentStatus.EXTRACTING
    # WHEN the fault is removed and `factcheck redrive --dlq` runs
    extractor.heal()
    cli_env(pipeline.settings)
    assert factcheck(["redrive", "--dlq", "--json"]) == 0
    moved = json.loads(capsys.readouterr().out)["moved_from_dlq"]
    assert moved == {"documents": 1, "claims": 0, "webhooks": 0}
    _drain(pipeline)
    # THEN the poison document completes too, and nothing is left in any DLQ
    assert extractor.calls[poison] == receives + 1
    assert pipeline.repository.get_document(poison).status is DocumentStatus.EXTRACTED
    assert _claims(pipeline, poison)
    depth = pipeline.queues.approximate_depth(pipeline.settings.documents_dlq_url or "")
    assert depth["visible"] == 0


def test_every_message_delivered_twice_leaves_exactly_what_one_delivery_leaves(
    pipeline: Services, other_settings: Settings, seed_text: str
) -> None:
    # GIVEN the seed article processed once with single delivery
    doc = _submit(pipeline, seed_text)
    _drain(pipeline)
    once = _content(_claims(pipeline, doc.id), pipeline.repository.history)
    # AND the same article on fresh resources where every message is sent twice
    twice = Services.from_settings(
        other_settings, queues=_queues_with(other_settings, DuplicatingSqsClient)
    )
    _submit(twice, seed_text)
    stats = _drain(twice)
    # THEN both deliveries were consumed, and the stored claims and events are identical
    assert stats.functions["ExtractFunction"].received == 2
    # (a second delivery of the document while its claims are still on their way extracts
    # again and re-sends those not stored yet: at least twice each, never stored twice)
    assert stats.functions["StoreFunction"].received >= 2 * len(once)
    assert _content(_claims(twice, doc.id), twice.repository.history) == once
    assert twice.repository.get_document(doc.id).claim_count == len(once)


def test_a_crash_between_writing_and_queueing_is_recovered_by_redrive(
    pipeline: Services,
    cli_env: Callable[[Settings], None],
    capsys: pytest.CaptureFixture[str],
    seed_text: str,
) -> None:
    # GIVEN a submission that dies after the document is written, before it is queued
    crashing = _queues_with(pipeline.settings, CrashingSqsClient)
    with pytest.raises(InjectedFault):
        submit_document(
            pipeline.repository, crashing, Document(id=document_id(seed_text), text=seed_text)
        )
    doc_id = document_id(seed_text)
    _drain(pipeline)
    # nothing queued
    assert pipeline.repository.get_document(doc_id).status is DocumentStatus.RECEIVED
    # WHEN `factcheck redrive` re-queues stuck documents
    cli_env(pipeline.settings)
    assert factcheck(["redrive", "--older-than", "0", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["requeued"] == [doc_id]
    _drain(pipeline)
    # THEN the document is extracted and its claims are stored: nothing was lost
    assert pipeline.repository.get_document(doc_id).status is DocumentStatus.EXTRACTED
    assert len(_claims(pipeline, doc_id)) == pipeline.repository.get_document(doc_id).claim_count


def test_entries_a_batch_reports_failed_are_retried_and_every_claim_arrives_once(
    pipeline: Services, seed_text: str
) -> None:
    # GIVEN SendMessageBatch reporting every third entry Failed on its first two requests
    flaky = _queues_with(
        pipeline.settings,
        lambda c: PartlyFailingSqsClient(c, fail_every=3, failing_calls=2),
        retry=FAST_RETRY,
    )
    pipeline.queues = flaky
    # WHEN the seed article goes through
    doc = _submit(pipeline, seed_text)
    stats = _drain(pipeline)
    # THEN each claim message was sent once (no invocation failed) and stored once
    claims = _claims(pipeline, doc.id)
    client: PartlyFailingSqsClient = flaky.client  # type: ignore[assignment]
    assert client.reported_failed  # the fault did fire
    assert stats.failed == 0
    assert stats.functions["StoreFunction"].received == len(claims)
    assert all(len(pipeline.repository.history(c.id)) == 1 for c in claims)
    assert pipeline.repository.get_document(doc.id).claim_count == len(claims)


def test_a_crash_in_the_middle_of_sending_claims_still_stores_every_claim_once(
    pipeline: Services, seed_text: str
) -> None:
    # GIVEN batch sends that keep failing some entries until the retries run out once
    flaky = _queues_with(
        pipeline.settings,
        lambda c: PartlyFailingSqsClient(c, fail_every=2, failing_calls=2),
        retry=RetryPolicy(attempts=2, base_delay=0.0, max_delay=0.0),
    )
    pipeline.queues = flaky
    # WHEN the seed article goes through (the first extract invocation fails half-sent)
    doc = _submit(pipeline, seed_text)
    stats = _drain(pipeline)
    # THEN the document is redelivered, re-sends everything, and storage dedupes
    claims = _claims(pipeline, doc.id)
    assert stats.functions["ExtractFunction"].failed == 1
    assert stats.functions["StoreFunction"].received > len(claims)  # duplicates did arrive
    assert pipeline.repository.get_document(doc.id).status is DocumentStatus.EXTRACTED
    assert pipeline.repository.get_document(doc.id).claim_count == len(claims) > 0
    assert all(len(pipeline.repository.history(c.id)) == 1 for c in claims)


def test_the_poller_runs_in_threads_and_stops_cleanly(pipeline: Services, seed_text: str) -> None:
    # A visibility timeout longer than any extraction here: this test is about threads
    # and stopping, and a redelivery mid-extraction on a loaded machine only adds work.
    poller = Poller(
        pipeline.settings, services=pipeline, wait_time_seconds=1, visibility_timeout=60
    )
    stop = threading.Event()
    runner = threading.Thread(target=poller.run_forever, args=(stop,))
    runner.start()
    try:
        doc = _submit(pipeline, seed_text)
        deadline = time.monotonic() + DRAIN_BOUND  # wait for: the document extracted
        while time.monotonic() < deadline:
            stored = pipeline.repository.get_document(doc.id)
            if (
                stored.status is DocumentStatus.EXTRACTED
                and len(_claims(pipeline, doc.id)) == stored.claim_count
            ):
                break
            time.sleep(0.1)
        else:
            pytest.fail("the poller did not process the document in time")
    finally:
        stop.set()
        # wait for: the poller to finish its long poll and the batches in flight (an
        # invocation is finished, never cut short), then return
        runner.join(timeout=STOP_BOUND)
    assert not runner.is_alive(), f"the poller was still running {STOP_BOUND} s after stop"
