"""The quantity record and what a layer reports before the runner places it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Quantity:
    """A normalised quantity; the JSON fields mirror `factcheck.domain.models.Quantity`.

    `start`/`end` are the character offsets of `text` in the sentence it was found in
    (`sentence[start:end] == text`); they are not part of the JSON (`to_dict`) nor of
    equality, so a stored quantity and a freshly found one compare equal.
    """

    kind: str
    low: float
    high: float
    unit: str | None
    text: str
    start: int = field(default=-1, compare=False)
    end: int = field(default=-1, compare=False)

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "low": self.low,
            "high": self.high,
            "unit": self.unit,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class Found:
    """A span a layer claims: `quantity` None claims text that yields nothing (a clock time).

    `inner` are quantities inside the span reported as well (the year in "from 820 in
    2019 to 1,650"); they overlap the outer span on purpose and claim nothing themselves.
    """

    start: int
    end: int
    quantity: Quantity | None
    inner: tuple[Found, ...] = ()


Layer = Callable[[str], Iterator[Found]]


def found(
    start: int, end: int, sentence: str, kind: str, low: float, high: float, unit: str | None
) -> Found:
    """A `Found` whose quantity's text is exactly `sentence[start:end]`."""
    text = sentence[start:end]
    return Found(start, end, Quantity(kind, low, high, unit, text, start, end))
