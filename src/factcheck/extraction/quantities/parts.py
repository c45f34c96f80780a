"""Layers for fractions and proportions ("one in five", "a third", "20 of 34") and durations.

A fraction is kind "fraction" with low = high = the proportion in [0, 1] and unit "N/D"
("one in five" -> 0.2, "1/5"); a duration is kind "duration" with the value and the
singular time unit ("6.3 years" -> 6.3, "year"; "three to five years" -> 3..5).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from factcheck.extraction.quantities.base import Found, found
from factcheck.extraction.quantities.numbers import (
    DENOMINATORS,
    NUM,
    UNITS,
    fmt,
    looks_like_year,
    parse_number,
)

_NUMERATOR = "|".join(w for w in UNITS if w != "zero")
_DENOM = "|".join(sorted(DENOMINATORS, key=len, reverse=True))
# What may follow "a third" for it to be a share, not an ordinal ("a third time").
_SHARE_AFTER = (
    r"(?=\s+of\b|\s+(?:less|more|fewer|lower|higher|smaller|larger|bigger|greater|"
    r"the|their|its|his|her|our|all|those|these|majority|share|stake)\b|\s*[,.;:)!?]|\s*$)"
)
_SPACED_FRACTION = re.compile(rf"\b(an?|{_NUMERATOR})\s+({_DENOM})\b(?!-){_SHARE_AFTER}", re.I)
_HYPHENATED_FRACTION = re.compile(rf"\b(an?|{_NUMERATOR})-({_DENOM})\b(?!-)", re.I)
_HALF = re.compile(r"\bhalf\b(?!-)(?=\s+(?:of|the|their|its|his|her|our|all|those|these)\b)", re.I)
# "more than half.", "nearly half,": half of something named before
_HALF_ALONE = re.compile(
    r"\b(?:than|least|about|around|nearly|almost|roughly)\s+(half)\b(?!-)"
    r"(?=\s*(?:[,.;:)!?]|$)|\s+(?:by|in|since|from|over|compared)\b)",
    re.I,
)
_ONE_IN = re.compile(rf"({NUM})(?:\s+|-)(?:in|out\s+of)(?:\s+|-)({NUM})\b", re.I)
_OF = re.compile(
    rf"({NUM})\s+of\s+(?:the\s+|its\s+|their\s+|our\s+)?({NUM})\b(?!\s*[%,.]?[0-9])", re.I
)
_NOT_AFTER_DENOMINATOR = re.compile(
    r"\s*(?:%|percent|per\s+cent|years?|months?|weeks?|days?|hours?|minutes?|times)\b", re.I
)


def _fraction(sentence: str, start: int, end: int, num: float, den: float) -> Found | None:
    if den <= 1 or num <= 0 or num > den:
        return None
    return found(start, end, sentence, "fraction", num / den, num / den, f"{fmt(num)}/{fmt(den)}")


def fractions(sentence: str) -> Iterator[Found]:
    for pattern in (_SPACED_FRACTION, _HYPHENATED_FRACTION):
        for m in pattern.finditer(sentence):
            num_word, den_word = m.group(1).lower(), m.group(2).lower()
            num = 1.0 if num_word in ("a", "an") else float(UNITS[num_word])
            if (num == 1) == den_word.endswith("s"):
                continue  # "a thirds", "two third": the number and the noun disagree
            f = _fraction(sentence, m.start(), m.end(), num, float(DENOMINATORS[den_word]))
            if f:
                yield f
    for m in _HALF.finditer(sentence):
        yield found(m.start(), m.end(), sentence, "fraction", 0.5, 0.5, "1/2")
    for m in _HALF_ALONE.finditer(sentence):
        yield found(m.start(1), m.end(1), sentence, "fraction", 0.5, 0.5, "1/2")
    for pattern in (_ONE_IN, _OF):
        for m in pattern.finditer(sentence):
            num_s, den_s = m.group(1), m.group(2)
            if looks_like_year(den_s) or _NOT_AFTER_DENOMINATOR.match(sentence, m.end()):
                continue  # "one in 2019", "20 of 30 years": not a proportion
            if pattern is _OF and num_s.lower() == "one":
                continue  # "one of the two senators": a choice, not a share
            top, bottom = parse_number(num_s), parse_number(den_s)
            if top is not None and bottom is not None:
                f = _fraction(sentence, m.start(), m.end(), top, bottom)
                if f:
                    yield f


_TIME_UNITS: dict[str, str] = {
    "year": "year",
    "years": "year",
    "month": "month",
    "months": "month",
    "week": "week",
    "weeks": "week",
    "day": "day",
    "days": "day",
    "hour": "hour",
    "hours": "hour",
    "minute": "minute",
    "minutes": "minute",
    "second": "second",
    "seconds": "second",
    "decade": "decade",
    "decades": "decade",
    "century": "century",
    "centuries": "century",
}
_TIME = "|".join(sorted(_TIME_UNITS, key=len, reverse=True))
_AND_HALF = r"(?:\s+and\s+a\s+half)?"
_DURATION = re.compile(
    rf"(?:\bbetween\s+({NUM})\s+and\s+|({NUM})\s*(?:-|–|—|to|or)\s*)?({NUM}){_AND_HALF}"
    rf"(?:\s+(?:more|additional|extra|further|long|straight|consecutive|full))?"
    rf"(?:\s+|-)({_TIME})\b",
    re.I,
)


def durations(sentence: str) -> Iterator[Found]:
    for m in _DURATION.finditer(sentence):
        low_s = m.group(1) or m.group(2)
        value = parse_number(m.group(3))
        low = parse_number(low_s) if low_s else value
        if value is None or low is None:
            continue
        if "half" in m.group(0).lower().split():
            value += 0.5
            low = low + 0.5 if not low_s else low
        unit = _TIME_UNITS[m.group(4).lower()]
        if m.group(3).lower() == "one" and unit == "day" and not low_s:
            continue  # "One day, she..." is a time of telling, not a duration
        if value <= 0:
            continue
        yield found(
            m.start(), m.end(), sentence, "duration", min(low, value), max(low, value), unit
        )
