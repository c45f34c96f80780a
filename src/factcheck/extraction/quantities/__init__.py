"""Normalised quantities in a sentence: what a fact-checker would look up.

Layers of patterns run in a fixed order; a later layer never re-reads text an earlier one
claimed, so "$1.2 billion" is money, not a count, "2-3 times" a multiplier, not a range,
and "6.3 years" a duration, not a count.

Kinds (the JSON has exactly kind, low, high, unit, text; `text` is `sentence[start:end]`):
- change: "rose from 820 to 1,650" -> low 820 (from), high 1650 (to); a fall has low > high.
- money: the value with its scale applied ("$1.2 billion" -> 1.2e9), unit "USD"/"EUR"/...
- percent: unit "%" (or "percentage points").
- multiplier: "two to three times" -> low 2, high 3, unit "x".
- fraction: "one in five", "a third", "two-thirds", "half of", "20 of 34" -> the share in
  [0, 1], unit "N/D" ("1/5").
- duration: "6.3 years" -> 6.3, unit "year" (singular); "three to five years" -> 3..5.
- ratio X:Y -> low = high = X / Y, unit "X:Y"; so a ratio X:1 has low = high = X. Years are
  never a ratio's terms.
- year: a year, a year range or a decade ("the 1990s" -> 1990..1999). Years and dates are
  reported but are not counts (features.py does not count them as statistics); full dates
  and clock times yield nothing.
- count: unit the counted noun when it is plain ("140 agency staff" -> "staff"), else None;
  vague amounts become ranges ("tens of thousands" -> 10,000..100,000).
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

from factcheck.extraction.quantities.amounts import money, multiplier, percent, ratio
from factcheck.extraction.quantities.base import Found, Layer, Quantity
from factcheck.extraction.quantities.counts import changes, counts, ranges, vague
from factcheck.extraction.quantities.dates import dates_and_years
from factcheck.extraction.quantities.numbers import W_NUM, parse_number, parse_words
from factcheck.extraction.quantities.parts import durations, fractions

__all__ = ["LAYERS", "Quantity", "find_quantities", "parse_number", "parse_words"]

LAYERS: tuple[Layer, ...] = (
    changes,
    money,
    percent,
    multiplier,
    fractions,
    durations,
    ratio,
    dates_and_years,
    vague,
    ranges,
    counts,
)

# Cheap gate: a sentence with none of these substrings has no quantity for any layer.
_MAY_HAVE_NUMBER = re.compile(
    rf"[0-9½¼¾⅓⅔]|\b(?:{W_NUM}|twice|doubl|tripl|trebl|quadrupl|half|halves|dozen|"
    r"third|quarter|fourth|fifth|sixth|seventh|eighth|ninth|tenth)",
    re.I,
)


def find_quantities(sentence: str) -> list[Quantity]:
    """All quantities in `sentence`, in reading order; never raises on odd text.

    Non-finite values (a 400-digit number overflows to inf) are dropped: JSON has no inf.
    """
    if not _MAY_HAVE_NUMBER.search(sentence):
        return []
    taken = bytearray(len(sentence))  # 1 where an earlier layer claimed the character
    kept: list[Found] = []
    for layer in LAYERS:
        for item in layer(sentence):
            if item.end <= item.start or any(taken[item.start : item.end]):
                continue
            taken[item.start : item.end] = b"\x01" * (item.end - item.start)
            kept.append(item)
            kept.extend(item.inner)
    kept.sort(key=lambda f: (f.start, -f.end))
    return [
        replace(f.quantity, start=f.start, end=f.end)
        for f in kept
        if f.quantity is not None
        and math.isfinite(f.quantity.low)
        and math.isfinite(f.quantity.high)
    ]
