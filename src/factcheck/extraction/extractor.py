"""Check-worthy claims of one document: structure -> language -> split -> gate -> score -> select.

Offsets index `ExtractionResult.source`: the text the caller passed for plain text; for
HTML, the article text rendered from trafilatura's structured output (`structure.py`). That
rendered text plus its stored block layout reads exactly as the HTML did (the pipeline's
path: the API stores both, `Document.layout`).
`ExtractionResult.sentences` holds every sentence of the document, scored, with the gate
that kept it out or `selected=True`; `claims` is the selected ones, in document order.
Selection (`select.py`): not gated, not a repeat, calibrated score >= threshold, and at
most the per-article budget, best first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from factcheck.extraction.clean import content_spans, is_furniture, looks_like_html
from factcheck.extraction.gates import BARE_LINE, bare_line, page_gates, sentence_gate
from factcheck.extraction.quantities import Quantity
from factcheck.extraction.scorer import Scorer, SentenceScore, default_scorer
from factcheck.extraction.select import Selection, select
from factcheck.extraction.sentences import Sentence, blocks, split_block
from factcheck.extraction.structure import Block, Metadata, blocks_from_layout, structured_text
from factcheck.ids import claim_id, document_id

OK = "ok"
NO_TEXT = "no_text"
UNSUPPORTED_LANGUAGE = "unsupported_language"
MIN_LANGUAGE_CONFIDENCE = 0.5


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
    logit: float = 0.0
    explanation: list[str] = field(default_factory=list)
    gate: str | None = None
    selected: bool = True

    def to_dict(self) -> dict[str, object]:
        """JSON-ready dict (the CLI's and the pipeline's wire shape)."""
        return {
            "id": self.id,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "score": self.score,
            "logit": self.logit,
            "reasons": dict(self.reasons),
            "explanation": list(self.explanation),
            "gate": self.gate,
            "selected": self.selected,
            "categories": list(self.categories),
            "quantities": [q.to_dict() for q in self.quantities],
            "context": {"before": self.context_before, "after": self.context_after},
            "context_before": self.context_before,
            "context_after": self.context_after,
        }


@dataclass(frozen=True, slots=True)
class ExtractionResult:
    """Claims, every sentence, the text their offsets index, a status and the page's metadata.

    `status`: "ok", "no_text" (nothing readable) or "unsupported_language" (`language`
    says which; no sentence is scored by the English model).
    """

    source: str
    claims: list[ExtractedClaim]
    sentences: list[ExtractedClaim] = field(default_factory=list)
    status: str = OK
    language: str | None = None
    metadata: Metadata = field(default_factory=Metadata)
    words: int = 0


def _segments(text: str, html: bool) -> tuple[str, list[Sentence], list[str | None], Metadata]:
    """Source text, its sentences and each sentence's block-level gate."""
    if not html:
        return (text, *_plain_segments(text), Metadata())
    doc = structured_text(text)
    return (doc.source, *_structured_segments(doc.source, doc.blocks), doc.metadata)


def _plain_segments(text: str) -> tuple[list[Sentence], list[str | None]]:
    """Plain text: paragraphs from its lines; a short unpunctuated line of its own is gated."""
    plain: list[Sentence] = []
    bare: list[str | None] = []
    paragraphs = blocks(text, content_spans(text))
    for start, end in paragraphs:
        found = split_block(text, start, end)
        alone = len(found) == 1 and len(paragraphs) > 1  # a one-line text is the text
        reason = BARE_LINE if alone and bare_line(found[0].text) else None
        plain.extend(found)
        bare.extend([reason] * len(found))
    return plain, bare


def _structured_segments(
    source: str, structure: list[Block]
) -> tuple[list[Sentence], list[str | None]]:
    """Rendered article text with its blocks: a sentence never crosses a block or a line."""
    texts = [source[b.start : b.end] for b in structure]
    reasons = page_gates(structure, texts)
    sentences: list[Sentence] = []
    gates: list[str | None] = []
    for block, reason in zip(structure, reasons, strict=True):
        for start, end in _lines(source, block):
            if is_furniture(source[start:end]):  # masked, as in plain text: not a sentence
                continue
            found = split_block(source, start, end)  # a line break always ends a sentence
            sentences.extend(found)
            gates.extend([reason] * len(found))
    return sentences, gates


def _lines(source: str, block: Block) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = block.start
    while start < block.end:
        cut = source.find("\n", start, block.end)
        end = block.end if cut < 0 else cut
        spans.append((start, end))
        start = end + 1
    return spans


def _language(source: str) -> str | None:
    """The language when it is confidently not English, else None."""
    from factcheck.extraction.language import SUPPORTED, detect

    found = detect(source)
    if found and found.language not in SUPPORTED and found.confidence >= MIN_LANGUAGE_CONFIDENCE:
        return found.language
    return None


def _claim(
    doc_id: str, sentences: list[Sentence], i: int, scored: SentenceScore, gate: str | None
) -> ExtractedClaim:
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
        logit=scored.logit,
        explanation=scored.explanation,
        gate=gate,
        selected=False,
    )


def extract_document(
    text: str,
    *,
    doc_id: str | None = None,
    threshold: float | None = None,
    include_all: bool = False,
    scorer: Scorer | None = None,
    selection: Selection | None = None,
    html: bool | None = None,
    layout: Sequence[Sequence[Any]] | None = None,
) -> ExtractionResult:
    """Claims of text or HTML (detected unless `html` says), with every sentence scored.

    `include_all` makes `claims` every sentence (the old `--all`); `sentences` always is.
    `layout` is the block layout stored with an HTML page's rendered text
    (`structure.layout_rows`): `text` is then read with the page's structure, exactly as
    from the HTML. A layout that does not fit `text` is ignored (read as plain text).
    """
    structure = None if layout is None else blocks_from_layout(text, layout)
    if structure:  # an empty layout for a non-empty text does not fit it either
        source, metadata = text, Metadata()
        sentences, block_gates = _structured_segments(text, structure)
    else:
        is_html = (looks_like_html(text) if html is None else html) and layout is None
        source, sentences, block_gates, metadata = _segments(text, is_html)
    words = len(source.split())
    if not sentences:
        return ExtractionResult(source, [], [], NO_TEXT, None, metadata, words)
    language = _language(source)
    if language is not None:
        return ExtractionResult(source, [], [], UNSUPPORTED_LANGUAGE, language, metadata, words)
    active = scorer or default_scorer()
    scores = active.score([s.text for s in sentences])
    doc = doc_id or document_id(source)
    every = [
        _claim(
            doc,
            sentences,
            i,
            scored,
            block_gates[i] or sentence_gate(sentences[i].text) or scored.gate,
        )
        for i, scored in enumerate(scores)
    ]
    rule = selection or Selection.from_settings(active.settings)
    if threshold is not None:
        rule = replace(rule, threshold=threshold)
    elif selection is None:
        rule = replace(rule, threshold=active.threshold)
    every = select(every, rule, words)
    claims = every if include_all else [c for c in every if c.selected]
    return ExtractionResult(source, claims, every, OK, "en", metadata, words)


def extract_text(
    text: str,
    *,
    doc_id: str | None = None,
    threshold: float | None = None,
    include_all: bool = False,
    scorer: Scorer | None = None,
) -> list[ExtractedClaim]:
    """Claims of plain text; offsets slice `text`. `include_all` keeps every sentence."""
    return extract_document(
        text,
        doc_id=doc_id,
        threshold=threshold,
        include_all=include_all,
        scorer=scorer,
        html=False,
    ).claims


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
    """Claims of an HTML page; offsets index `result.source` (the rendered article text)."""
    return extract_document(
        html,
        doc_id=doc_id,
        threshold=threshold,
        include_all=include_all,
        scorer=scorer,
        html=True,
    )
