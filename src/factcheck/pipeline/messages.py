"""What travels on the queues: a document id, or one extracted claim.

The documents queue never carries the article text (DynamoDB holds it); a claim message
carries one claim and its context, and is checked against the SQS size limit when it is
serialised, trimming the context rather than ever sending an oversized message.
"""

from __future__ import annotations

from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

from factcheck.domain import limits
from factcheck.domain.errors import FactcheckError
from factcheck.domain.models import Claim, ClaimStatus, Quantity
from factcheck.ids import claim_id

# SQS limits: one message, and one SendMessageBatch request (sum of its bodies).
MAX_MESSAGE_BYTES = 256 * 1024
MAX_BATCH_BYTES = 256 * 1024
MAX_BATCH_ENTRIES = 10
# Headroom under the limit (attributes, encoding differences between emulators and AWS).
_BODY_BUDGET = MAX_MESSAGE_BYTES - 2 * 1024


class MessageTooLarge(FactcheckError):
    code = "message_too_large"
    http_status = 413


class ExtractedClaimLike(Protocol):
    """The shape of `factcheck.extraction.extractor.ExtractedClaim` the pipeline relies on."""

    @property
    def text(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def score(self) -> float: ...


class DocumentMessage(BaseModel):
    """Body of a documents-queue message: only the id of a document stored in DynamoDB."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    document_id: str = Field(min_length=1, max_length=128)

    def to_body(self) -> str:
        return self.model_dump_json()


class ClaimMessage(BaseModel):
    """Body of a claims-queue message: one extracted claim of one document."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, max_length=128)
    document_id: str = Field(min_length=1, max_length=128)
    text: str = Field(min_length=1)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    score: float = Field(ge=0.0, le=1.0)
    logit: float = 0.0  # orders the queue where scores tie (older messages: 0)
    reasons: dict[str, float] = Field(default_factory=dict)
    categories: list[str] = Field(default_factory=list)
    quantities: list[Quantity] = Field(default_factory=list)
    context_before: str = ""
    context_after: str = ""

    @classmethod
    def from_extracted(cls, document_id: str, claim: ExtractedClaimLike) -> ClaimMessage:
        """Build from an extractor result; the id is the content hash (computed if absent)."""
        cid = getattr(claim, "id", None) or claim_id(document_id, claim.start, claim.text)
        found = list(getattr(claim, "quantities", ()) or ())[: limits.MAX_CLAIM_QUANTITIES]
        quantities = [
            q if isinstance(q, Quantity) else Quantity.model_validate(q, from_attributes=True)
            for q in found
        ]
        before, after = limits.trim_context(
            getattr(claim, "context_before", "") or "", getattr(claim, "context_after", "") or ""
        )
        return cls(
            id=cid,
            document_id=document_id,
            text=claim.text,
            start=claim.start,
            end=claim.end,
            score=min(1.0, max(0.0, float(claim.score))),
            logit=float(getattr(claim, "logit", 0.0) or 0.0),
            reasons=dict(getattr(claim, "reasons", {}) or {}),
            categories=sorted(getattr(claim, "categories", ()) or ()),
            quantities=quantities,
            context_before=before,
            context_after=after,
        )

    def to_body(self, limit: int = _BODY_BUDGET) -> str:
        """JSON body under `limit` bytes: the context is trimmed first; the claim never is."""
        body = self.model_dump_json()
        if len(body.encode("utf-8")) <= limit:
            return body
        trimmed = self.model_copy(update={"context_before": "", "context_after": ""})
        spare = limit - len(trimmed.model_dump_json().encode("utf-8"))
        if spare < 0:
            raise MessageTooLarge(
                f"claim {self.id} does not fit in one SQS message", claim_id=self.id
            )
        # Keep the context nearest the claim: the end of the text before, the start after.
        # Each side gets half the spare bytes, counted conservatively (4 bytes a character
        # at most in UTF-8, and JSON escapes at most 6 a character).
        keep = max(0, spare // 2 // 6)
        body = self.model_copy(
            update={
                "context_before": self.context_before[-keep:] if keep else "",
                "context_after": self.context_after[:keep],
            }
        ).model_dump_json()
        if len(body.encode("utf-8")) > limit:  # pragma: no cover - defensive
            body = trimmed.model_dump_json()
        return body

    def to_claim(self) -> Claim:
        """The Claim as it enters the review queue."""
        return Claim(
            id=self.id,
            document_id=self.document_id,
            text=self.text,
            start=self.start,
            end=self.end,
            score=self.score,
            logit=self.logit,
            reasons=self.reasons,
            categories=self.categories,
            quantities=self.quantities,
            context_before=self.context_before,
            context_after=self.context_after,
            status=ClaimStatus.QUEUED,
        )
