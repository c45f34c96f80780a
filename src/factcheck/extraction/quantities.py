"""Normalised quantities in a sentence: what a fact-checker would look up.

Layers of patterns run in a fixed order (money, percent, multiplier, ratio, dates and
years, vague amounts, ranges, counts); a later layer never re-reads text an earlier one
claimed, so "$1.2 billion" is money, not a count, and "2-3 times" a multiplier, not a range.

Conventions (the JSON has exactly kind, low, high, unit, text):
- ratio X:Y -> low = high = X / Y, unit "X:Y"; so a ratio X:1 has low = high = X.
- multiplier: "two to three times" -> low 2, high 3, unit "x".
- percent: unit "%" (or "percentage points").
- money: the value with its scale applied ("$1.2 billion" -> 1.2e9), unit "USD"/"EUR"/...
- count: unit the counted noun when it is obvious ("5,000 troops" -> "troops"), else None;
  vague amounts become ranges ("tens of thousands" -> 10,000..100,000).
- year: a year, a year range or a decade ("the 1990s" -> 1990..1999). Years and dates are
  reported but are not statistics (features.py does not count them as such).
`text` is always a substring of the sentence.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass


def _words_list(text: str) -> list[str]:
    return text.split()


def _words(text: str) -> frozenset[str]:
    """A word table written as one string (easier to read and extend than a list)."""
    return frozenset(text.split())


_UNIT_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
)
UNITS: dict[str, int] = {w: i for i, w in enumerate(_words_list(_UNIT_WORDS))}
TENS: dict[str, int] = {
    w: 10 * (i + 2)
    for i, w in enumerate(_words_list("twenty thirty forty fifty sixty seventy eighty ninety"))
}
SCALES: dict[str, float] = {
    "hundred": 1e2,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
}
SUFFIX_SCALES: dict[str, float] = {
    "k": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "t": 1e12,
    "tn": 1e12,
    "trn": 1e12,
}
CURRENCIES: dict[str, str] = {
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "pounds sterling": "GBP",
    "¥": "JPY",
    "jpy": "JPY",
    "yen": "JPY",
}
MONTHS = (
    "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|"
    "june|july|august|september|october|november|december"
)
RATIO_CONTEXT = re.compile(
    r"\b(?:advantage|margin|ratio|odds|edge|lead|majority|vote[sd]?|ruling|decision|"
    r"won|win|wins|defeat(?:ed)?|beat|score|split|superiority|outnumber\w*)\b",
    re.I,
)
# Words after a number that are not the thing counted.
NOT_UNITS: frozenset[str] = _words(
    "the a an of to and or in on at for with as by from than that this is are was were be "
    "been has have had will would could should may might can more less fewer about over "
    "under per percent times out into up down so but if when which who it its their his "
    "her our my your"
)
ADJECTIVES: frozenset[str] = _words(
    "more new additional extra other active former young old new-born american russian "
    "ukrainian european chinese foreign local small large big major"
)

_W_NUM = "|".join([*UNITS, *TENS, *SCALES, "dozen"])
_DIGITS = (
    r"(?<![\w.,])(?-i:(?<![A-Z]-))(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?"
    r"(?![0-9])(?!(?:st|nd|rd|th)\b)"
)
_SCALE = r"(?:\s*(?:hundred|thousand|million|billion|trillion)\b|(?:bn|mn|mln|tn|trn|k|m|b)\b)"
_WORDS = rf"\b(?:{_W_NUM})(?:(?:[\s-]+|(?<=hundred)\s+and\s+)(?:{_W_NUM}))*\b"
_A_SCALE = r"\ban?\s+(?:dozen|hundred|thousand|million|billion|trillion)\b"
NUM = rf"(?:{_DIGITS}{_SCALE}?|{_A_SCALE}|{_WORDS})"
DIG_NUM = rf"(?:{_DIGITS}{_SCALE}?)"
_DASH = r"\s*(?:-|–|—|to)\s*"
_CUR_PREFIX = r"(?:US\$|\$|€|£|¥|(?:USD|EUR|GBP|JPY)\s?)"
_CUR_WORD = r"(?:dollars?|euros?|pounds(?:\s+sterling)?|yen|USD|EUR|GBP|JPY)\b"
_YEAR = r"(?<![\w$€£.,])(?:1[89][0-9]{2}|20[0-9]{2})(?![\w%]|,[0-9]|\.[0-9])"
_YEAR_PREP = re.compile(
    r"\b(?:in|since|by|of|until|till|from|before|after|during|early|late|mid|year|fiscal|"
    r"through|between|and|to|circa|around|spring|summer|autumn|fall|winter)\s*$",
    re.I,
)
_TO_AFTER = re.compile(r"\s+to\b")
_PLURAL_AFTER = re.compile(r"\s+[a-z]+s\b")
_UNIT_AFTER = re.compile(r"\s+(?:of\s+)?(?:([A-Za-z][\w-]*)\s+)?([A-Za-z][\w-]*)")


@dataclass(frozen=True, slots=True)
class Quantity:
    """A normalised quantity; fields mirror `factcheck.domain.models.Quantity`."""

    kind: str
    low: float
    high: float
    unit: str | None
    text: str

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class _Found:
    start: int
    end: int
    quantity: Quantity | None  # None: claimed text that yields nothing (a bare date)


def parse_words(text: str) -> float | None:
    """Value of a number-word phrase: "two million" -> 2e6, "a dozen" -> 12."""
    total, current, seen = 0.0, 0.0, False
    for token in re.split(r"[\s-]+", text.lower()):
        if token in ("a", "an", "and", ""):
            continue
        seen = True
        if token in UNITS:
            current += UNITS[token]
        elif token in TENS:
            current += TENS[token]
        elif token == "dozen":
            current = max(current, 1.0) * 12
        elif token == "hundred":
            current = max(current, 1.0) * 100
        elif token in SCALES:
            total += max(current, 1.0) * SCALES[token]
            current = 0.0
        else:
            return None
    return total + current if seen else None


def parse_number(text: str) -> float | None:
    """Value of a digits-with-scale ("1.2 billion", "3m", "40,000") or number-word phrase."""
    match = re.match(r"\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*([A-Za-z]*)\s*$", text)
    if not match:
        return parse_words(text)
    value = float(match.group(1).replace(",", ""))
    suffix = match.group(2).lower()
    if not suffix:
        return value
    scale = SCALES.get(suffix) or SUFFIX_SCALES.get(suffix)
    return value * scale if scale else None


def _fmt(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:g}"


def _unit_after(sentence: str, end: int) -> str | None:
    """The counted noun right after a number, when it is obvious ("5,000 troops")."""
    match = _UNIT_AFTER.match(sentence, end)
    if not match:
        return None
    first, second = match.group(1), match.group(2)
    word = second if first is None or first.lower() in ADJECTIVES else first
    word_l = word.lower()
    if word_l in NOT_UNITS or word_l.endswith("ly") or not word.islower():
        return None
    return word_l


# -- layers: each yields (start, end, Quantity | None) for one regex -------------------

Layer = Callable[[str], Iterator[_Found]]


def _money(sentence: str) -> Iterator[_Found]:
    prefix = re.compile(
        rf"({_CUR_PREFIX})\s?({DIG_NUM})(?:{_DASH}(?:{_CUR_PREFIX})?\s?({DIG_NUM}))?"
        rf"(?:\s+({_CUR_WORD}))?",
        re.I,
    )
    for m in prefix.finditer(sentence):
        unit = CURRENCIES.get(m.group(1).strip().lower(), "USD")
        yield from _money_found(m, m.group(2), m.group(3), unit)
    suffix = re.compile(rf"({NUM})(?:{_DASH}({NUM}))?\s+({_CUR_WORD})", re.I)
    for m in suffix.finditer(sentence):
        unit = CURRENCIES.get(re.sub(r"\s+", " ", m.group(3).lower()), "USD")
        yield from _money_found(m, m.group(1), m.group(2), unit)


def _money_found(m: re.Match[str], low_s: str, high_s: str | None, unit: str) -> Iterator[_Found]:
    low = parse_number(low_s)
    high = parse_number(high_s) if high_s else low
    if low is None or high is None:
        return
    if high_s and re.search(_SCALE + "$", high_s) and not re.search(_SCALE + "$", low_s):
        scale = high / (parse_number(re.sub(_SCALE + "$", "", high_s)) or high or 1.0)
        low *= scale  # "$10-20 million": the scale belongs to both ends
    yield _Found(m.start(), m.end(), Quantity("money", low, max(low, high), unit, m.group(0)))


def _percent(sentence: str) -> Iterator[_Found]:
    pattern = re.compile(
        rf"(?:between\s+)?({NUM})(?:\s*%)?(?:\s*(?:-|–|—|to|and)\s*({NUM}))?\s*"
        r"(%|percent\b|per\s+cent\b|pct\b|percentage\s+points?\b)",
        re.I,
    )
    for m in pattern.finditer(sentence):
        low = parse_number(m.group(1))
        high = parse_number(m.group(2)) if m.group(2) else low
        if low is None or high is None:
            continue
        unit = "percentage points" if m.group(3).lower().startswith("percentage") else "%"
        quantity = Quantity("percent", min(low, high), max(low, high), unit, m.group(0))
        yield _Found(m.start(), m.end(), quantity)


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


def _multiplier(sentence: str) -> Iterator[_Found]:
    ranged = re.compile(rf"({NUM})\s*(?:-|–|—|to|or)\s*({NUM})[\s-]+(?:times|fold)\b", re.I)
    single = re.compile(rf"({NUM})(?:[\s-]*fold\b|\s+times\b{_COMPARE_AFTER})", re.I)
    fused = re.compile(rf"\b({'|'.join(UNITS)}|ten|hundred)fold\b", re.I)
    worded = re.compile(
        r"\b(?:twice|half)\b(?=\s+(?:as|the|that|what|its|their|his|her|our|a|an)\b)|"
        r"\b(?:doubled|tripled|trebled|quadrupled)\b|"
        r"\b(?:double|triple|treble|quadruple)\b(?=\s+(?:the|that|what|its|their)\b)",
        re.I,
    )
    for m in ranged.finditer(sentence):
        low, high = parse_number(m.group(1)), parse_number(m.group(2))
        if low is not None and high is not None:
            q = Quantity("multiplier", min(low, high), max(low, high), "x", m.group(0))
            yield _Found(m.start(), m.end(), q)
    for m in single.finditer(sentence):
        value = parse_number(m.group(1))
        if value is not None:
            yield _Found(m.start(), m.end(), Quantity("multiplier", value, value, "x", m.group(0)))
    for m in fused.finditer(sentence):
        value = parse_words(m.group(1))
        if value is not None:
            yield _Found(m.start(), m.end(), Quantity("multiplier", value, value, "x", m.group(0)))
    for m in worded.finditer(sentence):
        value = _MULTIPLIER_WORDS[m.group(0).lower()]
        yield _Found(m.start(), m.end(), Quantity("multiplier", value, value, "x", m.group(0)))


def _ratio_found(m: re.Match[str], left_s: str, right_s: str) -> Iterator[_Found]:
    left, right = parse_number(left_s), parse_number(right_s)
    if left is None or right is None or right == 0 or left == 0:
        return
    value = left / right
    q = Quantity("ratio", value, value, f"{_fmt(left)}:{_fmt(right)}", m.group(0))
    yield _Found(m.start(), m.end(), q)


def _ratio(sentence: str) -> Iterator[_Found]:
    hyphen_to = re.compile(rf"({NUM})\s*[-–—]\s*to\s*[-–—]\s*({NUM})", re.I)
    to_one = re.compile(
        rf"(?<!from\s)({NUM})\s+to\s+(one|1)\b"
        r"(?![\s-]*(?:hundred|thousand|million|billion|trillion|dozen|[0-9]|percent|%))",
        re.I,
    )
    colon = re.compile(r"(?<![\w:.,])([0-9]{1,3})\s?:\s?([0-9]{1,3})(?![\w:]|\s?[ap]\.?m\b)")
    dash = re.compile(r"(?<![\w.,–—-])([0-9]{1,3})\s?[-–—]\s?([0-9]{1,3})(?![\w%.,]|[-–—][0-9])")
    for m in hyphen_to.finditer(sentence):
        yield from _ratio_found(m, m.group(1), m.group(2))
    for m in to_one.finditer(sentence):
        yield from _ratio_found(m, m.group(1), m.group(2))
    has_context = RATIO_CONTEXT.search(sentence) is not None
    for m in colon.finditer(sentence):
        if len(m.group(2)) == 1 or has_context:
            yield from _ratio_found(m, m.group(1), m.group(2))
    for m in dash.finditer(sentence):
        window = sentence[max(0, m.start() - 40) : m.end() + 40]
        if RATIO_CONTEXT.search(window) or _TO_AFTER.match(sentence, m.end()):
            yield from _ratio_found(m, m.group(1), m.group(2))


def _dates_and_years(sentence: str) -> Iterator[_Found]:
    date = re.compile(
        rf"\b(?:{MONTHS})\.?\s+[0-9]{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+({_YEAR}))?", re.I
    )
    decade = re.compile(r"(?<![\w$€£.,])(1[5-9][0-9]|20[0-9])0s\b")
    year_range = re.compile(rf"({_YEAR})\s*(?:-|–|—|to|through)\s*({_YEAR}|[0-9]{{2}}\b)")
    year = re.compile(_YEAR)
    clock = re.compile(r"\b[0-9]{1,2}(?::[0-9]{2})?\s?[ap]\.?m\b\.?|\b[0-9]{1,2}:[0-9]{2}\b", re.I)
    for m in clock.finditer(sentence):
        yield _Found(m.start(), m.end(), None)
    for m in date.finditer(sentence):
        q = None
        if m.group(1):
            y = float(m.group(1))
            q = Quantity("year", y, y, None, m.group(0))
        yield _Found(m.start(), m.end(), q)
    for m in decade.finditer(sentence):
        base = float(m.group(1)) * 10
        yield _Found(m.start(), m.end(), Quantity("year", base, base + 9, "decade", m.group(0)))
    for m in year_range.finditer(sentence):
        low, high_s = float(m.group(1)), m.group(2)
        high = float(high_s) if len(high_s) == 4 else float(m.group(1)[:2] + high_s)
        if high > low:
            yield _Found(m.start(), m.end(), Quantity("year", low, high, None, m.group(0)))
    for m in year.finditer(sentence):
        before = sentence[max(0, m.start() - 20) : m.start()]
        plural_noun = _PLURAL_AFTER.match(sentence, m.end()) is not None
        if _YEAR_PREP.search(before) or not plural_noun:
            y = float(m.group(0))
            yield _Found(m.start(), m.end(), Quantity("year", y, y, None, m.group(0)))


def _vague(sentence: str) -> Iterator[_Found]:
    pattern = re.compile(
        r"\b(?:(tens|hundreds|dozens)\s+of\s+)?"
        r"(dozens|hundreds|thousands|millions|billions|trillions)\b",
        re.I,
    )
    factor = {"tens": 10.0, "hundreds": 100.0, "dozens": 12.0}
    for m in pattern.finditer(sentence):
        base = 12.0 if m.group(2).lower() == "dozens" else SCALES[m.group(2).lower()[:-1]]
        low = base * (factor[m.group(1).lower()] if m.group(1) else 2.0)
        q = Quantity("count", low, low * 10, _unit_after(sentence, m.end()), m.group(0))
        yield _Found(m.start(), m.end(), q)


def _ranges(sentence: str) -> Iterator[_Found]:
    pattern = re.compile(
        rf"\bbetween\s+({NUM})\s+and\s+({NUM})|\bfrom\s+({NUM})\s+to\s+({NUM})|"
        rf"({DIG_NUM})\s*(?:-|–|—)\s*({DIG_NUM})|({NUM})\s+to\s+({NUM})",
        re.I,
    )
    for m in pattern.finditer(sentence):
        groups = [g for g in m.groups() if g is not None]
        low, high = parse_number(groups[0]), parse_number(groups[1])
        if low is None or high is None or low == high:
            continue
        q = Quantity(
            "count", min(low, high), max(low, high), _unit_after(sentence, m.end()), m.group(0)
        )
        yield _Found(m.start(), m.end(), q)


def _counts(sentence: str) -> Iterator[_Found]:
    for m in re.finditer(NUM, sentence, re.I):
        value = parse_number(m.group(0))
        if value is None:
            continue
        unit = _unit_after(sentence, m.end())
        is_words = not m.group(0)[:1].isdigit()
        if is_words and (value <= 1 or (unit is None and value < 100)):
            continue  # "one of the", "two" alone: not a statistic
        yield _Found(m.start(), m.end(), Quantity("count", value, value, unit, m.group(0)))


LAYERS: tuple[Layer, ...] = (
    _money,
    _percent,
    _multiplier,
    _ratio,
    _dates_and_years,
    _vague,
    _ranges,
    _counts,
)


# Cheap gate: a sentence with none of these substrings has no quantity for any layer.
_MAY_HAVE_NUMBER = re.compile(
    rf"[0-9]|\b(?:{_W_NUM}|twice|doubl|tripl|trebl|quadrupl|half|dozen)",
    re.I,
)


def find_quantities(sentence: str) -> list[Quantity]:
    """All quantities in `sentence`, in reading order; never raises on odd text.

    Non-finite values (a 400-digit number overflows to inf) are dropped: JSON has no inf.
    """
    if not _MAY_HAVE_NUMBER.search(sentence):
        return []
    taken = bytearray(len(sentence))  # 1 where an earlier layer claimed the character
    found: list[_Found] = []
    for layer in LAYERS:
        for item in layer(sentence):
            if item.end <= item.start or any(taken[item.start : item.end]):
                continue
            taken[item.start : item.end] = b"\x01" * (item.end - item.start)
            found.append(item)
    found.sort(key=lambda f: f.start)
    return [
        f.quantity
        for f in found
        if f.quantity is not None
        and math.isfinite(f.quantity.low)
        and math.isfinite(f.quantity.high)
    ]
