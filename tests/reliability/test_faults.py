"""Faults in the pipeline: functions killed mid-batch, records that raise, DynamoDB throttling.

GIVEN generated articles submitted to a fresh table and queues on a moto server process,
WHEN the real handlers run under the local poller with faults injected,
THEN every document ends `extracted` with all its claims, each stored exactly once.
A message that exhausts maxReceiveCount lands in its DLQ, as on AWS; the operator's
`redrive --dlq` (the product's documented recovery) is then run and counted.
"""

from __future__ import annotations

import hashlib
import random
import threading
from collections.abc import Callable
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse

from factcheck.bench.corpus import articles
from factcheck.domain.errors import StorageError
from factcheck.domain.models import Document
from factcheck.ids import document_id
from factcheck.local.event_sources import SqsEventSource
from factcheck.local.poller import Poller
from factcheck.pipeline.services import Services
from factcheck.pipeline.submit import submit_document
from factcheck.pipeline.sweeper import redrive
from factcheck.settings import Settings
from factcheck.storage.dynamo import DynamoRepository

from .conftest import Tally, assert_exactly_once, exactly_once, expected_claims

DOCUMENTS = 8
VISIBILITY = 1  # seconds before a failed message is delivered again
WRITE_OPERATIONS = {"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"}


class InjectedFault(RuntimeError):
    """Raised where the test injected a failure."""


class CrashingPoller(Poller):
    """Lambda dies part-way through a batch: the first k records ran, nothing is acknowledged."""

    def __init__(self, settings: Settings, *, crashes: int, seed: int, **kw: Any) -> None:
        super().__init__(settings, **kw)
        self.crashes_left = {"ExtractFunction": crashes, "StoreFunction": crashes}
        self.crashed = 0
        self._rng = random.Random(seed)

    def _invoke(
        self, source: SqsEventSource, records: list[dict[str, Any]], slot: int = 0
    ) -> set[str]:
        left = self.crashes_left.get(source.function, 0)
        if left and len(records) > 1 and self._rng.random() < 0.5:
            self.crashes_left[source.function] = left - 1
            self.crashed += 1
            super()._invoke(source, records[: self._rng.randrange(1, len(records))], slot)
            return {r["messageId"] for r in records}
        return super()._invoke(source, records, slot)


class FlakyRepository:
    """The real repository, but `put_claim` raises on the first try for one claim in four."""

    def __init__(self, inner: DynamoRepository) -> None:
        self._inner = inner
        self._seen: set[str] = set()
        self.raised = 0
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def put_claim(self, claim: Any, **kw: Any) -> bool:
        unlucky = int(hashlib.sha256(claim.id.encode()).hexdigest(), 16) % 4 == 0
        with self._lock:
            first = claim.id not in self._seen
            self._seen.add(claim.id)
            if unlucky and first:
                self.raised += 1
                raise InjectedFault(f"store crashed on {claim.id}")
        return bool(self._inner.put_claim(claim, **kw))


class Throttle:
    """A botocore before-call hook: ProvisionedThroughputExceeded on a fraction of writes."""

    def __init__(self, fraction: float, seed: int) -> None:
        self.fraction = fraction
        self.injected = 0
        self.enabled = True
        self._rng = random.Random(seed)
        self._lock = threading.Lock()

    def __call__(
        self, model: Any, params: Any, **_: Any
    ) -> tuple[AWSResponse, dict[str, Any]] | None:
        if not self.enabled or model.name not in WRITE_OPERATIONS:
            return None
        with self._lock:
            if self._rng.random() >= self.fraction:
                return None
            self.injected += 1
        parsed = {
            "Error": {
                "Code": "ProvisionedThroughputExceededException",
                "Message": "injected: the level of configured provisioned throughput was exceeded",
            },
            "ResponseMetadata": {"HTTPStatusCode": 400},
        }
        return AWSResponse(params.get("url", ""), 400, {}, None), parsed


def _submit_all(services: Services, docs: list[Any]) -> dict[str, str]:
    """Submit each article like a client that retries a 503 (StorageError) until stored."""
    texts: dict[str, str] = {}
    for article in docs:
        doc = Document(id=document_id(article.text), text=article.text, title=article.title)
        for _ in range(20):
            try:
                submit_document(services.repository, services.queues, doc)
                break
            except StorageError:
                continue
        else:
            pytest.fail(f"could not submit {doc.id}")
        texts[doc.id] = article.text
    return texts


def _drain_then_redrive(
    poller: Poller, services: Services, before_redrive: Callable[[], None]
) -> int:
    """Drain; if anything was dead-lettered, redrive it (operator step) and drain again."""
    poller.drain(timeout=420)
    dead = sum(poller.dlq_depths().values())
    if dead:
        before_redrive()
        redrive(services.repository, services.queues, older_than_seconds=0, dlq=True)
        poller.drain(timeout=420)
    return dead


def test_functions_killed_mid_batch_and_failing_records_lose_and_duplicate_nothing(
    server_settings: Settings, tally: Tally
) -> None:
    # GIVEN a store that fails one claim in four on its first try, and functions that die
    # part-way through batches
    real = Services.from_settings(server_settings)
    flaky = FlakyRepository(real.repository)  # type: ignore[arg-type]
    services = Services(
        server_settings,
        repository=flaky,  # type: ignore[arg-type]
        queues=real.queues,
        extractor=real.extractor,
    )
    poller = CrashingPoller(
        server_settings,
        crashes=6,
        seed=7,
        services=services,
        visibility_timeout=VISIBILITY,
        wait_time_seconds=0,
    )
    texts = _submit_all(real, articles(DOCUMENTS, seed=101))

    # WHEN the pipeline runs to the end
    dead = _drain_then_redrive(poller, services, lambda: None)

    # THEN every document is extracted and each of its claims is stored exactly once
    result = exactly_once(real.repository, expected_claims(texts))
    faults = poller.crashed + flaky.raised
    tally.add(
        documents=result["documents"],
        claims=result["claims"],
        faults_injected=faults,
        duplicates=result["duplicates"],
        lost=result["lost"],
    )
    tally.note(
        "killed_mid_batch",
        crashes=poller.crashed,
        records_raised=flaky.raised,
        dead_lettered_then_redriven=dead,
        **result,
    )
    assert poller.crashed > 0 and flaky.raised > 0, "no fault was injected"
    assert_exactly_once(result)


@pytest.mark.parametrize("fraction", [0.1])
def test_dynamodb_throttling_on_writes_loses_and_duplicates_nothing(
    server_settings: Settings, tally: Tally, fraction: float
) -> None:
    # GIVEN ProvisionedThroughputExceeded injected on a fraction of all DynamoDB writes
    services = Services.from_settings(server_settings)
    throttle = Throttle(fraction, seed=11)
    repo = services.repository
    assert isinstance(repo, DynamoRepository)
    repo.client.meta.events.register("before-call.dynamodb", throttle)
    poller = Poller(
        server_settings, services=services, visibility_timeout=VISIBILITY, wait_time_seconds=0
    )

    # WHEN articles are submitted (a client retries a 503) and the pipeline runs
    texts = _submit_all(services, articles(DOCUMENTS, seed=202))

    def stop_throttling() -> None:
        throttle.enabled = False

    dead = _drain_then_redrive(poller, services, stop_throttling)
    throttle.enabled = False

    # THEN nothing is lost or duplicated
    result = exactly_once(repo, expected_claims(texts))
    tally.add(
        documents=result["documents"],
        claims=result["claims"],
        faults_injected=throttle.injected,
        duplicates=result["duplicates"],
        lost=result["lost"],
    )
    tally.note(
        "throttling",
        fraction=fraction,
        throttled_writes=throttle.injected,
        dead_lettered_then_redriven=dead,
        **result,
    )
    assert throttle.injected > 0
    assert_exactly_once(result)
