"""Queue messages: document ids only; one claim each, always under the SQS size limit."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from factcheck.domain.models import ClaimStatus
from factcheck.extraction.extractor import ExtractedClaim
from factcheck.extraction.quantities import Quantity as ExtractedQuantity
from factcheck.ids import claim_id
from factcheck.pipeline.messages import (
    MAX_MESSAGE_BYTES,
    ClaimMessage,
    DocumentMessage,
    MessageTooLarge,
)

pytestmark = pytest.mark.unit


def _extracted(**changes: object) -> ExtractedClaim:
    fields: dict[str, object] = {
        "id": claim_id("d1", 10, "Russia has a 3–1 manpower advantage."),
        "text": "Russia has a 3–1 manpower advantage.",
        "start": 10,
        "end": 46,
        "score": 0.9,
        "reasons": {"ratio": 1.0},
        "categories": ["ratio", "comparison"],
        "quantities": [ExtractedQuantity("ratio", 3.0, 3.0, None, "3–1")],
        "context_before": "Before.",
        "context_after": "After.",
    }
    fields.update(changes)
    return ExtractedClaim(**fields)  # type: ignore[arg-type]


def test_a_document_message_carries_only_the_document_id() -> None:
    body = DocumentMessage(document_id="dabc").to_body()
    assert json.loads(body) == {"document_id": "dabc"}


def test_a_document_message_refuses_anything_else_such_as_the_article_text() -> None:
    with pytest.raises(ValidationError):
        DocumentMessage.model_validate({"document_id": "dabc", "text": "the whole article"})


def test_a_claim_message_keeps_every_field_of_the_extracted_claim() -> None:
    extracted = _extracted()
    message = ClaimMessage.from_extracted("d1", extracted)
    assert message.id == extracted.id
    assert (message.text, message.start, message.end) == (extracted.text, 10, 46)
    assert message.quantities[0].kind == "ratio" and message.quantities[0].low == 3.0
    assert message.categories == ["comparison", "ratio"]
    assert ClaimMessage.model_validate_json(message.to_body()) == message


def test_a_claim_message_becomes_a_queued_claim() -> None:
    claim = ClaimMessage.from_extracted("d1", _extracted()).to_claim()
    assert claim.status is ClaimStatus.QUEUED
    assert claim.document_id == "d1"
    assert claim.context_before == "Before." and claim.context_after == "After."


def test_an_oversized_context_is_trimmed_so_the_message_fits_and_the_claim_stays_whole() -> None:
    huge = "é" * MAX_MESSAGE_BYTES
    message = ClaimMessage.from_extracted(
        "d1", _extracted(context_before=huge + "NEAR", context_after="NEAR" + huge)
    )
    body = message.to_body()
    assert len(body.encode("utf-8")) < MAX_MESSAGE_BYTES
    decoded = ClaimMessage.model_validate_json(body)
    assert decoded.text == message.text
    assert decoded.context_before.endswith("NEAR") and decoded.context_after.startswith("NEAR")


def test_a_claim_too_large_for_any_message_is_refused() -> None:
    message = ClaimMessage.from_extracted("d1", _extracted(text="x" * MAX_MESSAGE_BYTES))
    with pytest.raises(MessageTooLarge):
        message.to_body()
