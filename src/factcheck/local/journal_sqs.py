"""The journal's SQS side: hooks on moto's SQS model that append every queue change.

A put is appended and inserted under one lock (`Recorder.sqs_lock`), so a receive can never
be journalled before the message it received. Split from `journal_hooks` (the DynamoDB side,
replay and compaction) to keep each module to one job.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, Protocol

from moto.sqs.models import Queue, SQSBackend

from factcheck.local import journal_state
from factcheck.local.journal import Record


class Recorder(Protocol):
    """What the hooks need of `journal_hooks.Recorder` (named here to keep the import one-way)."""

    @property
    def sqs_lock(self) -> AbstractContextManager[Any]: ...

    def append(self, record: Record) -> None: ...


_installed: set[str] = set()


def _queue_key(backend: Any, name: str) -> tuple[str, str, str]:
    return (str(backend.account_id), str(backend.region_name), name)


def install(recorder: Recorder) -> None:
    """Journal every SQS change moto makes (once per process)."""
    if "sqs" in _installed:
        return
    _installed.add("sqs")
    _hook_messages(recorder)
    _hook_queues(recorder)


def _hook_messages(recorder: Recorder) -> None:
    add_message = Queue.add_message
    delete_message = SQSBackend.delete_message
    receive_message = SQSBackend.receive_message

    def put(queue: Any, message: Any) -> None:
        with recorder.sqs_lock:
            add_message(queue, message)
            if queue.fifo_queue and not any(m is message for m in queue._messages):
                return  # deduplicated: nothing changed
            recorder.append(
                {
                    "t": "m_put",
                    "a": queue.account_id,
                    "r": queue.region,
                    "n": queue.name,
                    "m": journal_state.message_state(message),
                }
            )

    def delete(backend: Any, queue_name: str, receipt_handle: str) -> None:
        queue = backend.get_queue(queue_name)
        ids = [m.id for m in list(queue._messages) if m.had_receipt_handle(receipt_handle)]
        delete_message(backend, queue_name, receipt_handle)
        a, r, n = _queue_key(backend, queue_name)
        with recorder.sqs_lock:
            for message_id in ids:
                recorder.append({"t": "m_del", "a": a, "r": r, "n": n, "id": message_id})

    def receive(backend: Any, queue_name: str, *args: Any, **kwargs: Any) -> Any:
        result = receive_message(backend, queue_name, *args, **kwargs)
        if result:
            a, r, n = _queue_key(backend, queue_name)
            got = [
                [m.id, m.approximate_receive_count, m.approximate_first_receive_timestamp]
                for m in result
            ]
            with recorder.sqs_lock:
                recorder.append({"t": "m_recv", "a": a, "r": r, "n": n, "m": got})
        return result

    Queue.add_message = put  # type: ignore[method-assign,assignment]
    SQSBackend.delete_message = delete  # type: ignore[method-assign,assignment]
    SQSBackend.receive_message = receive  # type: ignore[method-assign,assignment]


def _hook_queues(recorder: Recorder) -> None:
    create_queue = SQSBackend.create_queue
    set_attributes = SQSBackend.set_queue_attributes
    delete_queue = SQSBackend.delete_queue
    purge_queue = SQSBackend.purge_queue

    def create(backend: Any, name: str, tags: Any = None, **kwargs: Any) -> Any:
        with recorder.sqs_lock:
            existed = name in backend.queues
            queue = create_queue(backend, name, tags, **kwargs)
            if not existed:
                a, r, n = _queue_key(backend, name)
                kw = {k: v for k, v in kwargs.items() if k != "region"}
                recorder.append({"t": "q_create", "a": a, "r": r, "n": n, "kw": kw, "tags": tags})
        return queue

    def changed(kind: str, original: Callable[..., Any], **extra: str) -> Callable[..., Any]:
        def hook(backend: Any, queue_name: str, *args: Any) -> Any:
            with recorder.sqs_lock:
                result = original(backend, queue_name, *args)
                a, r, n = _queue_key(backend, queue_name)
                record: Record = {"t": kind, "a": a, "r": r, "n": n}
                record.update({name: args[0] for name in extra.values()})
                recorder.append(record)
            return result

        return hook

    SQSBackend.create_queue = create  # type: ignore[method-assign,assignment]
    SQSBackend.set_queue_attributes = changed(  # type: ignore[method-assign]
        "q_attrs", set_attributes, attributes="attrs"
    )
    SQSBackend.delete_queue = changed("q_delete", delete_queue)  # type: ignore[method-assign]
    SQSBackend.purge_queue = changed("q_purge", purge_queue)  # type: ignore[method-assign]
