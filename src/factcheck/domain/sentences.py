"""Every sentence of a document as extraction scored it, selected or not: what a reviewer
reads to see what the claim finder left below the line, and why (gate, explanation)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ScoredSentence(BaseModel):
    """One sentence; `text` is `document.text[start:end]` (filled when it is read)."""

    model_config = ConfigDict(frozen=True)

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    score: float  # the calibrated probability of being check-worthy
    logit: float  # the model's raw output: orders sentences whose scores tie
    selected: bool  # became a claim (above the threshold, within the article's budget)
    gate: str | None = None  # why a rule kept it out (a headline, a byline, ad copy...)
    explanation: list[str] = Field(default_factory=list)  # what the score rests on
    text: str = ""


class DocumentSentences(BaseModel):
    """What extraction recorded; `truncated` when the item limit forced rows out."""

    document_id: str
    items: list[ScoredSentence]
    truncated: bool = False
