"""Layers for money, percents, multipliers and ratios (the strongest signals, run first)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from factcheck.extraction.quantities.base import Found, found
from factcheck.extraction.quantities.numbers import (
    CUR_PREFIX,
    CUR_WORD,
    CURRENCIES,
    DASH,
    DIG_NUM,
    NUM,
    SCALE,
    UNITS,
    fmt,
    looks_like_year,
    parse_number,
    parse_words,
)

RATIO_CONTEXT = re.compile(
    r"\b(?:advantage|margin|ratio|odds|edge|lead|majority|vote[sd]?|ruling|decision|"
    r"won|win|wins|defeat(?:ed)?|beat|score|split|superiority|outnumber\w*)\b",
    re.I,
)
_TO_AFTER = re.compile(r"\s+to\b")

_MONEY_PREFIX = re.compile(
    rf"({CUR_PREFIX})\s?({DIG_NUM})(?:{DASH}(?:{CUR_PREFIX})?\s?({DIG_NUM}))?"
    rf"(?:\s+({CUR_WORD}))?",
    re.I,
)
_MONEY_SUFFIX = re.compile(rf"({NUM})(?:{DASH}({NUM}))?[\s-]+({CUR_WORD})", re.I)
_SCALE_END = re.compile(SCALE + "$")
_WEIGHT_AFTER = re.compile(r"\s*(?:\(\s*[0-9][0-9.,]*\s*(?:kilos?|kg|kilograms?)\b|of\b)", re.I)


def money(sentence: str) -> Iterator[Found]:
    for m in _MONEY_PREFIX.finditer(sentence):
        unit = CURRENCIES.get(m.group(1).strip().lower(), "USD")
        yield from _money_found(sentence, m, m.group(2), m.group(3), unit)
    for m in _MONEY_SUFFIX.finditer(sentence):
        if m.group(3).lower() == "pounds" and _WEIGHT_AFTER.match(sentence, m.end()):
            continue  # "475 pounds (215.5 kilos) of cocaine": a weight
        unit = CURRENCIES.get(re.sub(r"\s+", " ", m.group(3).lower()), "USD")
        yield from _money_found(sentence, m, m.group(1), m.group(2), unit)


def _money_found(
    sentence: str, m: re.Match[str], low_s: str, high_s: str | None, unit: str
) -> Iterator[Found]:
    low = parse_number(low_s)
    high = parse_number(high_s) if high_s else low
    if low is None or high is None:
        return
    if high_s and _SCALE_END.search(high_s) and not _SCALE_END.search(low_s):
        scale = high / (parse_number(_SCALE_END.sub("", high_s)) or high or 1.0)
        low *= scale  # "$10-20 million": the scale belongs to both ends
    yield found(m.start(), m.end(), sentence, "money", low, max(low, high), unit)


_PERCENT = re.compile(
    rf"(?:between\s+)?({NUM})(?:\s*%)?(?:\s*(?:-|–|—|to|and)\s*({NUM}))?\s*"
    r"(%|percent\b|per\s+cent\b|pct\b|percentage\s+points?\b)",
    re.I,
)


def percent(sentence: str) -> Iterator[Found]:
    for m in _PERCENT.finditer(sentence):
        low = parse_number(m.group(1))
        high = parse_number(m.group(2)) if m.group(2) else low
        if low is None or high is None:
            continue
        unit = "percentage points" if m.group(3).lower().startswith("percentage") else "%"
        yield found(m.start(), m.end(), sentence, "percent", min(low, high), max(low, high), unit)


_COMPARE_AFTER = (
    r"(?=\s+(?:as|more|less|fewer|the|that|what|over|its|their|his|her|our|a|an|"
    r"[a-z]+er)\b)"
)
_MULTIPLIER_WORDS: dict[str, float] = {
    "twice": 2.0,
    "double": 2.0,
    "doubled": 2.0,
    "triple": 3.0,
    "tripled": 3.0,
    "treble": 3.0,
    "trebled": 3.0,
    "quadruple": 4.0,
    "quadrupled": 4.0,
    "half": 0.5,
}
_RANGED = re.compile(rf"({NUM})\s*(?:-|–|—|to|or)\s*({NUM})[\s-]+(?:times|fold)\b", re.I)
_SINGLE = re.compile(rf"({NUM})(?:[\s-]*fold\b|\s+times\b{_COMPARE_AFTER})", re.I)
_BY_TIMES = re.compile(rf"\bby\s+({NUM}\s+times)\b", re.I)  # "improve it by 100 times"
_FUSED = re.compile(rf"\b({'|'.join(UNITS)}|ten|hundred)fold\b", re.I)
# "half as many", "half the size" are multipliers; "half the voters" is a fraction.
_WORDED = re.compile(
    r"\btwice\b(?=\s+(?:as|the|that|what|its|their|his|her|our|a|an)\b)|"
    r"\bhalf\b(?=\s+as\b|\s+the\s+(?:size|price|cost|rate|level|amount|speed|length|weight|value|"
    r"height|width|distance)\b)|"
    r"\b(?:doubled|tripled|trebled|quadrupled)\b|"
    r"\b(?:double|triple|treble|quadruple)\b(?=\s+(?:the|that|what|its|their)\b)",
    re.I,
)


def multiplier(sentence: str) -> Iterator[Found]:
    for m in _RANGED.finditer(sentence):
        low, high = parse_number(m.group(1)), parse_number(m.group(2))
        if low is not None and high is not None:
            yield found(
                m.start(), m.end(), sentence, "multiplier", min(low, high), max(low, high), "x"
            )
    for m in _SINGLE.finditer(sentence):
        value = parse_number(m.group(1))
        if value is not None:
            yield found(m.start(), m.end(), sentence, "multiplier", value, value, "x")
    for m in _BY_TIMES.finditer(sentence):
        value = parse_number(re.sub(r"\s+times$", "", m.group(1), flags=re.I))
        if value is not None:
            yield found(m.start(1), m.end(1), sentence, "multiplier", value, value, "x")
    for m in _FUSED.finditer(sentence):
        value = parse_words(m.group(1))
        if value is not None:
            yield found(m.start(), m.end(), sentence, "multiplier", value, value, "x")
    for m in _WORDED.finditer(sentence):
        value = _MULTIPLIER_WORDS[m.group(0).lower()]
        yield found(m.start(), m.end(), sentence, "multiplier", value, value, "x")


def _ratio_found(sentence: str, m: re.Match[str], left_s: str, right_s: str) -> Iterator[Found]:
    if looks_like_year(left_s) or looks_like_year(right_s):
        return  # "2019 to 1,650", "2014-2022": years are never a ratio's terms
    left, right = parse_number(left_s), parse_number(right_s)
    if left is None or right is None or right == 0 or left == 0:
        return
    value = left / right
    yield found(m.start(), m.end(), sentence, "ratio", value, value, f"{fmt(left)}:{fmt(right)}")


_HYPHEN_TO = re.compile(rf"({NUM})\s*[-–—]\s*to\s*[-–—]\s*({NUM})", re.I)
_TO_ONE = re.compile(
    rf"(?<!from\s)({NUM})\s+to\s+(one|1)\b"
    r"(?![.,]?[0-9]|[\s-]*(?:hundred|thousand|million|billion|trillion|dozen|percent|%))",
    re.I,
)
_COLON = re.compile(r"(?<![\w:.,])([0-9]{1,3})\s?:\s?([0-9]{1,3})(?![\w:]|\s?[ap]\.?m\b)")
_DASHED = re.compile(r"(?<![\w.,–—-])([0-9]{1,3})\s?[-–—]\s?([0-9]{1,3})(?![\w%.,]|[-–—][0-9])")


def ratio(sentence: str) -> Iterator[Found]:
    for m in _HYPHEN_TO.finditer(sentence):
        yield from _ratio_found(sentence, m, m.group(1), m.group(2))
    for m in _TO_ONE.finditer(sentence):
        yield from _ratio_found(sentence, m, m.group(1), m.group(2))
    has_context = RATIO_CONTEXT.search(sentence) is not None
    for m in _COLON.finditer(sentence):
        if len(m.group(2)) == 1 or has_context:
            yield from _ratio_found(sentence, m, m.group(1), m.group(2))
    for m in _DASHED.finditer(sentence):
        window = sentence[max(0, m.start() - 40) : m.end() + 40]
        if RATIO_CONTEXT.search(window) or _TO_AFTER.match(sentence, m.end()):
            yield from _ratio_found(sentence, m, m.group(1), m.group(2))
