"""Number words, the number regexes every layer shares, and their values.

Hand-written on purpose: the libraries that parse number words (number-parser, word2number,
quantulum3's tables) miss "a dozen", "1.2 billion", "3m" and fractions ("two-thirds"), and
quantulum3 loads 24 MB of unit tables (2.5 s on the first call), too much for one Lambda.
"""

from __future__ import annotations

import re


def _words(text: str) -> list[str]:
    """A word table written as one string (easier to read and extend than a list)."""
    return text.split()


UNITS: dict[str, int] = {
    w: i
    for i, w in enumerate(
        _words(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen "
            "fourteen fifteen sixteen seventeen eighteen nineteen"
        )
    )
}
TENS: dict[str, int] = {
    w: 10 * (i + 2)
    for i, w in enumerate(_words("twenty thirty forty fifty sixty seventy eighty ninety"))
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
# Denominator words of fractions ("a third", "two-fifths"); "half" is handled on its own.
DENOMINATORS: dict[str, int] = {
    "half": 2,
    "halves": 2,
    "third": 3,
    "thirds": 3,
    "quarter": 4,
    "quarters": 4,
    "fourth": 4,
    "fourths": 4,
    "fifth": 5,
    "fifths": 5,
    "sixth": 6,
    "sixths": 6,
    "seventh": 7,
    "sevenths": 7,
    "eighth": 8,
    "eighths": 8,
    "ninth": 9,
    "ninths": 9,
    "tenth": 10,
    "tenths": 10,
}
VULGAR: dict[str, float] = {"½": 0.5, "¼": 0.25, "¾": 0.75, "⅓": 1 / 3, "⅔": 2 / 3}
MONTHS = (
    "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|"
    "june|july|august|september|october|november|december"
)
# Full month names only (and not "may"): "5 may rise" is not a date.
LONG_MONTHS = "january|february|march|april|june|july|august|september|october|november|december"

W_NUM = "|".join([*UNITS, *TENS, *SCALES, "dozen"])
DIGITS = (
    r"(?<![\w.,])(?:(?<![A-Za-z]-)|(?<=to-))"  # not "COVID-19", but "3-to-1"
    r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+|[½¼¾⅓⅔])?"
    r"(?![0-9])(?!(?:st|nd|rd|th)\b)"
)
SCALE = r"(?:[\s-]*(?:hundred|thousand|million|billion|trillion)\b|(?:bn|mn|mln|tn|trn|k|m|b)\b)"
WORDS = rf"\b(?:{W_NUM})(?:(?:[\s-]+|(?<=hundred)\s+and\s+)(?:{W_NUM}))*\b"
A_SCALE = r"\b(?:half\s+)?an?\s+(?:dozen|hundred|thousand|million|billion|trillion)\b"
NUM = rf"(?:{DIGITS}{SCALE}?|{A_SCALE}|{WORDS})"
DIG_NUM = rf"(?:{DIGITS}{SCALE}?)"
DASH = r"\s*(?:-|–|—|to)\s*"
CUR_PREFIX = r"(?:US\$|\$|€|£|¥|(?:USD|EUR|GBP|JPY)\s?)"
CUR_WORD = r"(?:dollars?|euros?|pounds(?:\s+sterling)?|yen|yuan|USD|EUR|GBP|JPY|CNY)\b"
# A bare year: 1800-2099, not part of a longer number, an amount or a decimal.
YEAR = r"(?<![\w$€£.,])(?:1[89][0-9]{2}|20[0-9]{2})(?![\w%]|,[0-9]|\.[0-9])"
_YEAR_ONLY = re.compile(r"(?:1[89][0-9]{2}|20[0-9]{2})")

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
    "yuan": "CNY",
    "cny": "CNY",
}


def looks_like_year(text: str) -> bool:
    """A bare four-digit 1800-2099 ("2019", not "2,019" or "2019.5")."""
    return _YEAR_ONLY.fullmatch(text.strip()) is not None


def parse_words(text: str) -> float | None:
    """Value of a number-word phrase: "two million" -> 2e6, "a dozen" -> 12."""
    total, current, seen, factor = 0.0, 0.0, False, 1.0
    tokens = re.split(r"[\s-]+", text.lower())
    if tokens[:1] == ["half"] and len(tokens) > 1:
        factor, tokens = 0.5, tokens[1:]  # "half a trillion"
    for token in tokens:
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
    return (total + current) * factor if seen else None


_DIGIT_PHRASE = re.compile(r"\s*([0-9][0-9,]*(?:\.[0-9]+)?)([½¼¾⅓⅔]?)[\s-]*([A-Za-z]*)\s*$")


def parse_number(text: str) -> float | None:
    """Value of a digits-with-scale ("1.2 billion", "3m", "40,000", "2½") or word phrase."""
    match = _DIGIT_PHRASE.match(text)
    if not match:
        return parse_words(text)
    value = float(match.group(1).replace(",", "")) + VULGAR.get(match.group(2), 0.0)
    suffix = match.group(3).lower()
    if not suffix:
        return value
    scale = SCALES.get(suffix) or SUFFIX_SCALES.get(suffix)
    return value * scale if scale else None


def fmt(value: float) -> str:
    """A value as a unit label writes it: 3.0 -> "3", 2.5 -> "2.5"."""
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:g}"
