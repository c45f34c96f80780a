"""Sentence splitting with character offsets into the original text.

Hand-written on purpose: the well-kept offline splitters either need a model download
(spaCy, stanza), or return strings without offsets, or cannot work inside the spans left
by furniture masking (nltk's punkt gives spans, but needs its data package and knows
nothing of our masked lines). This one is small and table-driven: a candidate boundary is
terminal punctuation (plus closing quotes) followed by whitespace, and the tables below
veto it after titles, initials, numeric abbreviations and dotted acronyms.
Guarantee: `text[s.start:s.end] == s.text` for every sentence, with no edge whitespace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from factcheck.extraction.clean import content_spans


def _words(text: str) -> frozenset[str]:
    """A word table written as one string (easier to read and extend than a list)."""
    return frozenset(text.split())


# Abbreviations that precede a name: never end a sentence.
TITLES: frozenset[str] = _words(
    "mr mrs ms dr prof gen sen rep gov lt col capt cpt sgt maj adm cmdr cdr st rev hon pres "
    "supt det insp messrs mme mlle fr brig gens sens reps govs amb sec atty"
)
# Abbreviations followed by a number: "No. 3", "Vol. 2", "Jan. 6", "pp. 12".
NUMERIC_ABBREVIATIONS: frozenset[str] = _words(
    "no nos art vol vols pp p fig figs ch op cf ca approx est ref para jan feb mar apr jun "
    "jul aug sep sept oct nov dec rt"
)
# Abbreviations that may or may not end a sentence: end it only before a typical starter.
AMBIGUOUS_ABBREVIATIONS: frozenset[str] = _words(
    "etc inc ltd co corp jr sr bros vs v cf al e.g i.e a.m p.m u.s u.k u.n u.s.a d.c "
    "ph.d b.a m.a e.u"
)
NEVER_END: frozenset[str] = _words("vs v e.g i.e cf")
SENTENCE_STARTERS: frozenset[str] = _words(
    "the a an this that these those it its he she they we i you his her their our my "
    "but and or so yet then there here in on at for if when while after before since as "
    "however meanwhile still also now today yesterday last next what why how who where "
    "some many most all no not one two three"
)

# ... or a footnote marker glued to the end of a sentence: "combined.4 And the ..."
# ... or a quote and the quote inside it closing at once on a comma ("... credit,’”
# Bloomberg said."): the attribution after it is a sentence of its own, as the news
# labels have it (3 of 3 such quotes in news_dev), so the quote is not joined to it.
_CANDIDATE = re.compile(
    r"(?:\.\s?\.\s?\.|[.!?…]+)[\"'”’»)\]]*(?=\s|$)|(?<=[a-z])[.!?]\d{1,2}(?=\s+[A-Z])"
    r"|,[’'][”\"](?=\s)"
)
_PREV_TOKEN = re.compile(r"(\S+)$")
_NEXT_START = re.compile(r"\s*[\"'“‘«(\[]*(\S)")
_NEXT_WORD = re.compile(r"\s*[\"'“‘«(\[]*([\w’']+)")
_CONTINUES_LINE = re.compile(r"[\w,;:\-–—(]$")
_HAS_WORD = re.compile(r"\w")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: `text` is exactly `original[start:end]`."""

    start: int
    end: int
    text: str


def _next_word(block: str, pos: int) -> str:
    match = _NEXT_WORD.match(block, pos)
    return match.group(1).lower() if match else ""


def _abbreviation_vetoes(token: str, block: str, pos: int) -> bool:
    """True when the period after `token` is an abbreviation's, not a sentence end.

    `pos` is where the text after the period starts in `block`.
    """
    word = token.lstrip("\"'“‘«([").rstrip(".").lower()
    if word in TITLES:
        return True
    nxt = _NEXT_START.match(block, pos)
    if word in NUMERIC_ABBREVIATIONS and nxt and nxt.group(1).isdigit():
        return True
    if len(word) == 1 and word.isalpha() and word != "i" and token[-2:-1].isupper():
        return True  # an initial: "George W. Bush"
    if word in NEVER_END:
        return True
    if word in AMBIGUOUS_ABBREVIATIONS or ("." in word and len(word) <= 6):
        return _next_word(block, pos) not in SENTENCE_STARTERS
    return False


def _is_boundary(block: str, match: re.Match[str]) -> bool:
    """Decide whether the punctuation run in `match` ends a sentence."""
    nxt = _NEXT_START.match(block, match.end())
    if nxt is None:
        return True
    if nxt.group(1).islower():
        return False  # "e.g. the", "'Why?' he asked", "approx. five"
    punct = match.group(0).rstrip("\"'”’»)]")
    if punct != ".":
        return True
    # A bounded window keeps this linear on huge paragraphs; tokens longer than it are
    # not abbreviations anyway.
    token = _PREV_TOKEN.search(block[max(0, match.start() - 40) : match.start()] + ".")
    return token is None or not _abbreviation_vetoes(token.group(1), block, match.end())


def _blocks(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge adjacent lines that continue one another (hard-wrapped prose) into blocks."""
    blocks: list[tuple[int, int]] = []
    previous: tuple[int, int] | None = None  # the previous line, not the whole block
    for start, end in spans:
        if blocks and previous is not None:
            gap = text[previous[1] : start]
            prev_line = text[previous[0] : previous[1]].rstrip()
            line = text[start:end].lstrip()
            wrapped = _CONTINUES_LINE.search(prev_line) is not None and (
                line[:1].islower() or len(prev_line) >= 50
            )
            if gap.count("\n") == 1 and not gap.strip() and wrapped:
                blocks[-1] = (blocks[-1][0], end)
                previous = (start, end)
                continue
        blocks.append((start, end))
        previous = (start, end)
    return blocks


def _trimmed(text: str, start: int, end: int) -> Sentence | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    piece = text[start:end]
    return Sentence(start, end, piece) if _HAS_WORD.search(piece) else None


def split_block(text: str, start: int, end: int) -> list[Sentence]:
    """Sentences of `text[start:end]`, with offsets into `text`."""
    block = text[start:end]
    out: list[Sentence] = []
    cursor = 0
    for match in _CANDIDATE.finditer(block):
        if _is_boundary(block, match):
            sentence = _trimmed(text, start + cursor, start + match.end())
            if sentence:
                out.append(sentence)
            cursor = match.end()
    tail = _trimmed(text, start + cursor, end)
    if tail:
        out.append(tail)
    return out


def blocks(text: str, spans: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """The paragraphs of `text` (hard-wrapped lines merged), as (start, end) spans."""
    return _blocks(text, content_spans(text) if spans is None else spans)


def split_sentences(text: str, spans: list[tuple[int, int]] | None = None) -> list[Sentence]:
    """Split `text` into sentences, reading only `spans` (default: non-furniture lines)."""
    if spans is None:
        spans = content_spans(text)
    sentences: list[Sentence] = []
    for start, end in _blocks(text, spans):
        sentences.extend(split_block(text, start, end))
    return sentences
