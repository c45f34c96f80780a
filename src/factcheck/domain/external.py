"""Other publishers' fact checks, imported from their ClaimReview markup.

A newsroom wants to know that a claim in front of it was already checked elsewhere. An
imported check is kept as the publisher stated it: their claim, their rating label and
their page; it is matched like our own claims but never enters our review queue.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from factcheck.domain.models import utcnow


class ExternalCheck(BaseModel):
    """One ClaimReview published by someone else."""

    model_config = ConfigDict(frozen=True)

    id: str  # a hash of the review's url: re-importing the same review changes nothing
    url: str  # the publisher's fact-check page
    claim_reviewed: str
    publisher: str
    publisher_url: str | None = None
    rating: str  # the publisher's text verdict (alternateName, else name)
    rating_value: float | None = None
    best_rating: float | None = None
    worst_rating: float | None = None
    claim_author: str | None = None  # who made the claim, as the publisher says
    date_published: datetime | None = None
    imported_at: datetime = Field(default_factory=utcnow)
