"""Check-worthy claims of one document: clean -> split -> score (one batch) -> keep -> dedupe.

Offsets index the text the caller passed for plain text. For HTML (`extract_html`, or
`extract` on input that looks like HTML) they index the text trafilatura extracted, which
`extract_document` returns alongside the claims.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from factcheck.extraction.clean import html_to_text, looks_like_html
from factcheck.extraction.quantities import Quantity
from factcheck.extraction.scorer import Scorer, SentenceScore, default_scorer
from factcheck.extraction.sentences import Sentence, split_sentences
from factcheck.ids import claim_id, document_id, normalise_text


@dataclass(frozen=True, slots=True)
class ExtractedClaim:
    """A sentence with its score and explanation; `text == source[start:end]`."""

    id: str
    text: str
    start: int
    end: int
    score: float
    reasons: dict[str, float] = field(default_factory=dict)
    categories: list[str] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    context_before: str = ""
    context_after: str = ""

    def to_dict(self) -> dict[str, object]:
        """JSON-ready dict (the CLI's and the pipeline's wire shape)."""
        return {
            "id": self.id,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "score": self.score,
            "reasons": dict(self.reasons),
            "categories": list(self.categories),
            "quantities": [q.to_dict() for q in self.quantities],
            "context": {"before": self.context_before, "after": self.context_after},
            "context_before": self.context_before,
            "context_after": self.context_after,
        }


@dataclass(frozen=True, slots=True)
class ExtractionResult:
    """The claims and the text their offsets index (the input, or HTML's extracted text)."""

    source: str
    claims: list[ExtractedClaim]
    sentences: list[ExtractedClaim] = field(default_factory=list)
    status: str = "ok"
    language: str | None = None


def _claim(doc_id: str, sentences: list[Sentence], i: int, scored: SentenceScore) -> ExtractedClaim:
    s = sentences[i]
    return ExtractedClaim(
        id=claim_id(doc_id, s.start, s.text),
        text=s.text,
        start=s.start,
        end=s.end,
        score=scored.score,
        reasons=scored.reasons,
        categories=scored.categories,
        quantities=scored.quantities,
        context_before=sentences[i - 1].text if i > 0 else "",
        context_after=sentences[i + 1].text if i + 1 < len(sentences) else "",
    )


def extract_text(
    text: str,
    *,
    doc_id: str | None = None,
    threshold: float | None = None,
    include_all: bool = False,
    scorer: Scorer | None = None,
) -> list[ExtractedClaim]:
    """Claims of plain text; offsets slice `text`. `include_all` keeps every sentence."""
    sentences = split_sentences(text)
    if not sentences:
        return []
    active = scorer or default_scorer()
    bar = active.threshold if threshold is None else threshold
    scores = active.score([s.text for s in sentences])
    doc = doc_id or document_id(text)
    seen: set[str] = set()
    claims: list[ExtractedClaim] = []
    for i, scored in enumerate(scores):
        if not include_all:
            key = normalise_text(sentences[i].text).lower()
            if scored.score < bar or key in seen:
                continue
            seen.add(key)
        claims.append(_claim(doc, sentences, i, scored))
    return claims


def extract_document(
    text: str,
    *,
    doc_id: str | None = None,
    threshold: float | None = None,
    include_all: bool = False,
    scorer: Scorer | None = None,
) -> ExtractionResult:
    """Claims of text or HTML (detected), with the text the offsets index."""
    source = html_to_text(text) if looks_like_html(text) else text
    claims = extract_text(
        source,
        doc_id=doc_id or document_id(source),
        threshold=threshold,
        include_all=include_all,
        scorer=scorer,
    )
    return ExtractionResult(source, claims, status="ok" if source.strip() else "no_text")


def extract(
    text: str,
    *,
    doc_id: str | None = None,
    threshold: float | None = None,
    include_all: bool = False,
    scorer: Scorer | None = None,
) -> list[ExtractedClaim]:
    """Check-worthy claims of `text` (HTML detected and converted first).

    For plain text, `text[c.start:c.end] == c.text` for every claim.
    """
    return extract_document(
        text, doc_id=doc_id, threshold=threshold, include_all=include_all, scorer=scorer
    ).claims


def extract_html(
    html: str,
    *,
    doc_id: str | None = None,
    threshold: float | None = None,
    include_all: bool = False,
    scorer: Scorer | None = None,
) -> ExtractionResult:
    """Claims of an HTML page; offsets index `result.source` (trafilatura's text)."""
    source = html_to_text(html)
    claims = extract_text(
        source,
        doc_id=doc_id or document_id(source),
        threshold=threshold,
        include_all=include_all,
        scorer=scorer,
    )
    return ExtractionResult(source, claims)
