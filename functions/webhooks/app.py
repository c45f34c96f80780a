"""Deliver-webhooks function: webhooks queue -> signed POSTs. Thin: parse, call, report.

A failed delivery raises (the record fails, SQS redelivers it); before that the message's
visibility is set to the backoff delay, so retries spread out (30 s, 60 s, 120 s...) until
maxReceiveCount moves it to the DLQ.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.parser.models import SqsRecordModel
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import Json

from factcheck.observability import logger
from factcheck.pipeline import services
from factcheck.webhooks.delivery import DeliveryFailed, backoff_seconds, deliver
from factcheck.webhooks.events import WebhookMessage


class WebhookRecord(SqsRecordModel):
    body: Json[WebhookMessage]


# logger=: a failed record is logged at WARNING with its traceback (Powertools logs it at
# DEBUG otherwise, below the INFO level the template sets)
processor = BatchProcessor(event_type=EventType.SQS, model=WebhookRecord, logger=logger)


def record_handler(record: WebhookRecord) -> None:
    deps = services.current()
    attempt = int(record.attributes.ApproximateReceiveCount)
    try:
        deliver(deps.repository, deps.settings, record.body, attempt=attempt)
    except DeliveryFailed:
        delay = backoff_seconds(deps.settings, attempt)
        deps.queues.retry_later(deps.settings.webhooks_queue_url or "", record.receiptHandle, delay)
        raise


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
