"""Layer for dates, years and clock times: a year is kind "year", never a count or ratio.

Years are reported (a fact-checker looks the figure up for that year) but are not
statistics; full dates and clock times claim their text and yield nothing, so "June 5"
and "10:30" never become counts. A four-digit 1800-2099 is a year unless it counts a
noun right after it ("2000 people"), and then it is a count.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from factcheck.extraction.quantities.base import Found, found
from factcheck.extraction.quantities.numbers import LONG_MONTHS, MONTHS, YEAR
from factcheck.extraction.quantities.units import counts_next_word

_CLOCK = re.compile(
    r"\b(?:[0-9]{1,2}(?::[0-9]{2})?\s*(?:-|–|to|and)\s*)?"
    r"[0-9]{1,2}(?::[0-9]{2})?\s?\.?[ap]\.?m\b\.?|\b[0-9]{1,2}:[0-9]{2}(?:\s?hrs\b|\b)",
    re.I,
)
# "April 7, 1840", "Nov. 8", "June 13 to 17"
_MONTH_DAY = re.compile(
    rf"\b(?:{MONTHS})\.?\s+[0-9]{{1,2}}(?:st|nd|rd|th)?\b"
    rf"(?:\s*(?:-|–|to)\s*[0-9]{{1,2}}(?:st|nd|rd|th)?\b(?!\s*(?:{MONTHS})))?(?:,?\s+({YEAR}))?",
    re.I,
)
# "7 April 1840", "the 21st of March"
_DAY_MONTH = re.compile(
    rf"\b[0-9]{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{LONG_MONTHS})\b(?:,?\s+({YEAR}))?"
    rf"|\b[0-9]{{1,2}}\s+may\s+({YEAR})",
    re.I,
)
_DECADE = re.compile(r"(?<![\w$€£.,])(1[5-9][0-9]|20[0-9])0['’]?s\b")
_SHORT_DECADE = re.compile(r"(?<![\w$€£.,])['’]([0-9])0s\b")  # "the early '60s": the 1900s
_YEAR_RANGE = re.compile(
    rf"\bbetween\s+({YEAR})\s+and\s+({YEAR})|"
    rf"({YEAR})\s*(?:-|–|—|to|through|until)\s*({YEAR}|[0-9]{{2}}\b(?![.,]?[0-9]))",
    re.I,
)
_YEAR = re.compile(YEAR)
# 1500-1799 only where a year is announced ("in 1652", "a 1761 work"): else a number.
_OLD_YEAR = re.compile(r"(?<![\w$€£.,])1[5-7][0-9]{2}(?![\w%]|,[0-9]|\.[0-9])")
_OLD_YEAR_BEFORE = re.compile(r"\b(?:in|since|of|from|until|before|after|circa|an?|the)\s+$", re.I)
_YEAR_PREP = re.compile(
    rf"\b(?:in|since|by|of|for|until|till|from|before|after|during|early|late|mid|year|"
    rf"fiscal|through|between|and|to|circa|around|spring|summer|autumn|fall|winter|"
    rf"{MONTHS})\.?(?:\s+the)?[\s-]*$",
    re.I,
)


def _year(
    sentence: str, start: int, end: int, low: float, high: float, unit: str | None = None
) -> Found:
    return found(start, end, sentence, "year", low, high, unit)


def dates_and_years(sentence: str) -> Iterator[Found]:
    for m in _CLOCK.finditer(sentence):
        yield Found(m.start(), m.end(), None)
    for pattern in (_MONTH_DAY, _DAY_MONTH):
        for m in pattern.finditer(sentence):
            year = next((g for g in m.groups() if g), None)
            if year is None:
                yield Found(m.start(), m.end(), None)
            else:
                yield _year(sentence, m.start(), m.end(), float(year), float(year))
    for m in _DECADE.finditer(sentence):
        base = float(m.group(1)) * 10
        yield _year(sentence, m.start(), m.end(), base, base + 9, "decade")
    for m in _SHORT_DECADE.finditer(sentence):
        base = 1900.0 + float(m.group(1)) * 10
        yield _year(sentence, m.start(), m.end(), base, base + 9, "decade")
    for m in _YEAR_RANGE.finditer(sentence):
        low_s, high_s = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        low = float(low_s)
        high = float(high_s) if len(high_s) == 4 else float(low_s[:2] + high_s)
        if high > low:
            yield _year(sentence, m.start(), m.end(), low, high)
    for m in _YEAR.finditer(sentence):
        before = sentence[max(0, m.start() - 20) : m.start()]
        if _YEAR_PREP.search(before) or not counts_next_word(sentence, m.end()):
            y = float(m.group(0))
            yield _year(sentence, m.start(), m.end(), y, y)
    for m in _OLD_YEAR.finditer(sentence):
        before = sentence[max(0, m.start() - 10) : m.start()]
        if _OLD_YEAR_BEFORE.search(before) and not counts_next_word(sentence, m.end()):
            y = float(m.group(0))
            yield _year(sentence, m.start(), m.end(), y, y)
