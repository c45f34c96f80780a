"""A claim's fingerprint: what two claims must share to say the same thing."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol


class Quantity(Protocol):
    """A normalised quantity (the domain's, or the extractor's dataclass)."""

    @property
    def low(self) -> float: ...
    @property
    def high(self) -> float: ...


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_WORD = re.compile(r"[a-z][a-z'\-]*[a-z]|[a-z]")

STOP_WORDS = _set(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if
    in into is it its itself just me more most my myself of off on once only or other our
    ours ourselves out over own same she should so some such than that the their theirs
    them themselves then there these they this those through to too under until up very was
    we were what when where which while who whom why will with would you your yours
    yourself yourselves now ever still already per whole"""
)
NEGATIONS = frozenset({"not", "no", "never", "none", "nothing", "nobody", "neither", "nor"})
# Negated adjectives: "unlikely" is "not likely" (the word is kept, the negation noted).
_NEGATED_PREFIX = {
    "unlikely": "likely",
    "untrue": "true",
    "unable": "able",
    "impossible": "possible",
}
# Direction words (after stemming): "rose 30%" and "fell 30%" are different claims.
UP = frozenset({"rise", "high", "higher", "highest", "gain", "surg", "boost", "well", "best"})
DOWN = frozenset(
    {
        "fall",
        "shrink",
        "low",
        "lower",
        "lowest",
        "cut",
        "halv",
        "collaps",
        "plung",
        "slump",
        "fail",
        "worst",
    }
)
_NEGATED_CONTRACTION = re.compile(r"\b(\w+)n['’]t\b")

# Words that only carry a number (their value is in the quantities) or a scale.
NUMBER_WORDS = _set(
    """one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy
    eighty ninety hundred thousand million billion trillion dozen half third quarter twice
    double doubled triple tripled times percent cent percentage"""
)

# A few synonyms folded onto one word: the paraphrases news copy uses most.
SYNONYMS = {
    "increase": "rise",
    "increased": "rise",
    "grew": "rise",
    "grow": "rise",
    "grown": "rise",
    "rose": "rise",
    "risen": "rise",
    "rising": "rise",
    "raised": "rise",
    "raise": "rise",
    "climb": "rise",
    "climbed": "rise",
    "jumped": "rise",
    "soared": "rise",
    "decrease": "fall",
    "decreased": "fall",
    "fell": "fall",
    "fallen": "fall",
    "drop": "fall",
    "dropped": "fall",
    "declined": "fall",
    "decline": "fall",
    "shrank": "shrink",
    "shrunk": "shrink",
    "reached": "hit",
    "reach": "hit",
    "us": "united-states",
    "usa": "united-states",
    "america": "united-states",
    "eu": "european-union",
    "uk": "united-kingdom",
    "britain": "united-kingdom",
    "russian": "russia",
    "russia's": "russia",
    "ukrainian": "ukraine",
    "western": "west",
    "west's": "west",
    "american": "united-states",
    "german": "germany",
    "chinese": "china",
    "european": "europe",
    "majority": "most",
    "roughly": "about",
    "around": "about",
    "approximately": "about",
    "over": "more",
    "just": "only",
    "zero": "no",
    "funding": "budget",
    "supply": "supplies",
    "supplies": "supplies",
}
_MULTIWORD = (
    ("united states", "united-states"),
    ("european union", "european-union"),
    ("united kingdom", "united-kingdom"),
    ("more than", "more"),
    ("per cent", "percent"),
)


_SUFFIXES = (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""))


def _stem(word: str) -> str:
    """A light suffix stripper: enough to meet plurals and tenses half-way."""
    if word.endswith("'s"):
        word = word[:-2]
    word = SYNONYMS.get(word, word)
    for suffix, keep in (
        ("ies", "y"),
        ("sses", "ss"),
        ("ing", ""),
        ("ed", ""),
        ("es", ""),
        ("s", ""),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + keep
    return word


@dataclass(frozen=True)
class Fingerprint:
    words: frozenset[str]  # stemmed content words, numbers and stop words removed
    numbers: frozenset[str]  # the values of the claim's quantities, normalised
    negated: bool
    direction: int = 0  # +1 a rise, -1 a fall, 0 neither or both

    @property
    def terms(self) -> frozenset[str]:
        """Everything MinHash sees: the words and the numbers (`#` + value)."""
        return self.words | {f"#{n}" for n in self.numbers}


def _fmt(value: float) -> str:
    return f"{value:.6g}"


def quantity_values(quantities: Iterable[Quantity]) -> frozenset[str]:
    values: set[str] = set()
    for q in quantities:
        values.add(_fmt(q.low))
        values.add(_fmt(q.high))
    return frozenset(values)


def words(text: str) -> list[str]:
    """Normalised, stemmed content words of a text, in order (also the search index's terms)."""
    text = unicodedata.normalize("NFKC", text).lower().replace("’", "'")
    for phrase, joined in _MULTIWORD:
        text = text.replace(phrase, joined)
    text = _NEGATED_CONTRACTION.sub(r"\1 not", text)
    out: list[str] = []
    for raw in _WORD.findall(text):
        for part in raw.split("-") if raw.count("-") and raw not in SYNONYMS.values() else [raw]:
            part = part.strip("'")
            if not part or part in STOP_WORDS or part in NUMBER_WORDS:
                continue
            if part in _NEGATED_PREFIX:
                out.extend(("not", _NEGATED_PREFIX[part]))
                continue
            out.append(_stem(part))
    return out


def fingerprint(text: str, quantities: Iterable[Quantity] | None = None) -> Fingerprint:
    """The fingerprint of a claim; `quantities` are the extractor's (found again if absent)."""
    from factcheck.extraction.quantities import find_quantities

    found: list[Quantity] = [*(quantities or ()), *find_quantities(text)]
    content = words(text)
    negated = sum(w in NEGATIONS for w in content) % 2 == 1  # "not un-likely" is likely
    up, down = any(w in UP for w in content), any(w in DOWN for w in content)
    return Fingerprint(
        words=frozenset(w for w in content if w not in NEGATIONS),
        numbers=quantity_values(found),
        negated=negated,
        direction=int(up) - int(down),
    )
