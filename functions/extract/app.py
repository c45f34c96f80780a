"""Extract function: documents queue -> claims queue. Thin: parse, call factcheck, report."""

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
from factcheck.pipeline.extract import process_document
from factcheck.pipeline.messages import DocumentMessage


class DocumentRecord(SqsRecordModel):
    body: Json[DocumentMessage]


# logger=: a failed record is logged at WARNING with its traceback (Powertools logs it at
# DEBUG otherwise, below the INFO level the template sets)
processor = BatchProcessor(event_type=EventType.SQS, model=DocumentRecord, logger=logger)


def record_handler(record: DocumentRecord) -> None:
    deps = services.current()
    process_document(deps.repository, deps.queues, deps.extractor, record.body.document_id)


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
