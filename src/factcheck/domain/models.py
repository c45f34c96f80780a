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


class ClaimStatus(StrEnum):
    QUEUED = "queued"
    IN_REVIEW = "in_review"
    REVIEWED = "reviewed"
    PUBLISHED = "published"
    DISMISSED = "dismissed"


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


class Document(BaseModel):
    id: str
    text: str
    title: str | None = None
    url: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    status: DocumentStatus = DocumentStatus.RECEIVED
    claim_count: int | None = None
    error: str | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Source(BaseModel):
    id: str
    url: str
    title: str | None = None
    note: str | None = None
    added_by: str
    added_at: datetime = Field(default_factory=utcnow)


class Verdict(BaseModel):
    rating: str  # a label of the configured rating scale
    summary: str
    claim_reviewed: str | None = None  # short neutral restatement for ClaimReview
    reviewer: str
    given_at: datetime = Field(default_factory=utcnow)


class Claim(BaseModel):
    id: str
    document_id: str
    text: str
    start: int
    end: int
    score: float = Field(ge=0.0, le=1.0)
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


class User(BaseModel):
    name: str
    role: Role
    token_hash: str
    created_at: datetime = Field(default_factory=utcnow)


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a listing; `next_cursor` is opaque and signed, None on the last page."""

    items: list[T]
    next_cursor: str | None = None
