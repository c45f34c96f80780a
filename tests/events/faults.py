"""Fault injectors for the pipeline tests: wrap a real dependency, break it on purpose."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from factcheck.pipeline.messages import ExtractedClaimLike
from factcheck.pipeline.services import Extractor


class InjectedFault(RuntimeError):
    """Raised where a test injected a crash."""


class PoisonExtractor:
    """Delegates to a real extractor, but raises for the poison document ids until healed."""

    def __init__(self, inner: Extractor, poison: set[str]) -> None:
        self.inner = inner
        self.poison = set(poison)
        self.calls: dict[str, int] = {}

    def __call__(self, text: str, document_id: str) -> Sequence[ExtractedClaimLike]:
        self.calls[document_id] = self.calls.get(document_id, 0) + 1
        if document_id in self.poison:
            raise InjectedFault(f"poison document {document_id}")
        return self.inner(text, document_id)

    def heal(self) -> None:
        self.poison.clear()


class _ClientProxy:
    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class DuplicatingSqsClient(_ClientProxy):
    """Every message is sent twice (at-least-once delivery, made certain)."""

    def send_message(self, **kwargs: Any) -> Any:
        self._inner.send_message(**kwargs)
        return self._inner.send_message(**kwargs)

    def send_message_batch(self, **kwargs: Any) -> Any:
        self._inner.send_message_batch(**kwargs)
        return self._inner.send_message_batch(**kwargs)


class PartlyFailingSqsClient(_ClientProxy):
    """SendMessageBatch reports entries Failed without sending them, as SQS can.

    `fail_every` picks which entries fail (every n-th of a request) for the first
    `failing_calls` batch requests; later requests go through untouched. Every request's
    entry ids are recorded, so a test can check that only the failed ones were retried.
    """

    def __init__(
        self, inner: Any, *, fail_every: int = 3, failing_calls: int = 1, sender_fault: bool = False
    ) -> None:
        super().__init__(inner)
        self.fail_every = fail_every
        self.failing_calls = failing_calls
        self.sender_fault = sender_fault
        self.requests: list[list[str]] = []
        self.reported_failed: list[str] = []

    def send_message_batch(self, *, QueueUrl: str, Entries: list[dict[str, Any]]) -> Any:
        self.requests.append([e["Id"] for e in Entries])
        if len(self.requests) > self.failing_calls:
            return self._inner.send_message_batch(QueueUrl=QueueUrl, Entries=Entries)
        failing = [e for i, e in enumerate(Entries) if i % self.fail_every == 0]
        passing = [e for e in Entries if e not in failing]
        response: dict[str, Any] = {"Successful": [], "Failed": []}
        if passing:
            response = dict(self._inner.send_message_batch(QueueUrl=QueueUrl, Entries=passing))
            response.setdefault("Failed", [])
        for entry in failing:
            self.reported_failed.append(entry["Id"])
            response["Failed"].append(
                {
                    "Id": entry["Id"],
                    "SenderFault": self.sender_fault,
                    "Code": "InternalError",
                    "Message": "injected failure",
                }
            )
        return response


class CrashingSqsClient(_ClientProxy):
    """SendMessage crashes: the process 'dies' after the write and before the queueing."""

    def send_message(self, **kwargs: Any) -> Any:
        raise InjectedFault("crashed before the document was queued")
