"""Build Lambda-shaped events for the pipeline's handlers from the samples beside this file."""

from __future__ import annotations

import copy
import hashlib
import json
import uuid
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from factcheck.local.lambda_runtime import LocalLambdaContext
from factcheck.pipeline.messages import ClaimMessage, DocumentMessage
from factcheck.pipeline.queues import RetryPolicy

EVENTS = Path(__file__).resolve().parent

# Retries without real waiting, and a 1 s visibility timeout for failed messages: a poison
# message reaches the DLQ after maxReceiveCount (3) tries in about 3 s.
FAST_RETRY = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.05)
TEST_VISIBILITY_TIMEOUT = 1


@cache
def _sample(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EVENTS / name).read_text(encoding="utf-8"))
    return data


def sample_event(name: str) -> dict[str, Any]:
    """A fresh copy of a sample event: sqs_documents.json, sqs_claims.json, schedule.json."""
    return copy.deepcopy(_sample(name))


def sqs_record(
    body: str | BaseModel,
    *,
    sample: str = "sqs_documents.json",
    message_id: str | None = None,
    receive_count: int = 1,
) -> dict[str, Any]:
    """One SQS record shaped like the sample, with this body."""
    text = body.model_dump_json() if isinstance(body, BaseModel) else body
    record = copy.deepcopy(_sample(sample)["Records"][0])
    record["messageId"] = message_id or str(uuid.uuid4())
    record["receiptHandle"] = f"handle-{record['messageId']}"
    record["body"] = text
    record["md5OfBody"] = hashlib.md5(text.encode("utf-8")).hexdigest()
    record["attributes"]["ApproximateReceiveCount"] = str(receive_count)
    return record


def document_event(*document_ids: str) -> dict[str, Any]:
    """An SQS event from the documents queue, one record per id."""
    return {"Records": [sqs_record(DocumentMessage(document_id=d)) for d in document_ids]}


def claims_event(*messages: ClaimMessage) -> dict[str, Any]:
    """An SQS event from the claims queue, one record per claim message."""
    return {"Records": [sqs_record(m, sample="sqs_claims.json") for m in messages]}


def raw_event(*bodies: str, sample: str = "sqs_documents.json") -> dict[str, Any]:
    """An SQS event with arbitrary (possibly malformed) bodies."""
    return {"Records": [sqs_record(b, sample=sample) for b in bodies]}


def sample_claim_message(**changes: Any) -> ClaimMessage:
    body = _sample("sqs_claims.json")["Records"][0]["body"]
    return ClaimMessage.model_validate_json(body).model_copy(update=changes)


def scheduled_event() -> dict[str, Any]:
    return sample_event("schedule.json")


def lambda_context(function_name: str = "ExtractFunction") -> LocalLambdaContext:
    return LocalLambdaContext(
        function_name=function_name, memory_limit_in_mb=512, timeout_seconds=30, region="us-east-1"
    )
