"""Layers for changes ("rose from 820 to 1,650"), ranges, vague amounts and plain counts.

A change is kind "change" with low = the value it changed from and high = the value it
changed to (so a fall has low > high: the only kind where low may exceed high), and the
unit "%", a currency code, or the counted noun. A "from X to Y" is a change when a verb
of change is near ("rose", "cut", "went") or a time sits between the two values ("from
820 in 2019 to 1,650"); otherwise it is a range ("from 10 to 20 shells": count 10..20).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from factcheck.extraction.quantities.base import Found, found
from factcheck.extraction.quantities.numbers import (
    CUR_PREFIX,
    CURRENCIES,
    DIG_NUM,
    MONTHS,
    NUM,
    SCALE,
    SCALES,
    YEAR,
    looks_like_year,
    parse_number,
)
from factcheck.extraction.quantities.units import unit_after

_OPERAND = rf"(?:{CUR_PREFIX}\s?)?{NUM}(?:\s*(?:%|percent\b|per\s+cent\b))?"
# The counted noun right after the first value: "from 310 cases per day to 462".
_NOUN = r"(?:\s+(?!(?:in|on|at|by|during|last|this|that|a|an|the|to|and|or)\b)[a-z]+"
_NOUN += r"(?:\s+(?:per|a|an|each|every)\s+[a-z]+)?)?"
# A time between the two values: "from 820 in 2019 to 1,650", "from 54% in November to 35%".
_ANCHOR = (
    rf"(?:\s+(?:in|during|on|by)\s+(?:(?:(?:{MONTHS})\.?\s+)?({YEAR})|(?:{MONTHS})\b\.?|"
    r"the\s+(?:first|second|third|fourth|last|previous)\s+(?:year|month|week|quarter|half))|"
    r"\s+(?:last|this|that|a|the\s+previous)\s+(?:year|month|week|quarter)"
    r"(?:\s+(?:earlier|before|ago))?)?"
)
_FROM_TO = re.compile(rf"\bfrom\s+({_OPERAND})({_NOUN}){_ANCHOR},?\s+to\s+({_OPERAND})", re.I)
_TO_FROM = re.compile(
    rf"\bto\s+({_OPERAND})({_NOUN}){_ANCHOR},?\s+(?:from|compared\s+(?:with|to))\s+"
    rf"({_OPERAND})",
    re.I,
)
_UP_FROM = re.compile(rf"({_OPERAND}),?\s+(?:up|down)\s+from\s+({_OPERAND})", re.I)
_CHANGE_CUE = re.compile(
    r"\b(?:ris(?:e|es|ing|en)|rose|f[ae]ll(?:s|ing|en)?|increas\w*|decreas\w*|gr[eo]w\w*|"
    r"drop\w*|declin\w*|jump\w*|climb\w*|soar\w*|surg\w*|plung\w*|slump\w*|shr[aiu]nk\w*|"
    r"cut(?:s|ting)?|reduc\w*|rais\w*|boost\w*|lower\w*|went|gone|going|goes|go|up|down|"
    r"chang\w*|mov\w*|doubl\w*|tripl\w*|expand\w*|spik\w*|tumbl\w*|dip\w*|slid\w*|"
    r"swell\w*|swollen|balloon\w*|fluctuat\w*|shift\w*|improv\w*|worsen\w*)\b[^.;]{0,40}$",
    re.I,
)


def _cue_before(sentence: str, start: int) -> bool:
    """A verb of change in the 60 characters before `start` (a window: no quadratic scan)."""
    return _CHANGE_CUE.search(sentence, max(0, start - 60), start) is not None


_CURRENCY_LEAD = re.compile(rf"\s*({CUR_PREFIX})\s?", re.I)
_PERCENT_TAIL = re.compile(r"\s*(?:%|percent|per\s+cent)$", re.I)
_SCALE_END = re.compile(SCALE + "$", re.I)


def _operand(text: str) -> tuple[float | None, str | None, bool]:
    """(value, currency code, has a scale word) of "$1.2 billion", "20%", "820"."""
    unit = None
    lead = _CURRENCY_LEAD.match(text)
    if lead:
        unit = CURRENCIES.get(lead.group(1).strip().lower(), "USD")
        text = text[lead.end() :]
    elif _PERCENT_TAIL.search(text):
        unit = "%"
        text = _PERCENT_TAIL.sub("", text)
    return parse_number(text), unit, _SCALE_END.search(text.strip()) is not None


def _change(
    sentence: str,
    m: re.Match[str],
    from_s: str,
    to_s: str,
    year_group: int | None,
    cued: bool,
    noun: str | None = None,
) -> Iterator[Found]:
    if looks_like_year(from_s) or looks_like_year(to_s):
        return  # "from 2014 to 2022" is a year range
    year_start = m.start(year_group) if year_group and m.group(year_group) else -1
    if not cued and year_start < 0 and not _cue_before(sentence, m.start()):
        return
    (low, low_unit, low_scaled), (high, high_unit, high_scaled) = _operand(from_s), _operand(to_s)
    if low is None or high is None or low == high:
        return
    if high_scaled and not low_scaled:
        base = parse_number(_SCALE_END.sub("", to_s.strip()).lstrip("$€£¥ ")) or high
        if low <= base * 10:
            low *= high / base  # "from 1.2 to 1.5 billion": the scale is both ends'
    unit = low_unit or high_unit or unit_after(sentence, m.end()) or noun
    inner: tuple[Found, ...] = ()
    if year_group and year_start >= 0:
        year = float(m.group(year_group))
        inner = (found(year_start, m.end(year_group), sentence, "year", year, year, None),)
    outer = found(m.start(), m.end(), sentence, "change", low, high, unit)
    yield Found(outer.start, outer.end, outer.quantity, inner)


def changes(sentence: str) -> Iterator[Found]:
    for m in _FROM_TO.finditer(sentence):
        noun = unit_after(m.group(2), 0) if m.group(2) else None
        yield from _change(sentence, m, m.group(1), m.group(4), 3, cued=False, noun=noun)
    for m in _TO_FROM.finditer(sentence):
        if _cue_before(sentence, m.start()):
            noun = unit_after(m.group(2), 0) if m.group(2) else None
            yield from _change(sentence, m, m.group(4), m.group(1), 3, cued=True, noun=noun)
    for m in _UP_FROM.finditer(sentence):
        yield from _change(sentence, m, m.group(2), m.group(1), None, cued=True)


_VAGUE = re.compile(
    r"\b(?:(tens|hundreds|dozens)\s+of\s+)?"
    r"(dozens|hundreds|thousands|millions|billions|trillions)\b",
    re.I,
)
_OF_CURRENCY = re.compile(r"\s+of\s+(?:dollars|euros|pounds|yen|yuan)\b", re.I)
_VAGUE_FACTOR = {"tens": 10.0, "hundreds": 100.0, "dozens": 12.0}


def vague(sentence: str) -> Iterator[Found]:
    for m in _VAGUE.finditer(sentence):
        base = 12.0 if m.group(2).lower() == "dozens" else SCALES[m.group(2).lower()[:-1]]
        low = base * (_VAGUE_FACTOR[m.group(1).lower()] if m.group(1) else 2.0)
        unit = unit_after(sentence, m.end())
        money = _OF_CURRENCY.match(sentence, m.end())
        if money and unit in CURRENCIES:  # "thousands of dollars" is an amount of money
            end = money.end()
            yield found(m.start(), end, sentence, "money", low, low * 10, CURRENCIES[unit])
            continue
        yield found(m.start(), m.end(), sentence, "count", low, low * 10, unit)


_RANGE = re.compile(
    rf"\bbetween\s+({NUM})\s+and\s+({NUM})|\bfrom\s+({NUM})\s+to\s+({NUM})|"
    rf"({DIG_NUM})\s*(?:-|–|—)\s*({DIG_NUM})|({NUM})\s+to\s+({NUM})",
    re.I,
)


def ranges(sentence: str) -> Iterator[Found]:
    for m in _RANGE.finditer(sentence):
        low_s, high_s = [g for g in m.groups() if g is not None][:2]
        if looks_like_year(low_s) or looks_like_year(high_s):
            continue
        low, high = parse_number(low_s), parse_number(high_s)
        if low is None or high is None or low == high:
            continue
        yield found(
            m.start(),
            m.end(),
            sentence,
            "count",
            min(low, high),
            max(low, high),
            unit_after(sentence, m.end()),
        )


# A number after one of these names a thing ("Level 3", "Section 8", "US 1"), not a count.
_LABEL_BEFORE = re.compile(
    r"\b(?:level|section|region|route|highway|interstate|us|no|number|article|chapter|phase|"
    r"stage|room|gate|platform|terminal|ward|district|category|tier|zone|grade|class|version|"
    r"season|episode|channel|flight|line|page|row|item|rule|amendment|part|title|volume|"
    r"issue|covid|figure|table|step|lane|pier|unit|apartment|suite|block|floor|bill|"
    r"proposition|prop|question|measure|ballot|resolution|order)\.?\s*$",
    re.I,
)


# A house number: "2344 Bragg St.", "10 Downing Street".
_ADDRESS_AFTER = re.compile(
    r"\s+(?:[A-Z][a-z]+\s+){1,3}(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Dr|Drive|Ln|"
    r"Lane|Way|Pl|Place|Ct|Court|Sq|Square)\b"
)


def labelled(sentence: str, start: int, end: int) -> bool:
    """True when the number is a label ("Level 3", "+972 Magazine", an address), not an amount."""
    if sentence[start - 1 : start] == "+" or _ADDRESS_AFTER.match(sentence, end):
        return True
    return _LABEL_BEFORE.search(sentence, max(0, start - 16), start) is not None


def counts(sentence: str) -> Iterator[Found]:
    for m in re.finditer(NUM, sentence, re.I):
        value = parse_number(m.group(0))
        if value is None or labelled(sentence, m.start(), m.end()):
            continue  # "Level 3", "Section 8": a label, not an amount
        if m.group(0).split()[0].lower() in SCALES:
            continue  # a lone "million" left over from "1.2-billion-yuan"
        unit = unit_after(sentence, m.end(), singular=value == 1)
        if unit is None and sentence[m.end() : m.end() + 1].isalpha():
            continue  # "7News", "G7s": a name, not a count
        is_words = not m.group(0)[:1].isdigit()
        if is_words and (value <= 1 or (unit is None and value < 100)):
            continue  # "one of the", "two" alone: not a statistic
        yield found(m.start(), m.end(), sentence, "count", value, value, unit)
