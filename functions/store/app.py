"""Store function: claims queue -> DynamoDB (claims `queued`). Thin and idempotent."""

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
from factcheck.pipeline.messages import ClaimMessage
from factcheck.pipeline.store import store_claim


class ClaimRecord(SqsRecordModel):
    body: Json[ClaimMessage]


# logger=: a failed record is logged at WARNING with its traceback (Powertools logs it at
# DEBUG otherwise, below the INFO level the template sets)
processor = BatchProcessor(event_type=EventType.SQS, model=ClaimRecord, logger=logger)


def record_handler(record: ClaimRecord) -> None:
    deps = services.current()
    store_claim(deps.repository, record.body, deps.queues)


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
