"""Extract step: one document id in, its claims recorded on the document, then queued.

The document records the ids of the claims extraction produced before they are queued,
and stays `extracting`: the store step makes it `extracted` when the last of them is
stored (so `extracted` means every claim is in the table), or this step does at once when
there are none. A claim message lost on the way (deleted, purged from the DLQ) leaves the
document `extracting`, and the sweeper re-drives it (docs/storage.md, self-healing).

Idempotent on the document id: a redelivery of an already extracted document is a no-op
success; a redelivery while (or after a crash while) it was `extracting` extracts again
and re-sends the claims not stored yet (the store step deduplicates on content-hash ids).

Only claims within the processing limits are queued (`factcheck.domain.limits`: a
sentence over the size limit or without a word, and claims over the document's budget,
are skipped); the document's `error` says how many were skipped and why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from factcheck.domain import limits
from factcheck.domain.errors import IllegalTransition
from factcheck.domain.models import FINISHED_STATUSES, Document, DocumentStatus
from factcheck.domain.sentences import ScoredSentence
from factcheck.observability import logger
from factcheck.pipeline.messages import ClaimMessage, ExtractedClaimLike
from factcheck.pipeline.queues import Queues
from factcheck.pipeline.services import ExtractionLike, Extractor
from factcheck.storage.ports import ExtractionStore
from factcheck.webhooks.events import document_event, emit

# States from which extraction may (re)start: a retry after a crash finds `extracting`,
# a re-driven document that was given up on finds `failed`.
_STARTABLE = (DocumentStatus.RECEIVED, DocumentStatus.EXTRACTING, DocumentStatus.FAILED)
# The extractor's statuses that mean there is nothing to claim (factcheck.extraction).
_NO_CLAIMS = {
    "no_text": DocumentStatus.NO_TEXT,
    "unsupported_language": DocumentStatus.UNSUPPORTED_LANGUAGE,
}


@dataclass(frozen=True)
class ExtractResult:
    document_id: str
    claim_count: int
    already_done: bool = False


def process_document(
    repo: ExtractionStore, queues: Queues, extractor: Extractor, document_id: str
) -> ExtractResult:
    """Load, mark `extracting`, extract, record the claims, queue them (raises on failure)."""
    doc = repo.get_document(document_id)  # NotFound -> the record fails -> retried -> DLQ
    if doc.status in FINISHED_STATUSES:
        return _already_done(doc)
    if doc.status is DocumentStatus.EXTRACTING and doc.claims_queued_at is not None:
        # a redelivery after this extraction queued every claim: they are on their way (a
        # claim lost after this is healed by the sweeper's re-drive, which clears the mark)
        logger.info("document's claims already queued", extra={"document_id": doc.id})
        return ExtractResult(doc.id, doc.claim_count or 0, already_done=True)
    try:
        doc = repo.set_document_status(document_id, DocumentStatus.EXTRACTING, expected=_STARTABLE)
    except IllegalTransition:
        doc = repo.get_document(document_id)
        if doc.status in FINISHED_STATUSES:  # a concurrent delivery finished first
            return _already_done(doc)
        raise

    extraction = _extract(extractor, doc)
    found, final, language = _outcome(extraction)
    if final is not None:  # nothing to claim: ended here, no claims, no event
        try:
            repo.record_extraction(
                document_id, [], error=_why(final, language), language=language, final=final
            )
        except IllegalTransition:
            doc = repo.get_document(document_id)
            if doc.status in FINISHED_STATUSES:
                return _already_done(doc)
            raise
        logger.info(
            "document extracted: no claims",
            extra={"document_id": document_id, "status": final.value, "language": language},
        )
        return ExtractResult(document_id=document_id, claim_count=0)
    scored = _sentences(extraction)
    if scored:  # every sentence, for reviewers (GET /documents/{id}/sentences)
        repo.put_sentences(document_id, scored)
    admitted = limits.admit_claims(
        found,
        text_chars=len(doc.text),
        text_of=lambda c: c.text,
        score_of=lambda c: float(c.score),
    )
    claims = [ClaimMessage.from_extracted(document_id, c) for c in admitted.kept]
    # What this extraction produced is recorded BEFORE anything is queued: the document is
    # `extracted` only when the store step has seen every one (or now, if none is missing).
    try:
        doc, completed = repo.record_extraction(
            document_id,
            [c.id for c in claims],
            error=admitted.note,  # what was skipped, if anything (None clears it)
            language=language,
        )
    except IllegalTransition:
        doc = repo.get_document(document_id)
        if doc.status in FINISHED_STATUSES:  # a concurrent delivery finished first
            return _already_done(doc)
        raise
    if completed:
        emit(repo, queues, document_event(doc))  # document.extracted, from the outbox
    else:
        stored = repo.stored_claim_ids(document_id)  # a re-drive sends only what is missing
        queues.send_claims([c for c in claims if c.id not in stored])
        repo.mark_claims_queued(document_id)
    logger.info(
        "document extracted: claims recorded",
        extra={"document_id": document_id, "claims": len(claims), "skipped": admitted.skipped},
    )
    return ExtractResult(document_id=document_id, claim_count=len(claims))


def _extract(extractor: Extractor, doc: Document) -> ExtractionLike | Sequence[ExtractedClaimLike]:
    """The stored text, with its page's block layout when it has one (rendered from HTML):
    the claims are then those of the HTML itself. A document without one (plain text, or
    stored before layouts were kept) extracts from its text alone, as it always did, and an
    extractor that only reads text (a test's) is called as before for it."""
    if doc.layout is None:
        return extractor(doc.text, doc.id)
    return extractor(doc.text, doc.id, doc.layout)


def _outcome(
    found: ExtractionLike | Sequence[ExtractedClaimLike],
) -> tuple[list[ExtractedClaimLike], DocumentStatus | None, str | None]:
    """(claims, the final status when there are none to find, language) of an extraction;
    a bare list of claims (a test's extractor) reads as status ok, language unknown."""
    if not hasattr(found, "status"):
        return list(cast("Sequence[ExtractedClaimLike]", found)), None, None
    result = cast(ExtractionLike, found)
    if result.status in _NO_CLAIMS:
        return [], _NO_CLAIMS[result.status], result.language
    return list(result.claims), None, result.language


def _sentences(found: object) -> list[ScoredSentence]:
    """Every sentence the extractor scored (`ExtractionResult.sentences`); none from a bare
    list of claims."""
    return [
        ScoredSentence(
            start=s.start,
            end=s.end,
            score=float(s.score),
            logit=float(getattr(s, "logit", 0.0)),
            selected=bool(getattr(s, "selected", True)),
            gate=getattr(s, "gate", None),
            explanation=list(getattr(s, "explanation", [])),
        )
        for s in getattr(found, "sentences", None) or []
    ]


def _why(status: DocumentStatus, language: str | None) -> str:
    """The document's `error` for a status with no claims, in plain words."""
    if status is DocumentStatus.UNSUPPORTED_LANGUAGE:
        return (
            f"The text is in a language the claim finder does not read (detected: "
            f"{language or 'unknown'}); it reads English only, so no claims were extracted."
        )
    return "No readable article text was found (only page furniture, or nothing), so no claims."


def _already_done(doc: Document) -> ExtractResult:
    logger.info("document already extracted", extra={"document_id": doc.id})
    return ExtractResult(doc.id, doc.claim_count or 0, already_done=True)
