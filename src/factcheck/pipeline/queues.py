"""The one SQS adapter of the pipeline (the only module here that talks to SQS).

- `send_document`: one document id on the documents queue.
- `send_claims`: SendMessageBatch in chunks of at most 10 entries and 256 KB; entries that
  the batch reports as failed (and only those) are retried with bounded exponential
  backoff, then `QueueSendError` is raised so the caller's SQS record fails and is retried.
- `move_back`/`redrive_dlqs`: move dead-lettered messages back to their source queue,
  deleting each from the DLQ only after its send succeeded (never lost, at worst doubled,
  and every consumer is idempotent).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from factcheck.domain.errors import FactcheckError
from factcheck.observability import logger
from factcheck.pipeline.messages import (
    MAX_BATCH_BYTES,
    MAX_BATCH_ENTRIES,
    ClaimMessage,
    DocumentMessage,
)
from factcheck.settings import Settings

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient


class QueueError(FactcheckError):
    code = "queue_error"
    http_status = 503


class QueueNotConfigured(QueueError):
    code = "queue_not_configured"


class QueueSendError(QueueError):
    """Some entries could not be sent after the bounded retries."""

    code = "queue_send_failed"


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded retries of failed batch entries: base * 2**(n-1), capped, `attempts` in all."""

    attempts: int = 5
    base_delay: float = 0.05
    max_delay: float = 2.0

    def delay(self, attempt: int) -> float:
        return float(min(self.max_delay, self.base_delay * 2 ** (attempt - 1)))


@dataclass
class SendResult:
    sent: list[str] = field(default_factory=list)  # entry ids
    failed: dict[str, str] = field(default_factory=dict)  # entry id -> reason


def _entry_bytes(entry: Mapping[str, Any]) -> int:
    size = len(str(entry["MessageBody"]).encode("utf-8"))
    for name, attr in (entry.get("MessageAttributes") or {}).items():
        size += len(name.encode("utf-8")) + len(str(attr.get("DataType", "")).encode("utf-8"))
        value = attr.get("StringValue") or attr.get("BinaryValue") or b""
        size += len(value if isinstance(value, bytes) else str(value).encode("utf-8"))
    return size


def chunk_entries(
    entries: Sequence[dict[str, Any]],
    *,
    max_entries: int = MAX_BATCH_ENTRIES,
    max_bytes: int = MAX_BATCH_BYTES,
) -> Iterator[list[dict[str, Any]]]:
    """Greedy, order-preserving chunks of at most `max_entries` and `max_bytes`."""
    chunk: list[dict[str, Any]] = []
    size = 0
    for entry in entries:
        n = _entry_bytes(entry)
        if chunk and (len(chunk) >= max_entries or size + n > max_bytes):
            yield chunk
            chunk, size = [], 0
        chunk.append(entry)
        size += n
    if chunk:
        yield chunk


class Queues:
    """SQS operations of the pipeline on the queues named in `settings`."""

    def __init__(
        self,
        settings: Settings,
        client: SQSClient | None = None,
        *,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self._client = client
        self.retry = retry or RetryPolicy()
        self._sleep = sleep

    @property
    def client(self) -> SQSClient:
        if self._client is None:  # created lazily, so a test's mock is in place first
            import boto3

            self._client = boto3.client("sqs", **self.settings.boto_kwargs())
        return self._client

    def _url(self, field_name: str) -> str:
        url = getattr(self.settings, field_name)
        if not url:
            raise QueueNotConfigured(f"settings.{field_name} is not set", setting=field_name)
        return str(url)

    @property
    def documents_url(self) -> str:
        return self._url("documents_queue_url")

    @property
    def claims_url(self) -> str:
        return self._url("claims_queue_url")

    # --- sending ----------------------------------------------------------------------
    def send_document(self, document_id: str) -> None:
        """Queue one document id for extraction."""
        body = DocumentMessage(document_id=document_id).to_body()
        self._call(self.client.send_message, QueueUrl=self.documents_url, MessageBody=body)

    def send_documents(self, document_ids: Iterable[str]) -> int:
        bodies = [DocumentMessage(document_id=d).to_body() for d in document_ids]
        return self.send_bodies(self.documents_url, bodies)

    def send_claims(self, messages: Sequence[ClaimMessage]) -> int:
        """Send every claim (each size-checked) in batches; raises QueueSendError on failure."""
        return self.send_bodies(self.claims_url, [m.to_body() for m in messages])

    def send_bodies(self, queue_url: str, bodies: Sequence[str]) -> int:
        entries = [{"Id": f"m{i}", "MessageBody": body} for i, body in enumerate(bodies)]
        result = self.send_entries(queue_url, entries)
        if result.failed:
            raise QueueSendError(
                f"{len(result.failed)} of {len(entries)} messages not sent to {queue_url}",
                failed=result.failed,
            )
        return len(result.sent)

    def send_entries(self, queue_url: str, entries: Sequence[dict[str, Any]]) -> SendResult:
        """SendMessageBatch every entry (Ids unique); retry only the failed ones."""
        result = SendResult()
        for chunk in chunk_entries(entries):
            sent, failed = self._send_chunk(queue_url, chunk)
            result.sent.extend(sent)
            result.failed.update(failed)
        return result

    def _send_chunk(
        self, queue_url: str, chunk: list[dict[str, Any]]
    ) -> tuple[list[str], dict[str, str]]:
        pending = {entry["Id"]: entry for entry in chunk}
        sent: list[str] = []
        reasons: dict[str, str] = {}
        for attempt in range(1, self.retry.attempts + 1):
            response = self._call(
                self.client.send_message_batch,
                QueueUrl=queue_url,
                Entries=list(pending.values()),
            )
            sent.extend(ok["Id"] for ok in response.get("Successful", []))
            failed = response.get("Failed", [])
            reasons = {f["Id"]: f"{f.get('Code')}: {f.get('Message', '')}" for f in failed}
            pending = {f["Id"]: pending[f["Id"]] for f in failed}
            if not pending:
                break
            if any(f.get("SenderFault") for f in failed):
                break  # the request itself is wrong: retrying cannot help
            if attempt < self.retry.attempts:
                delay = self.retry.delay(attempt)
                logger.warning(
                    "retrying failed batch entries",
                    extra={"queue_url": queue_url, "failed": len(pending), "delay": delay},
                )
                self._sleep(delay)
        return sent, {entry_id: reasons.get(entry_id, "unknown") for entry_id in pending}

    def send_webhook_messages(self, bodies: Sequence[str]) -> int:
        """Queue webhook deliveries (one message per webhook and event)."""
        return self.send_bodies(self._url("webhooks_queue_url"), bodies)

    def retry_later(self, queue_url: str, receipt_handle: str, seconds: int) -> None:
        """Make a message that failed visible again after `seconds` (retry backoff)."""
        self._call(
            self.client.change_message_visibility,
            QueueUrl=queue_url,
            ReceiptHandle=receipt_handle,
            VisibilityTimeout=max(0, min(seconds, 43_200)),
        )

    # --- dead-letter queues -------------------------------------------------------------
    def dlq_pairs(self) -> dict[str, tuple[str, str]]:
        """name -> (DLQ URL, source URL) for every configured pair."""
        pairs: dict[str, tuple[str, str]] = {}
        for name in ("documents", "claims", "webhooks"):
            dlq = getattr(self.settings, f"{name}_dlq_url")
            source = getattr(self.settings, f"{name}_queue_url")
            if dlq and source:
                pairs[name] = (str(dlq), str(source))
        return pairs

    def move_back(
        self, dlq_url: str, source_url: str, *, limit: int | None = None, hold_seconds: int = 30
    ) -> int:
        """Move messages from `dlq_url` to `source_url`; returns how many were moved.

        Each message is deleted from the DLQ only after its send succeeded; one whose send
        failed becomes visible in the DLQ again after `hold_seconds`, and QueueSendError is
        raised once the rest is done.
        """
        moved = 0
        empty_polls = 0
        failures: dict[str, str] = {}
        while limit is None or moved < limit:
            want = MAX_BATCH_ENTRIES if limit is None else min(MAX_BATCH_ENTRIES, limit - moved)
            response = self._call(
                self.client.receive_message,
                QueueUrl=dlq_url,
                MaxNumberOfMessages=want,
                WaitTimeSeconds=0,
                VisibilityTimeout=hold_seconds,
                MessageAttributeNames=["All"],
            )
            messages = response.get("Messages", [])
            if not messages:
                empty_polls += 1
                if empty_polls >= 5 or self.approximate_depth(dlq_url)["visible"] == 0:
                    break
                continue  # short polls sample a subset of servers on AWS: ask again
            empty_polls = 0
            entries: list[dict[str, Any]] = []
            handles: dict[str, str] = {}
            for i, msg in enumerate(messages):
                entry: dict[str, Any] = {"Id": f"m{i}", "MessageBody": msg["Body"]}
                if msg.get("MessageAttributes"):
                    entry["MessageAttributes"] = msg["MessageAttributes"]
                entries.append(entry)
                handles[entry["Id"]] = msg["ReceiptHandle"]
            result = self.send_entries(source_url, entries)
            if result.sent:
                self._call(
                    self.client.delete_message_batch,
                    QueueUrl=dlq_url,
                    Entries=[{"Id": i, "ReceiptHandle": handles[i]} for i in result.sent],
                )
            moved += len(result.sent)
            failures.update(result.failed)
            if result.failed:
                break
        if failures:
            raise QueueSendError(
                f"{len(failures)} messages could not be moved back from {dlq_url}",
                failed=failures,
            )
        if moved:
            logger.info("moved DLQ messages back", extra={"dlq": dlq_url, "moved": moved})
        return moved

    def redrive_dlqs(self) -> dict[str, int]:
        """Move every DLQ's messages back to its source queue: name -> moved."""
        return {name: self.move_back(dlq, src) for name, (dlq, src) in self.dlq_pairs().items()}

    def approximate_depth(self, queue_url: str) -> dict[str, int]:
        attrs = self._call(
            self.client.get_queue_attributes,
            QueueUrl=queue_url,
            AttributeNames=[
                "ApproximateNumberOfMessages",
                "ApproximateNumberOfMessagesNotVisible",
                "ApproximateNumberOfMessagesDelayed",
            ],
        )["Attributes"]
        return {
            "visible": int(attrs.get("ApproximateNumberOfMessages", 0)),
            "in_flight": int(attrs.get("ApproximateNumberOfMessagesNotVisible", 0)),
            "delayed": int(attrs.get("ApproximateNumberOfMessagesDelayed", 0)),
        }

    @staticmethod
    def _call(method: Callable[..., Any], **kwargs: Any) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return method(**kwargs)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "ClientError")
            raise QueueError(f"SQS {code}: {exc}", aws_code=code) from exc
        except BotoCoreError as exc:
            raise QueueError(f"SQS unreachable: {exc}") from exc
