"""A local SQS event-source mapping: what Lambda does for an SQS-triggered function, in-process.

For every SQS event source in template.yaml (`event_sources.py`) the poller long-polls the
queue (batch size and visibility timeout from the template), builds a real Lambda SQS event
(`sqs_event.py`), invokes the SAME `lambda_handler` the function deploys (`lambda_runtime.py`),
deletes only the records that succeeded (the handler's `batchItemFailures`), and leaves the
failed ones to become visible again. The emulator's redrive policy (maxReceiveCount from the
template) then moves a message that keeps failing to its DLQ, exactly as on AWS; moto and
LocalStack both do that move on the receive after the last allowed one. Should a queue
lack its redrive policy, the poller enforces the template's maxReceiveCount itself.

    poller = Poller(settings)
    poller.start(); ...; poller.stop()       # `make run`
    drain(settings, timeout=10)              # tests: until both queues are empty
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factcheck.local.event_sources import SqsEventSource, resolve_event_sources
from factcheck.local.lambda_runtime import Handler, LocalLambdaContext, load_handler
from factcheck.local.sqs_event import sqs_event, sqs_record
from factcheck.observability import logger
from factcheck.pipeline import services as services_mod
from factcheck.pipeline.services import Services
from factcheck.settings import Settings
from factcheck.template import REPO_ROOT

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient


class DrainTimeout(TimeoutError):
    """The queues were not empty (or still had messages in flight) before the timeout."""

    def __init__(self, message: str, stats: DrainStats) -> None:
        super().__init__(message)
        self.stats = stats


@dataclass
class FunctionStats:
    batches: int = 0
    received: int = 0
    succeeded: int = 0
    failed: int = 0
    invocation_errors: int = 0
    dead_lettered_by_poller: int = 0


@dataclass
class DrainStats:
    functions: dict[str, FunctionStats] = field(default_factory=dict)
    dlq_depth: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def _total(self, name: str) -> int:
        return sum(getattr(f, name) for f in self.functions.values())

    @property
    def received(self) -> int:
        return self._total("received")

    @property
    def succeeded(self) -> int:
        return self._total("succeeded")

    @property
    def failed(self) -> int:
        return self._total("failed")


class Poller:
    """Runs the template's SQS-triggered functions in-process against real queues."""

    def __init__(
        self,
        settings: Settings,
        *,
        services: Services | None = None,
        template_path: Path | str | None = None,
        wait_time_seconds: int = 2,
        visibility_timeout: int | None = None,
        idle_sleep: float = 0.05,
        client: SQSClient | None = None,
        handler_root: Path = REPO_ROOT,
    ) -> None:
        """`visibility_timeout` overrides the template's (tests: 1 s, so retries are fast)."""
        self.settings = settings
        self.services = services or Services.from_settings(settings)
        self.wait_time_seconds = wait_time_seconds
        self.visibility_timeout = visibility_timeout
        self.idle_sleep = idle_sleep
        self._client = client
        self._template_path = template_path
        self._handler_root = handler_root
        self._sources: list[SqsEventSource] | None = None
        self._handlers: dict[tuple[str, int], Handler] = {}
        self._invoke_locks: dict[tuple[str, int], threading.Lock] = {}
        self._stats_lock = threading.Lock()
        self.stats = DrainStats()
        self._threads: list[threading.Thread] = []
        self._stop = threading.Event()

    # --- set-up -----------------------------------------------------------------------
    @property
    def client(self) -> SQSClient:
        if self._client is None:
            import boto3

            self._client = boto3.client("sqs", **self.settings.boto_kwargs())
        return self._client

    @property
    def sources(self) -> list[SqsEventSource]:
        if self._sources is None:
            self._sources = resolve_event_sources(self.settings, self.client, self._template_path)
            for source in self._sources:
                self.stats.functions.setdefault(source.function, FunctionStats())
                for slot in range(source.concurrency):
                    self._invoke_locks.setdefault((source.function, slot), threading.Lock())
        return self._sources

    def _handler(self, source: SqsEventSource, slot: int) -> Handler:
        key = (source.function, slot)
        if key not in self._handlers:
            self._handlers[key] = load_handler(
                source.handler_path, self._handler_root, instance=slot
            )
        return self._handlers[key]

    # --- one poll ----------------------------------------------------------------------
    def poll_once(
        self, source: SqsEventSource, *, wait_time_seconds: int | None = None, slot: int = 0
    ) -> int:
        """Receive one batch from `source`, invoke its handler (concurrency slot `slot`),
        settle it. Returns its size."""
        wait = self.wait_time_seconds if wait_time_seconds is None else wait_time_seconds
        response = self.client.receive_message(
            QueueUrl=source.queue_url,
            MaxNumberOfMessages=min(10, source.batch_size),
            WaitTimeSeconds=wait,
            VisibilityTimeout=self.visibility_timeout or source.visibility_timeout,
            MessageSystemAttributeNames=["All"],
            MessageAttributeNames=["All"],
        )
        messages: list[dict[str, Any]] = [dict(m) for m in response.get("Messages", [])]
        if not messages:
            return 0
        if source.enforce_redrive:
            messages = self._dead_letter_exhausted(source, messages)
            if not messages:
                return 0
        records = [sqs_record(m, source.queue_arn, self.settings.region) for m in messages]
        failed_ids = self._invoke(source, records, slot)
        succeeded = [m for m in messages if m["MessageId"] not in failed_ids]
        self._delete(source.queue_url, succeeded)
        with self._stats_lock:
            stats = self.stats.functions[source.function]
            stats.batches += 1
            stats.received += len(messages)
            stats.succeeded += len(succeeded)
            stats.failed += len(messages) - len(succeeded)
        return len(messages)

    def _invoke(
        self, source: SqsEventSource, records: list[dict[str, Any]], slot: int = 0
    ) -> set[str]:
        """Call the handler; the ids of the records that failed (all, if it raised)."""
        all_ids = {r["messageId"] for r in records}
        context = LocalLambdaContext(
            function_name=source.function,
            memory_limit_in_mb=source.memory_mb,
            timeout_seconds=source.timeout_seconds,
            region=self.settings.region,
        )
        handler = self._handler(source, slot)
        try:
            with self._invoke_locks[(source.function, slot)]:  # one invocation per slot
                response = handler(sqs_event(records), context)
        except Exception:
            logger.exception("invocation failed", extra={"function": source.function})
            with self._stats_lock:
                self.stats.functions[source.function].invocation_errors += 1
            return all_ids
        if not source.report_batch_item_failures:
            return set()
        failures = (response or {}).get("batchItemFailures", [])
        failed = {f["itemIdentifier"] for f in failures}
        if failed - all_ids:  # Lambda treats an unknown identifier as a failed batch
            logger.error("handler reported unknown item identifiers", extra={"ids": failed})
            return all_ids
        return failed

    def _delete(self, queue_url: str, messages: list[dict[str, Any]]) -> None:
        for i in range(0, len(messages), 10):
            chunk = messages[i : i + 10]
            response = self.client.delete_message_batch(
                QueueUrl=queue_url,
                Entries=[
                    {"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]} for n, m in enumerate(chunk)
                ],
            )
            if response.get("Failed"):  # redelivered later; every handler is idempotent
                logger.warning("delete failed", extra={"failed": response["Failed"]})

    def _dead_letter_exhausted(
        self, source: SqsEventSource, messages: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """Fallback for a queue without a redrive policy: apply the template's."""
        keep: list[dict[str, Any]] = []
        limit = source.max_receive_count or 0
        for message in messages:
            count = int(message.get("Attributes", {}).get("ApproximateReceiveCount", "1"))
            if count <= limit or not source.dlq_url:
                keep.append(message)
                continue
            self.client.send_message(QueueUrl=source.dlq_url, MessageBody=message["Body"])
            self.client.delete_message(
                QueueUrl=source.queue_url, ReceiptHandle=message["ReceiptHandle"]
            )
            with self._stats_lock:
                self.stats.functions[source.function].dead_lettered_by_poller += 1
        return keep

    # --- running ------------------------------------------------------------------------
    def _loop(self, source: SqsEventSource, slot: int, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                self.poll_once(source, slot=slot)
            except Exception:  # keep polling, as Lambda's poller does; log and back off
                logger.exception("poll failed", extra={"function": source.function})
                stop.wait(1.0)

    def run_forever(self, stop_event: threading.Event) -> None:
        """Poll every source on as many threads as its concurrency, until `stop_event` is set,
        then join them."""
        sources = self.sources
        with services_mod.bind(self.services):
            threads = [
                threading.Thread(
                    target=self._loop,
                    args=(s, slot, stop_event),
                    name=f"poller-{s.function}-{slot}",
                    daemon=True,
                )
                for s in sources
                for slot in range(s.concurrency)
            ]
            for thread in threads:
                thread.start()
            logger.info("poller running", extra={"functions": [s.function for s in sources]})
            stop_event.wait()
            for thread in threads:
                thread.join(timeout=self.wait_time_seconds + 60)

    def start(self) -> None:
        """Run `run_forever` on a background thread; `stop()` ends it."""
        self._stop.clear()
        _ = self.sources  # resolve (and fail) in the caller's thread
        thread = threading.Thread(
            target=self.run_forever, args=(self._stop,), name="poller", daemon=True
        )
        thread.start()
        self._threads = [thread]

    def stop(self, timeout: float | None = None) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=timeout if timeout is not None else self.wait_time_seconds + 65)
        self._threads = []

    def is_idle(self) -> bool:
        """No message visible, in flight or delayed on any source queue."""
        for source in self.sources:
            attrs = self.client.get_queue_attributes(
                QueueUrl=source.queue_url,
                AttributeNames=[
                    "ApproximateNumberOfMessages",
                    "ApproximateNumberOfMessagesNotVisible",
                    "ApproximateNumberOfMessagesDelayed",
                ],
            )["Attributes"]
            if any(int(v) for v in attrs.values()):
                return False
        return True

    def drain(self, timeout: float = 10.0) -> DrainStats:
        """Process every queue until all are empty with nothing in flight; DrainTimeout if not."""
        started = time.monotonic()
        deadline = started + timeout
        sources = self.sources
        with services_mod.bind(self.services):
            while True:
                received = sum(self.poll_once(s, wait_time_seconds=0) for s in sources)
                if not received and self.is_idle():
                    break
                if time.monotonic() > deadline:
                    self.stats.seconds = time.monotonic() - started
                    raise DrainTimeout(
                        f"queues not drained after {timeout:.1f}s: {self.stats}", self.stats
                    )
                if not received:
                    time.sleep(self.idle_sleep)  # failed messages still invisible: wait
        self.stats.seconds = time.monotonic() - started
        self.stats.dlq_depth = self.dlq_depths()
        return self.stats

    def dlq_depths(self) -> dict[str, int]:
        depths: dict[str, int] = {}
        for source in self.sources:
            if source.dlq_url:
                attrs = self.client.get_queue_attributes(
                    QueueUrl=source.dlq_url, AttributeNames=["ApproximateNumberOfMessages"]
                )["Attributes"]
                depths[source.queue_logical_id] = int(attrs.get("ApproximateNumberOfMessages", 0))
        return depths


def drain(
    settings: Settings,
    *,
    timeout: float = 10.0,
    services: Services | None = None,
    visibility_timeout: int | None = None,
    template_path: Path | str | None = None,
) -> DrainStats:
    """Run the pipeline's functions until both queues are empty and nothing is in flight."""
    poller = Poller(
        settings,
        services=services,
        visibility_timeout=visibility_timeout,
        template_path=template_path,
    )
    return poller.drain(timeout=timeout)
