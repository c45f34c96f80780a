"""A local SQS event-source mapping: what Lambda does for an SQS-triggered function, in-process.

For every SQS event source in template.yaml the poller long-polls the queue (batch size and
visibility timeout from the template), builds a real Lambda SQS event, invokes the SAME
`lambda_handler` the function deploys (loaded by path from the template's Handler), deletes
only the records that succeeded (the handler's `batchItemFailures`), and leaves the failed
ones to become visible again. The emulator's redrive policy (maxReceiveCount from the
template) then moves a message that keeps failing to its DLQ, exactly as on AWS; moto and
LocalStack both do that move on the receive after the last allowed one. Should a queue
lack its redrive policy, the poller enforces the template's maxReceiveCount itself.

    poller = Poller(settings)
    poller.start(); ...; poller.stop()       # `make run`
    drain(settings, timeout=10)              # tests: until both queues are empty
"""

from __future__ import annotations

import base64
import importlib.util
import json
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from factcheck.local.resources import QUEUE_SETTINGS_FIELD
from factcheck.logging import logger
from factcheck.pipeline import services as services_mod
from factcheck.pipeline.services import Services
from factcheck.settings import Settings
from factcheck.template import (
    DEFAULT_TEMPLATE,
    REPO_ROOT,
    TemplateError,
    event_sources,
    load_template,
    queue_specs,
)

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

Handler = Callable[[dict[str, Any], Any], Any]

_RECORD_ATTRIBUTES = (
    "ApproximateReceiveCount",
    "SentTimestamp",
    "SenderId",
    "ApproximateFirstReceiveTimestamp",
    "AWSTraceHeader",
    "MessageGroupId",
    "MessageDeduplicationId",
    "SequenceNumber",
    "DeadLetterQueueSourceArn",
)
_load_lock = threading.Lock()


class DrainTimeout(TimeoutError):
    """The queues were not empty (or still had messages in flight) before the timeout."""

    def __init__(self, message: str, stats: DrainStats) -> None:
        super().__init__(message)
        self.stats = stats


def load_function_module(
    module_path: str, root: Path = REPO_ROOT, *, instance: int = 0
) -> ModuleType:
    """Import `functions/x/app` from its file, once per process and `instance` (as a cold
    start would): each concurrent invocation slot gets its own module, so module state such
    as a handler's BatchProcessor is never shared between two invocations, as on Lambda."""
    path = (root / f"{module_path}.py").resolve()
    name = "factcheck_functions." + module_path.replace("/", ".").replace("-", "_")
    if instance:
        name += f"__{instance}"
    with _load_lock:
        module = sys.modules.get(name)
        if module is None:
            spec = importlib.util.spec_from_file_location(name, path)
            if spec is None or spec.loader is None:
                raise TemplateError(f"cannot load function module {module_path} from {path}")
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            try:
                spec.loader.exec_module(module)
            except BaseException:
                del sys.modules[name]
                raise
    return module


def load_handler(handler: str, root: Path = REPO_ROOT, *, instance: int = 0) -> Handler:
    """The function named by a template Handler such as `functions/extract/app.lambda_handler`."""
    module_path, _, attr = handler.rpartition(".")
    func: Handler = getattr(load_function_module(module_path, root, instance=instance), attr)
    return func


@dataclass
class LocalLambdaContext:
    """The attributes of Lambda's context object that handlers and Powertools read."""

    function_name: str
    memory_limit_in_mb: int
    timeout_seconds: int
    region: str
    function_version: str = "$LATEST"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    _deadline: float = field(default=0.0, repr=False)

    def __post_init__(self) -> None:
        self._deadline = time.monotonic() + self.timeout_seconds

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:{self.region}:000000000000:function:{self.function_name}"

    @property
    def log_group_name(self) -> str:
        return f"/aws/lambda/{self.function_name}"

    @property
    def log_stream_name(self) -> str:
        return f"local/{self.aws_request_id}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


@dataclass(frozen=True)
class Source:
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


def sqs_record(message: dict[str, Any], queue_arn: str, region: str) -> dict[str, Any]:
    """A ReceiveMessage message as Lambda delivers it in an SQS event record."""
    attrs = message.get("Attributes", {})
    msg_attrs: dict[str, Any] = {}
    for name, attr in (message.get("MessageAttributes") or {}).items():
        binary = attr.get("BinaryValue")
        msg_attrs[name] = {
            "stringValue": attr.get("StringValue"),
            "binaryValue": base64.b64encode(binary).decode() if binary is not None else None,
            "stringListValues": attr.get("StringListValues", []),
            "binaryListValues": [
                base64.b64encode(b).decode() for b in attr.get("BinaryListValues", [])
            ],
            "dataType": attr["DataType"],
        }
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": {k: attrs[k] for k in _RECORD_ATTRIBUTES if k in attrs},
        "messageAttributes": msg_attrs,
        "md5OfBody": message.get("MD5OfBody", ""),
        "md5OfMessageAttributes": message.get("MD5OfMessageAttributes"),
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": region,
    }


def _function_setting(template: dict[str, Any], function: str, key: str, default: int) -> int:
    props = template["Resources"][function].get("Properties", {})
    globals_ = template.get("Globals", {}).get("Function", {})
    return int(props.get(key, globals_.get(key, default)))


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
        self._template_path = Path(template_path or DEFAULT_TEMPLATE)
        self._handler_root = handler_root
        self._sources: list[Source] | None = None
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

    def _queue_url(self, logical_id: str) -> str:
        field_name = QUEUE_SETTINGS_FIELD.get(logical_id)
        url = getattr(self.settings, field_name) if field_name else None
        if not url:
            raise TemplateError(f"no URL for queue {logical_id} in settings ({field_name})")
        return str(url)

    @property
    def sources(self) -> list[Source]:
        if self._sources is None:
            self._sources = self._resolve_sources()
        return self._sources

    def _resolve_sources(self) -> list[Source]:
        template = load_template(self._template_path)
        queues = queue_specs(template)
        resolved: list[Source] = []
        for es in event_sources(template):
            spec = queues[es.queue_logical_id]
            url = self._queue_url(es.queue_logical_id)
            attrs = self.client.get_queue_attributes(
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
            dlq_url = self._queue_url(spec.dlq_logical_id) if spec.dlq_logical_id else None
            resolved.append(
                Source(
                    function=es.function_logical_id,
                    handler_path=es.handler,
                    queue_logical_id=es.queue_logical_id,
                    queue_url=url,
                    queue_arn=attrs["QueueArn"],
                    batch_size=es.batch_size,
                    visibility_timeout=spec.visibility_timeout,
                    max_receive_count=spec.max_receive_count,
                    dlq_url=dlq_url,
                    report_batch_item_failures=es.report_batch_item_failures,
                    timeout_seconds=_function_setting(
                        template, es.function_logical_id, "Timeout", 3
                    ),
                    memory_mb=_function_setting(
                        template, es.function_logical_id, "MemorySize", 128
                    ),
                    enforce_redrive=policy is None and spec.max_receive_count is not None,
                    concurrency=max(1, es.maximum_concurrency or 1),
                )
            )
            self.stats.functions.setdefault(es.function_logical_id, FunctionStats())
            for slot in range(resolved[-1].concurrency):
                self._invoke_locks.setdefault((es.function_logical_id, slot), threading.Lock())
        return resolved

    def _handler(self, source: Source, slot: int) -> Handler:
        key = (source.function, slot)
        if key not in self._handlers:
            self._handlers[key] = load_handler(
                source.handler_path, self._handler_root, instance=slot
            )
        return self._handlers[key]

    # --- one poll ----------------------------------------------------------------------
    def poll_once(
        self, source: Source, *, wait_time_seconds: int | None = None, slot: int = 0
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

    def _invoke(self, source: Source, records: list[dict[str, Any]], slot: int = 0) -> set[str]:
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
                response = handler({"Records": records}, context)
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
        self, source: Source, messages: list[dict[str, Any]]
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
    def _loop(self, source: Source, slot: int, stop: threading.Event) -> None:
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
