"""SQS: a receive no longer costs the square of the backlog.

For every message a ReceiveMessage hands out, moto (5.2) checks the retention period by
building the queue's whole attribute map several times, and each map counts the queue's
messages (visible, delayed, in flight) one by one (measured: with ~700 claims waiting, 60% of
the emulator's time). Here the retention period is read from the queue directly, and
GetQueueAttributes builds the map once per call instead of three times per attribute asked
for. SQS requests are not serialised; neither replacement keeps state between calls.
"""

from __future__ import annotations

from typing import Any


def install() -> None:
    from moto.core.utils import unix_time
    from moto.sqs.exceptions import InvalidAttributeName
    from moto.sqs.models import SQSBackend

    for name in ("get_queue_attributes", "is_message_valid_based_on_retention_period"):
        if not hasattr(SQSBackend, name):  # moto no longer calls what the patch replaces
            raise AttributeError(f"SQSBackend has no {name}")

    def get_queue_attributes(
        self: Any, queue_name: str, attribute_names: list[str]
    ) -> dict[str, Any]:
        queue = self.get_queue(queue_name)
        if not attribute_names:
            return {}
        valid = ["All", *queue.BASE_ATTRIBUTES, *queue.FIFO_ATTRIBUTES, *queue.KMS_ATTRIBUTES]
        invalid = next((name for name in attribute_names if name not in valid), None)
        if invalid is not None:  # "" included
            raise InvalidAttributeName(invalid)
        attributes: dict[str, Any] = queue.attributes  # built once
        if "All" in attribute_names:
            return attributes
        return {n: attributes[n] for n in attribute_names if attributes.get(n) is not None}

    def is_message_valid_based_on_retention_period(
        self: Any, queue_name: str, message: Any
    ) -> bool:
        retention = int(self.get_queue(queue_name).message_retention_period)
        return bool(retention + message.sent_timestamp / 1000 > unix_time())

    SQSBackend.get_queue_attributes = get_queue_attributes  # type: ignore[method-assign]
    SQSBackend.is_message_valid_based_on_retention_period = (  # type: ignore[method-assign]
        is_message_valid_based_on_retention_period
    )
