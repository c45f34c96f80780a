"""Domain models: what a document, a claim and its review are, independent of storage."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field


def utcnow() -> datetime:
    return datetime.now(UTC)


class DocumentStatus(StrEnum):
    RECEIVED = "received"
    EXTRACTING = "extracting"
    EXTRACTED = "extracted"
    FAILED = "failed"
    # Final, with no claims: nothing readable was found, or the text is in a language the
    # scorer was not trained for (`Document.language` says which); never English-model
    # claims on another language.
    NO_TEXT = "no_text"
    UNSUPPORTED_LANGUAGE = "unsupported_language"


# Extraction is over: a redelivery is a no-op, the sweeper leaves them alone.
FINISHED_STATUSES = frozenset(
    {DocumentStatus.EXTRACTED, DocumentStatus.NO_TEXT, DocumentStatus.UNSUPPORTED_LANGUAGE}
)


class ClaimStatus(StrEnum):
    QUEUED = "queued"
    IN_REVIEW = "in_review"
    REVIEWED = "reviewed"
    PUBLISHED = "published"
    DISMISSED = "dismissed"
    RETRACTED = "retracted"  # withdrawn after publication: the page answers 410 with why


class Role(StrEnum):
    SUBMITTER = "submitter"
    REVIEWER = "reviewer"
    EDITOR = "editor"
    ADMIN = "admin"


class Quantity(BaseModel):
    """A normalised quantity found in a claim: `3–1` -> kind=ratio, low=high=3 (3 to 1)."""

    model_config = ConfigDict(frozen=True)

    kind: str  # ratio, multiplier, percent, money, count, ...
    low: float
    high: float
    unit: str | None = None
    text: str


# One block of an HTML page's rendered article text: (start, end, kind, link share, group);
# `text[start:end]` is the block, kind is heading/paragraph/list_item/quote/caption/
# table_cell, group ties the items of one list or quote (factcheck.extraction.structure).
LayoutBlock = tuple[int, int, str, float, int]


class Document(BaseModel):
    id: str
    text: str
    # The page's blocks when the text was rendered from HTML, so extraction reads the stored
    # text with the page's structure; None for plain text, for documents stored before it
    # was kept, and for one whose layout did not fit the store's item limit (those extract
    # from the text alone). Internal: not in the API's responses.
    layout: list[LayoutBlock] | None = None
    title: str | None = None
    url: str | None = None
    author: str | None = None  # several authors joined by ", "
    published_at: datetime | None = None
    site_name: str | None = None  # from an HTML page's metadata
    canonical_url: str | None = None  # the page's own canonical link, as it states it
    language: str | None = None  # detected at extraction (ISO 639-1, e.g. "en", "de")
    status: DocumentStatus = DocumentStatus.RECEIVED
    claim_count: int | None = None
    # What extraction produced, recorded before the claims are queued: the document is
    # `extracted` only once every one of them is stored (docs/storage.md, self-healing).
    claim_ids: list[str] | None = None
    claims_queued_at: datetime | None = None  # all of them sent; a re-drive clears it
    error: str | None = None
    requeues: int = 0  # times re-queued while stuck since it last entered `received`
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Source(BaseModel):
    id: str
    url: str
    title: str | None = None
    # The passage of the source that supports the verdict, in the source's own words.
    quote: str | None = None
    note: str | None = None  # the reviewer's remark on the source (a page number...)
    added_by: str
    added_at: datetime = Field(default_factory=utcnow)


class Verdict(BaseModel):
    rating: str  # a label of the configured rating scale
    summary: str
    claim_reviewed: str | None = None  # short neutral restatement for ClaimReview
    reviewer: str
    given_at: datetime = Field(default_factory=utcnow)


class PublishedVersion(BaseModel):
    """A check as readers last saw it: kept on the claim while a correction is reviewed,
    so the public page and ClaimReview go on showing it until the correction is approved."""

    verdict: Verdict
    approved_by: str | None = None
    sources: list[Source] = Field(default_factory=list)


class OpenCorrection(BaseModel):
    """A correction under way: why an editor reopened the published check, and what it was."""

    note: str
    opened_by: str
    opened_at: datetime
    published: PublishedVersion


class CorrectionRecord(BaseModel):
    """A published correction, as the public page lists it (the earlier rating included)."""

    note: str
    corrected_at: datetime
    opened_by: str
    approved_by: str
    reviewer: str
    previous_rating: str
    previous_summary: str
    rating: str


class Retraction(BaseModel):
    """Why and when a published check was withdrawn."""

    reason: str
    retracted_by: str
    retracted_at: datetime


class ClaimMatch(BaseModel):
    """An earlier claim that says the same thing, as it stood when the match was found."""

    claim_id: str
    document_id: str
    similarity: float = Field(ge=0.0, le=1.0)
    status: ClaimStatus
    rating: str | None = None


class MatchCandidate(BaseModel):
    """A claim's fingerprint as the LSH index stores it (factcheck.matching.Fingerprint)."""

    claim_id: str
    document_id: str
    words: list[str] = Field(default_factory=list)
    numbers: list[str] = Field(default_factory=list)
    negated: bool = False
    direction: int = 0


class Claim(BaseModel):
    id: str
    document_id: str
    text: str
    start: int
    end: int
    score: float = Field(ge=0.0, le=1.0)
    logit: float = 0.0  # the model's raw output: orders claims whose scores tie
    reasons: dict[str, float] = Field(default_factory=dict)
    categories: list[str] = Field(default_factory=list)
    quantities: list[Quantity] = Field(default_factory=list)
    context_before: str = ""
    context_after: str = ""
    status: ClaimStatus = ClaimStatus.QUEUED
    lease_holder: str | None = None
    lease_expires_at: datetime | None = None
    sources: list[Source] = Field(default_factory=list)
    verdict: Verdict | None = None
    approved_by: str | None = None
    published_at: datetime | None = None
    dismiss_reason: str | None = None
    comment: str | None = None
    matches: list[ClaimMatch] = Field(default_factory=list)  # earlier claims saying the same
    duplicate_of: str | None = None  # the published claim this one was dismissed as a copy of
    assignee: str | None = None  # the reviewer an editor assigned the claim to
    correction: OpenCorrection | None = None  # a published check reopened for correction
    corrections: list[CorrectionRecord] = Field(default_factory=list)  # published ones
    modified_at: datetime | None = None  # when the last correction was published
    retraction: Retraction | None = None  # set once, when the check is retracted
    version: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Event(BaseModel):
    """An immutable record of one transition: who did what, when, from which state to which."""

    claim_id: str
    seq: int
    at: datetime
    actor: str
    action: str
    from_status: ClaimStatus | None
    to_status: ClaimStatus
    detail: dict[str, str] = Field(default_factory=dict)


class WebhookEventType(StrEnum):
    CLAIM_PUBLISHED = "claim.published"
    CLAIM_REVIEWED = "claim.reviewed"
    CLAIM_CORRECTED = "claim.corrected"
    CLAIM_RETRACTED = "claim.retracted"
    DOCUMENT_EXTRACTED = "document.extracted"


class Webhook(BaseModel):
    id: str
    url: str
    secret: str  # signs each delivery (HMAC-SHA256); never returned by the API
    events: list[WebhookEventType]
    created_by: str
    created_at: datetime = Field(default_factory=utcnow)


class Delivery(BaseModel):
    """One attempt to deliver one event to one webhook."""

    webhook_id: str
    event_id: str
    event_type: WebhookEventType
    attempt: int
    at: datetime = Field(default_factory=utcnow)
    ok: bool
    status_code: int | None = None
    error: str | None = None
    duration_ms: int = 0


class User(BaseModel):
    name: str
    role: Role
    token_hash: str  # the SHA-256 of the user's one live token
    created_at: datetime = Field(default_factory=utcnow)
    revoked_at: datetime | None = None  # set by `factcheck users revoke`: no token works


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a listing; `next_cursor` is opaque and signed, None on the last page."""

    items: list[T]
    next_cursor: str | None = None
