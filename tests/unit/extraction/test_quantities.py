"""Quantities are normalised the way a fact-checker reads them, and parsing never raises."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.extraction.quantities import find_quantities, parse_number

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("sentence", "kind", "low", "high", "unit", "text"),
    [
        ("It has a 3–1 manpower advantage.", "ratio", 3, 3, "3:1", "3–1"),
        ("They won by a 3-1 margin.", "ratio", 3, 3, "3:1", "3-1"),
        ("Odds are 3-to-1 against.", "ratio", 3, 3, "3:1", "3-to-1"),
        ("Voters backed it three-to-one.", "ratio", 3, 3, "3:1", "three-to-one"),
        ("The ratio is 3:1 today.", "ratio", 3, 3, "3:1", "3:1"),
        ("They outnumber us two to one.", "ratio", 2, 2, "2:1", "two to one"),
        (
            "It makes two to three times as much ammunition.",
            "multiplier",
            2,
            3,
            "x",
            "two to three times",
        ),
        ("Costs are 2-3 times higher.", "multiplier", 2, 3, "x", "2-3 times"),
        ("It is twice as large.", "multiplier", 2, 2, "x", "twice"),
        ("We spend three times as much.", "multiplier", 3, 3, "x", "three times"),
        ("Imports grew fivefold.", "multiplier", 5, 5, "x", "fivefold"),
        ("Unemployment hit 40%.", "percent", 40, 40, "%", "40%"),
        ("Unemployment hit 40 percent.", "percent", 40, 40, "%", "40 percent"),
        ("Turnout was forty per cent.", "percent", 40, 40, "%", "forty per cent"),
        (
            "Support is between 10 and 20 percent.",
            "percent",
            10,
            20,
            "%",
            "between 10 and 20 percent",
        ),
        (
            "It rose 2 percentage points.",
            "percent",
            2,
            2,
            "percentage points",
            "2 percentage points",
        ),
        ("The plan costs $1.2 billion.", "money", 1.2e9, 1.2e9, "USD", "$1.2 billion"),
        ("The club paid €3m for him.", "money", 3e6, 3e6, "EUR", "€3m"),
        ("She earns £40,000 a year.", "money", 40000, 40000, "GBP", "£40,000"),
        ("Debt is 1.2 trillion dollars.", "money", 1.2e12, 1.2e12, "USD", "1.2 trillion dollars"),
        ("Aid of $10-20 million was sent.", "money", 1e7, 2e7, "USD", "$10-20 million"),
        ("It sent 5,000 troops.", "count", 5000, 5000, "troops", "5,000"),
        ("Two million people fled.", "count", 2e6, 2e6, "people", "Two million"),
        ("A dozen countries signed.", "count", 12, 12, "countries", "A dozen"),
        ("Tens of thousands of people marched.", "count", 1e4, 1e5, "people", "Tens of thousands"),
        ("It fired between 10 and 20 shells.", "count", 10, 20, "shells", "between 10 and 20"),
        ("It fired 10–20 shells.", "count", 10, 20, "shells", "10–20"),
        ("It happened in 2019.", "year", 2019, 2019, None, "2019"),
        ("Prices rose in the 1990s.", "year", 1990, 1999, "decade", "1990s"),
        ("The war lasted 2014-2022.", "year", 2014, 2022, None, "2014-2022"),
    ],
)
def test_quantity_is_normalised(
    sentence: str, kind: str, low: float, high: float, unit: str | None, text: str
) -> None:
    q = find_quantities(sentence)[0]
    assert (q.kind, q.low, q.high, q.unit, q.text) == (kind, low, high, unit, text)


@pytest.mark.parametrize(
    "sentence",
    [
        "The F-16 and COVID-19 came 3rd.",
        "We met at 10:30 a.m. on June 5.",
        "One of the leaders spoke.",
        "He was first, second and third.",
        "9" * 400 + "-to-" + "9" * 400,
    ],
)
def test_codes_times_ordinals_and_lone_number_words_are_not_quantities(sentence: str) -> None:
    assert [q for q in find_quantities(sentence) if q.kind != "year"] == []


def test_a_bare_year_is_a_year_not_a_count() -> None:
    assert [q.kind for q in find_quantities("Since 2014, the line has held.")] == ["year"]


def test_quantity_json_has_exactly_the_documented_keys() -> None:
    q = find_quantities("It rose 40%.")[0]
    assert set(q.to_dict()) == {"kind", "low", "high", "unit", "text"}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,200", 1200.0),
        ("3m", 3e6),
        ("1.2 billion", 1.2e9),
        ("twenty-two", 22.0),
        ("one hundred and five", 105.0),
        ("a dozen", 12.0),
        ("banana", None),
    ],
)
def test_number_phrases_parse(text: str, value: float | None) -> None:
    assert parse_number(text) == value


@settings(max_examples=300, deadline=None, database=None)
@given(
    st.one_of(
        st.text(max_size=200),
        st.text(alphabet=st.sampled_from(list("0123456789 ,.-–:%$€£to timesbillion")), max_size=80),
    )
)
def test_parser_never_raises_and_each_text_is_a_substring(sentence: str) -> None:
    for q in find_quantities(sentence):
        assert q.text in sentence
        assert math.isfinite(q.low) and math.isfinite(q.high)
        assert q.low <= q.high
