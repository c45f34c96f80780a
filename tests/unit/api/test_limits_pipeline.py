"""The claim-level limits where the pipeline builds claims: whatever the extractor finds, the
extract step queues only claims that fit (size, quantities, context, words, the document's
budget), says on the document what it skipped, and the store step writes key-safe index items.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

from factcheck.domain import limits
from factcheck.domain.models import Document, DocumentStatus, Quantity
from factcheck.ids import claim_id, document_id
from factcheck.pipeline import services as services_mod
from factcheck.pipeline.extract import process_document
from factcheck.pipeline.messages import MAX_MESSAGE_BYTES, ClaimMessage
from factcheck.pipeline.queues import Queues, RetryPolicy
from factcheck.pipeline.services import Services
from factcheck.pipeline.store import store_claim
from factcheck.settings import Settings

pytestmark = pytest.mark.unit

NO_WAIT = RetryPolicy(attempts=2, base_delay=0.0, max_delay=0.0)


@dataclass(frozen=True)
class Found:
    """What an extractor returns for one sentence (the shape the pipeline relies on)."""

    text: str
    start: int
    end: int
    score: float
    quantities: list[Quantity] = field(default_factory=list)
    context_before: str = ""
    context_after: str = ""


@pytest.fixture
def deps(mock_settings: Settings) -> Iterator[Services]:
    deps = Services.from_settings(mock_settings, queues=Queues(mock_settings, retry=NO_WAIT))
    with services_mod.bind(deps):
        yield deps


def _queued(deps: Services) -> list[ClaimMessage]:
    url = str(deps.settings.claims_queue_url)
    found: list[ClaimMessage] = []
    while True:
        got = deps.queues.client.receive_message(QueueUrl=url, MaxNumberOfMessages=10)
        messages = got.get("Messages", [])
        if not messages:
            return found
        for m in messages:
            assert len(m["Body"].encode()) < MAX_MESSAGE_BYTES
            found.append(ClaimMessage.model_validate_json(m["Body"]))
            deps.queues.client.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])


def _extract(
    deps: Services, text: str, claims: Sequence[Found], *, store: bool = True
) -> tuple[Document, list[ClaimMessage]]:
    """Run the extract step, then the store step on every claim it queued (the document is
    `extracted` once the store step has seen them all); the document and those claims."""
    doc, _ = deps.repository.put_document(Document(id=document_id(text), text=text))
    deps.extractor = lambda _text, _id: claims
    process_document(deps.repository, deps.queues, deps.extractor, doc.id)
    queued = _queued(deps)
    for message in queued if store else ():
        store_claim(deps.repository, message)
    return deps.repository.get_document(doc.id), queued


def _sentences(text: str, score: float = 0.9, **extra: Any) -> list[Found]:
    out, start = [], 0
    for part in text.split(". "):
        sentence = part if part.endswith(".") else part + "."
        begin = text.index(part, start)
        out.append(Found(sentence, begin, begin + len(sentence), score, **extra))
        start = begin + len(part)
    return out


def test_a_100_kb_sentence_with_thousands_of_quantities_is_skipped_not_retried_forever(
    deps: Services,
) -> None:
    # GIVEN one 100 KB sentence with 3,450 quantities, and one ordinary sentence
    giant = "prices rose 5% and " * 5_400 + "wages fell."
    ordinary = "Exports grew 40% in 2023."
    text = f"{ordinary} {giant}"
    many = [Quantity(kind="percent", low=5, high=5, text="5%")] * 3_450
    claims = [
        Found(ordinary, 0, len(ordinary), 0.8),
        Found(giant, len(ordinary) + 1, len(text), 0.9, quantities=many),
    ]
    # WHEN it is extracted
    doc, queued = _extract(deps, text, claims)
    # THEN the ordinary claim is queued, the giant is skipped and the document says so
    assert doc.status is DocumentStatus.EXTRACTED
    assert [m.text for m in queued] == [ordinary]
    assert doc.claim_count == 1
    assert doc.error and f"longer than {limits.MAX_CLAIM_CHARS:,} characters" in doc.error


def test_quantities_and_context_are_capped_so_every_claim_fits_a_message(deps: Services) -> None:
    text = "Prices rose " + ", ".join(f"{i}%" for i in range(400)) + " in a decade."
    many = [Quantity(kind="percent", low=i, high=i, text=f"{i}%") for i in range(400)]
    claims = [
        Found(
            text,
            0,
            len(text),
            0.9,
            quantities=many,
            context_before="b" * 50_000,
            context_after="a" * 50_000,
        )
    ]
    doc, (queued,) = _extract(deps, text, claims, store=False)
    assert len(queued.quantities) == limits.MAX_CLAIM_QUANTITIES
    assert queued.quantities == many[: limits.MAX_CLAIM_QUANTITIES]  # the first, in text order
    assert len(queued.context_before) == len(queued.context_after) == limits.MAX_CONTEXT_CHARS
    assert doc.error is None


def test_bare_numbers_found_as_sentences_are_skipped_and_counted(deps: Services) -> None:
    text = "Exports grew 40% in 2023. 307756. 593667. 118213. Imports fell by half."
    doc, queued = _extract(deps, text, _sentences(text))
    assert [m.text for m in queued] == ["Exports grew 40% in 2023.", "Imports fell by half."]
    assert doc.error and "3 check-worthy sentences were not queued: 3 no words" in doc.error


def test_a_document_yields_no_more_claims_than_its_budget_and_keeps_the_best(
    deps: Services,
) -> None:
    # GIVEN 300 check-worthy sentences in a document of about 9,000 characters
    text = ". ".join(f"Region {i} grew {i % 50}% in {2000 + i % 20}" for i in range(300)) + "."
    claims = [
        Found(s.text, s.start, s.end, score=round(0.5 + (i % 10) / 20, 2))
        for i, s in enumerate(_sentences(text))
    ]
    budget = limits.claim_budget(len(text))
    assert budget < len(claims)
    # WHEN it is extracted
    doc, queued = _extract(deps, text, claims, store=False)  # the queue is what is checked
    # THEN the budget's best are queued, and the document says how many were skipped and why
    assert len(queued) == doc.claim_count == budget
    assert (
        min(m.score for m in queued) >= sorted((c.score for c in claims), reverse=True)[budget - 1]
    )
    assert doc.error and f"{len(claims) - budget:,} over the claim budget of {budget}" in doc.error


def test_a_claim_with_a_3000_character_word_is_stored_and_found_by_that_word(
    deps: Services,
) -> None:
    # GIVEN a claim holding a 3,000-character word (12 KB in UTF-8: over DynamoDB's key size)
    word = "\U0001d54f" * 3_000
    text = f"Exports grew 40% in 2023, said {word}."
    # WHEN it is extracted and the store step writes it and its index items
    doc, (message,) = _extract(deps, text, [Found(text, 0, len(text), 0.9)])
    # THEN it is stored, the document is extracted, and a search for the long word finds it
    assert doc.status is DocumentStatus.EXTRACTED
    from factcheck.matching.terms import search_terms

    assert deps.repository.get_claim(message.id).text == text
    hits = deps.repository.search_claims(search_terms(word))
    assert [c.id for c in hits] == [claim_id(document_id(text), 0, text)]
