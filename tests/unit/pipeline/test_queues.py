"""The SQS adapter: batches of ten under 256 KB, only failed entries retried, DLQ move-back."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from events.factories import sample_claim_message
from events.faults import PartlyFailingSqsClient
from factcheck.pipeline.messages import MAX_BATCH_BYTES, ClaimMessage
from factcheck.pipeline.queues import Queues, QueueSendError, RetryPolicy, chunk_entries
from factcheck.settings import Settings

pytestmark = pytest.mark.unit


def _claims(n: int) -> list[ClaimMessage]:
    return [sample_claim_message(id=f"c{i:04d}", start=i * 100, end=i * 100 + 39) for i in range(n)]


def _drain_bodies(sqs: Any, url: str) -> list[str]:
    bodies: list[str] = []
    while True:
        msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        if not msgs:
            return bodies
        for m in msgs:
            bodies.append(m["Body"])
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])


def test_entries_are_chunked_by_ten_and_by_the_batch_byte_limit() -> None:
    small = [{"Id": f"s{i}", "MessageBody": "x"} for i in range(25)]
    assert [len(c) for c in chunk_entries(small)] == [10, 10, 5]
    big = [{"Id": f"b{i}", "MessageBody": "y" * (MAX_BATCH_BYTES // 3)} for i in range(7)]
    chunks = list(chunk_entries(big))
    assert [len(c) for c in chunks] == [3, 3, 1]
    assert all(sum(len(e["MessageBody"]) for e in c) <= MAX_BATCH_BYTES for c in chunks)


def test_every_claim_reaches_the_claims_queue_exactly_once(mock_settings: Settings) -> None:
    # GIVEN 23 claims  WHEN they are sent  THEN the queue holds each once
    queues = Queues(mock_settings)
    assert queues.send_claims(_claims(23)) == 23
    assert mock_settings.claims_queue_url
    bodies = _drain_bodies(queues.client, mock_settings.claims_queue_url)
    ids = sorted(ClaimMessage.model_validate_json(b).id for b in bodies)
    assert ids == sorted(c.id for c in _claims(23))


def test_only_the_entries_a_batch_reports_failed_are_sent_again(mock_settings: Settings) -> None:
    # GIVEN a client whose first batch request fails every third entry
    sqs = boto3.client("sqs", **mock_settings.boto_kwargs())
    flaky = PartlyFailingSqsClient(sqs, fail_every=3, failing_calls=1)
    delays: list[float] = []
    queues = Queues(mock_settings, client=flaky, sleep=delays.append)  # type: ignore[arg-type]
    # WHEN ten claims are sent
    queues.send_claims(_claims(10))
    # THEN the retry carried only the four failed entries, and each claim arrived once
    assert flaky.requests[1] == flaky.reported_failed == ["m0", "m3", "m6", "m9"]
    assert len(flaky.requests) == 2 and delays == [RetryPolicy().delay(1)]
    assert mock_settings.claims_queue_url
    bodies = _drain_bodies(sqs, mock_settings.claims_queue_url)
    assert sorted(ClaimMessage.model_validate_json(b).id for b in bodies) == sorted(
        c.id for c in _claims(10)
    )


def test_entries_that_keep_failing_raise_after_bounded_backoff(mock_settings: Settings) -> None:
    sqs = boto3.client("sqs", **mock_settings.boto_kwargs())
    flaky = PartlyFailingSqsClient(sqs, fail_every=5, failing_calls=99)
    delays: list[float] = []
    retry = RetryPolicy(attempts=4, base_delay=0.1, max_delay=0.3)
    queues = Queues(mock_settings, client=flaky, retry=retry, sleep=delays.append)  # type: ignore[arg-type]
    with pytest.raises(QueueSendError) as raised:
        queues.send_claims(_claims(10))
    assert delays == [0.1, 0.2, 0.3]
    assert len(flaky.requests) == 4
    assert sorted(raised.value.detail["failed"]) == ["m0"]  # type: ignore[arg-type]


def test_an_entry_failed_by_the_senders_fault_is_not_retried(mock_settings: Settings) -> None:
    sqs = boto3.client("sqs", **mock_settings.boto_kwargs())
    flaky = PartlyFailingSqsClient(sqs, fail_every=10, failing_calls=99, sender_fault=True)
    queues = Queues(mock_settings, client=flaky, sleep=lambda _: None)  # type: ignore[arg-type]
    with pytest.raises(QueueSendError):
        queues.send_claims(_claims(3))
    assert len(flaky.requests) == 1


def test_dead_lettered_messages_are_moved_back_and_removed_from_the_dlq(
    mock_settings: Settings,
) -> None:
    queues = Queues(mock_settings)
    sqs = queues.client
    assert mock_settings.documents_dlq_url and mock_settings.documents_queue_url
    for i in range(13):
        sqs.send_message(QueueUrl=mock_settings.documents_dlq_url, MessageBody=f'{{"n": {i}}}')
    moved = queues.redrive_dlqs()
    assert moved == {"documents": 13, "claims": 0, "webhooks": 0}
    assert queues.approximate_depth(mock_settings.documents_dlq_url)["visible"] == 0
    assert len(_drain_bodies(sqs, mock_settings.documents_queue_url)) == 13


def test_a_message_whose_move_back_fails_stays_in_the_dlq(mock_settings: Settings) -> None:
    sqs = boto3.client("sqs", **mock_settings.boto_kwargs())
    flaky = PartlyFailingSqsClient(sqs, fail_every=1, failing_calls=99)
    queues = Queues(mock_settings, client=flaky, sleep=lambda _: None)  # type: ignore[arg-type]
    assert mock_settings.claims_dlq_url and mock_settings.claims_queue_url
    sqs.send_message(QueueUrl=mock_settings.claims_dlq_url, MessageBody="{}")
    with pytest.raises(QueueSendError):
        queues.move_back(
            mock_settings.claims_dlq_url, mock_settings.claims_queue_url, hold_seconds=0
        )
    assert queues.approximate_depth(mock_settings.claims_dlq_url)["visible"] == 1
    assert queues.approximate_depth(mock_settings.claims_queue_url)["visible"] == 0
