"""Which scored sentences become claims: a calibrated threshold and a per-article budget.

A reviewer works through a queue; a long article must not flood it. A sentence is
selected when no gate refused it, it is not a repeat of an earlier sentence, its
calibrated score reaches the threshold, and it is among the best `budget` of the
document's candidates (ranked by score, then logit), where
`budget = max(min_claims, ceil(per_1000_words * words / 1000))`. The threshold and the
budget were chosen on the news dev pages (docs/model.md, "Selection").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import Any, Protocol, TypeVar

from factcheck.ids import normalise_text

REPEAT = "restated elsewhere in the document"
REPEAT_SHARE = 0.8
MIN_REPEAT_WORDS = 4
MAX_PAIRWISE = 600  # beyond this many sentences only exact repeats are looked for
_WORD = re.compile(r"\w+")


class _Candidate(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def score(self) -> float: ...
    @property
    def logit(self) -> float: ...
    @property
    def gate(self) -> str | None: ...
    @property
    def selected(self) -> bool: ...


C = TypeVar("C", bound=_Candidate)


@dataclass(frozen=True, slots=True)
class Selection:
    threshold: float = 0.5
    per_1000_words: float | None = None  # None: no budget
    min_claims: int = 3

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> Selection:
        per = settings.get("budget_per_1000_words")
        return cls(
            threshold=float(settings.get("threshold", 0.5)),
            per_1000_words=float(per) if per is not None else None,
            min_claims=int(settings.get("min_claims", 3)),
        )

    def budget(self, words: int) -> int | None:
        if self.per_1000_words is None:
            return None
        return max(self.min_claims, math.ceil(self.per_1000_words * words / 1000))


def _words(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.lower()))


def repeats(texts: list[str]) -> set[int]:
    """Indices of sentences restated elsewhere in the document: a standfirst or pull quote
    the body says again, a caption repeating the lead, a line printed twice.

    `i` repeats `j` when at least `REPEAT_SHARE` of i's words are in j and j is at least
    as long; of two sentences that repeat each other, the earlier one is the repeat
    (standfirsts and pull quotes come before the paragraph they restate).
    """
    sets = [_words(t) for t in texts]
    out: set[int] = set()
    if len(texts) > MAX_PAIRWISE:
        seen: dict[str, int] = {}
        for i, t in enumerate(texts):
            key = normalise_text(t).lower()
            if key in seen:
                out.add(seen[key])
            seen[key] = i
        return out
    for i, a in enumerate(sets):
        if len(a) < MIN_REPEAT_WORDS:
            continue
        for j, b in enumerate(sets):
            if i == j or len(b) < len(a):
                continue
            if len(a & b) >= REPEAT_SHARE * len(a):
                mutual = len(a & b) >= REPEAT_SHARE * len(b)
                if not mutual or i < j:
                    out.add(i)
                    break
    return out


def select(sentences: list[C], rule: Selection, words: int) -> list[C]:
    """The same sentences (document order) with `selected` set and repeats gated."""
    again = repeats([s.text for s in sentences])
    marked: list[Any] = [
        replace(s, gate=REPEAT) if i in again and s.gate is None else s  # type: ignore[type-var]
        for i, s in enumerate(sentences)
    ]
    candidates = [i for i, s in enumerate(marked) if s.gate is None and s.score >= rule.threshold]
    candidates.sort(key=lambda i: (-marked[i].score, -marked[i].logit, i))
    limit = rule.budget(words)
    keep = set(candidates if limit is None else candidates[:limit])
    return [replace(s, selected=i in keep) for i, s in enumerate(marked)]
