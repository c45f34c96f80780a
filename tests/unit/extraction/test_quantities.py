"""Quantities are normalised the way a fact-checker reads them, and parsing never raises."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.extraction.quantities import Quantity, find_quantities, parse_number

pytestmark = pytest.mark.unit

NEWS = Path(__file__).resolve().parents[2] / "data" / "quantities_news.jsonl"


def _summary(sentence: str) -> list[tuple[str, float, float, str | None, str]]:
    return [(q.kind, q.low, q.high, q.unit, q.text) for q in find_quantities(sentence)]


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


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
        ("It improves resolution by 100 times, he says.", "multiplier", 100, 100, "x", "100 times"),
        ("It sells half as much coal.", "multiplier", 0.5, 0.5, "x", "half"),
        ("It is half the size of Arecibo.", "multiplier", 0.5, 0.5, "x", "half"),
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
        (
            "The deficit is over half a trillion dollars.",
            "money",
            5e11,
            5e11,
            "USD",
            "half a trillion dollars",
        ),
        (
            "Prices spiked into the thousands of dollars.",
            "money",
            2e3,
            2e4,
            "USD",
            "thousands of dollars",
        ),
        ("It sent 5,000 troops.", "count", 5000, 5000, "troops", "5,000"),
        ("Two million people fled.", "count", 2e6, 2e6, "people", "Two million"),
        ("A dozen countries signed.", "count", 12, 12, "countries", "A dozen"),
        ("Tens of thousands of people marched.", "count", 1e4, 1e5, "people", "Tens of thousands"),
        ("It fired between 10 and 20 shells.", "count", 10, 20, "shells", "between 10 and 20"),
        ("It fired 10–20 shells.", "count", 10, 20, "shells", "10–20"),
        ("It fired from 10 to 20 shells.", "count", 10, 20, "shells", "from 10 to 20"),
        ("It happened in 2019.", "year", 2019, 2019, None, "2019"),
        ("Prices rose in the 1990s.", "year", 1990, 1999, "decade", "1990s"),
        ("Congress acted in the early '60s.", "year", 1960, 1969, "decade", "'60s"),
        ("The war lasted 2014-2022.", "year", 2014, 2022, None, "2014-2022"),
        (
            "Between 2014 and 2021, few were built.",
            "year",
            2014,
            2021,
            None,
            "Between 2014 and 2021",
        ),
        ("It was signed on April 7, 1840.", "year", 1840, 1840, None, "April 7, 1840"),
    ],
)
def test_quantity_is_normalised(
    sentence: str, kind: str, low: float, high: float, unit: str | None, text: str
) -> None:
    q = find_quantities(sentence)[0]
    assert (q.kind, q.low, q.high, q.unit, q.text) == (kind, low, high, unit, text)


# -- the findings of issue 18 item 11: each failed on the layered regexes before the split ----


def test_a_change_from_a_value_in_a_year_to_another_is_one_change_and_the_year() -> None:
    found = _summary("Arrests rose from 820 in 2019 to 1,650 last year.")
    assert found == [
        ("change", 820, 1650, None, "from 820 in 2019 to 1,650"),
        ("year", 2019, 2019, None, "2019"),
    ]
    assert all(q.kind != "ratio" for q in find_quantities("It went from 820 in 2019 to 1,650."))


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Prices fell from $1.2 to $1.5 billion.", ("change", 1.2e9, 1.5e9, "USD")),
        ("Support fell from 54% in November to 35%.", ("change", 54, 35, "%")),
        ("Cases rose to 1,650 from 820.", ("change", 820, 1650, None)),
        ("The rate is 20.4, up from 18.4.", ("change", 18.4, 20.4, None)),
        ("It increased from 310 cases per day to 462.", ("change", 310, 462, "cases")),
        ("Staff went from 40 to 25 teachers.", ("change", 40, 25, "teachers")),
    ],
)
def test_a_change_keeps_its_from_value_in_low_and_its_to_value_in_high(
    sentence: str, expected: tuple[str, float, float, str | None]
) -> None:
    q = next(q for q in find_quantities(sentence) if q.kind == "change")
    assert (q.kind, q.unit) == (expected[0], expected[3])
    assert _close(q.low, expected[1]) and _close(q.high, expected[2])


@pytest.mark.parametrize(
    ("sentence", "value", "unit", "text"),
    [
        ("One in five pensioners lives in poverty.", 0.2, "1/5", "One in five"),
        ("It pays more than a third of the cost.", 1 / 3, "1/3", "a third"),
        ("A quarter of voters agreed.", 0.25, "1/4", "A quarter"),
        ("Turnout fell by a quarter.", 0.25, "1/4", "a quarter"),
        ("Two-thirds of voters said no.", 2 / 3, "2/3", "Two-thirds"),
        ("Three quarters of the budget is spent.", 0.75, "3/4", "Three quarters"),
        ("Half of all cases are in the city.", 0.5, "1/2", "Half"),
        ("It was cut by more than half.", 0.5, "1/2", "half"),
        ("Nine out of 10 doctors agree.", 0.9, "9/10", "Nine out of 10"),
        ("Biden leads among New Democrats (20 of 34).", 20 / 34, "20/34", "20 of 34"),
        ("Five of the seven progressives are black.", 5 / 7, "5/7", "Five of the seven"),
    ],
)
def test_fractions_and_proportions_are_a_share_between_zero_and_one(
    sentence: str, value: float, unit: str, text: str
) -> None:
    q = find_quantities(sentence)[0]
    assert (q.kind, q.unit, q.text) == ("fraction", unit, text)
    assert _close(q.low, value) and q.low == q.high


@pytest.mark.parametrize(
    "sentence",
    [
        "They will not try for a third time.",
        "A third is to join the trust.",
        "It sold via a third-party seller.",
        "Profits rose in the third quarter of 2020.",
        "The half-penny tax pays for transit.",
        "She endorsed one of the two senators.",
    ],
)
def test_ordinals_and_choices_are_not_fractions(sentence: str) -> None:
    assert [q for q in find_quantities(sentence) if q.kind == "fraction"] == []


@pytest.mark.parametrize(
    ("sentence", "low", "high", "unit", "text"),
    [
        ("Life expectancy fell by 6.3 years.", 6.3, 6.3, "year", "6.3 years"),
        ("The trial took two weeks.", 2, 2, "week", "two weeks"),
        ("They have two and a half years left.", 2.5, 2.5, "year", "two and a half years"),
        ("Over the next 30 days, residents vote.", 30, 30, "day", "30 days"),
        ("It is a five-year project.", 5, 5, "year", "five-year"),
        ("Lockdown for 3 or 4 weeks was advised.", 3, 4, "week", "3 or 4 weeks"),
        ("One soldier died every 2½ days.", 2.5, 2.5, "day", "2½ days"),
        ("He served between 5 and 10 months.", 5, 10, "month", "between 5 and 10 months"),
        ("We can't go 20 more years without it.", 20, 20, "year", "20 more years"),
    ],
)
def test_durations_are_a_value_and_a_time_unit_not_a_count(
    sentence: str, low: float, high: float, unit: str, text: str
) -> None:
    durations = [q for q in find_quantities(sentence) if q.kind == "duration"]
    assert [(q.low, q.high, q.unit, q.text) for q in durations] == [(low, high, unit, text)]
    assert all(q.kind != "count" or q.unit not in ("years", "weeks", "days") for q in durations)


@pytest.mark.parametrize(
    "sentence",
    [
        "The budget for 2024 is set.",
        "The newly redrawn map for the 2020 reunites Asheville.",
        "It rose from 2019 to 2021.",
        "A 1761 work set auction records.",
    ],
)
def test_years_are_never_counts_or_ratios(sentence: str) -> None:
    kinds = [q.kind for q in find_quantities(sentence)]
    assert "year" in kinds
    assert not {"count", "ratio", "change"} & set(kinds)


def test_a_four_digit_number_that_counts_a_noun_is_a_count_not_a_year() -> None:
    assert _summary("Some 2000 people marched.") == [("count", 2000, 2000, "people", "2000")]


@pytest.mark.parametrize(
    ("sentence", "unit"),
    [
        ("It employs 140 agency staff.", "staff"),
        ("The plan allows for 350 social housing units.", "units"),
        ("Some 500 local residents filed complaints.", "residents"),
        ("It has 30 Democratic House members.", "members"),
        ("Up to 1,500 participants came from 140 countries.", "participants"),
        ("The two billionaires’ strategy works.", "billionaires"),
        ("It rose by 140 in the agency last year.", None),
        ("Of 350, social workers say most stayed.", None),
        ("Only 91 men died.", "men"),
        ("Two natural gas power plants shut down.", "plants"),
        ("There was a gap of 22mm between them.", "mm"),
        ("Warming reached 1.43°C last year.", "°C"),
        ("Here, 1 soldier died every week.", "soldier"),
    ],
)
def test_the_unit_is_the_noun_the_number_modifies(sentence: str, unit: str | None) -> None:
    assert find_quantities(sentence)[0].unit == unit


@pytest.mark.parametrize(
    "sentence",
    [
        "The F-16 and COVID-19 came 3rd.",
        "We met at 10:30 a.m. on June 5.",
        "One of the leaders spoke.",
        "He was first, second and third.",
        "9" * 400 + "-to-" + "9" * 400,
        "Cork moves to Level 3 and Section 8 vouchers.",
        "He left home around 20:00hrs.",
        "Voting is at 2344 Bragg St.",
        "An investigation by +972 Magazine.",
        "7News cameras captured it.",
        "The conference runs June 13 to 17.",
    ],
)
def test_codes_times_ordinals_labels_and_lone_number_words_are_not_quantities(
    sentence: str,
) -> None:
    assert [q for q in find_quantities(sentence) if q.kind != "year"] == []


def test_a_bare_year_is_a_year_not_a_count() -> None:
    assert [q.kind for q in find_quantities("Since 2014, the line has held.")] == ["year"]


def test_quantity_json_has_exactly_the_documented_keys() -> None:
    q = find_quantities("It rose 40%.")[0]
    assert set(q.to_dict()) == {"kind", "low", "high", "unit", "text"}


def test_every_kind_passes_through_the_domain_model_and_the_api_schema() -> None:
    from factcheck.api.schemas import QuantitySchema
    from factcheck.domain.models import Quantity as DomainQuantity

    sentence = (
        "Arrests rose from 820 in 2019 to 1,650, one in five pensioners lost $1.2 billion, "
        "a third of 40% lasted 6.3 years, a 3-1 margin, twice the size, and 5,000 troops."
    )
    found = find_quantities(sentence)
    assert {q.kind for q in found} == {
        "change",
        "year",
        "fraction",
        "money",
        "percent",
        "duration",
        "ratio",
        "multiplier",
        "count",
    }
    for q in found:
        stored = DomainQuantity.model_validate(q, from_attributes=True)
        assert QuantitySchema().dump(stored) == q.to_dict()


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,200", 1200.0),
        ("3m", 3e6),
        ("1.2 billion", 1.2e9),
        ("1.2-billion", 1.2e9),
        ("2½", 2.5),
        ("twenty-two", 22.0),
        ("one hundred and five", 105.0),
        ("a dozen", 12.0),
        ("banana", None),
    ],
)
def test_number_phrases_parse(text: str, value: float | None) -> None:
    assert parse_number(text) == value


# -- real sentences from ../shared/eval/news (tests/data/quantities_news.jsonl) --------------


def _news_rows() -> list[dict[str, object]]:
    return [json.loads(line) for line in NEWS.read_text(encoding="utf-8").splitlines() if line]


def test_the_news_table_has_at_least_100_real_sentences_of_every_kind() -> None:
    rows = _news_rows()
    kinds = {q["kind"] for row in rows for q in row["expected"]}  # type: ignore[attr-defined]
    assert len(rows) >= 100
    assert {"change", "fraction", "duration", "year", "percent", "money", "count"} <= kinds


@pytest.mark.parametrize("row", _news_rows(), ids=lambda row: str(row["id"]))
def test_news_sentence_quantities_are_as_a_fact_checker_reads_them(row: dict[str, object]) -> None:
    sentence = str(row["text"])
    found = find_quantities(sentence)
    expected = row["expected"]
    assert isinstance(expected, list)
    assert [(q.kind, q.unit, q.text) for q in found] == [
        (e["kind"], e["unit"], e["text"]) for e in expected
    ]
    for q, e in zip(found, expected, strict=True):
        assert _close(q.low, e["low"]) and _close(q.high, e["high"]), (q, e)
        assert sentence[q.start : q.end] == q.text


# -- properties ----------------------------------------------------------------------------


def _check_spans(sentence: str, found: list[Quantity]) -> None:
    for q in found:
        assert 0 <= q.start < q.end <= len(sentence)
        assert sentence[q.start : q.end] == q.text
        assert math.isfinite(q.low) and math.isfinite(q.high)
        assert q.kind == "change" or q.low <= q.high
    assert [q.start for q in found] == sorted(q.start for q in found)


_TOKENS = [*"0123456789 ,.-–:%$€£½°()+", "to ", "from ", "in ", "of ", "one ", "a third "]
_TOKENS += ["times ", "billion ", "years ", "half ", "rose ", "2019 ", "up ", "Level ", "1,650"]
_NUMBERISH = st.lists(st.sampled_from(_TOKENS), max_size=30).map("".join)


@settings(max_examples=400, deadline=None, database=None)
@given(st.one_of(st.text(max_size=200), _NUMBERISH))
def test_the_normaliser_never_raises_and_every_span_slices_the_text(sentence: str) -> None:
    _check_spans(sentence, find_quantities(sentence))


@settings(max_examples=200, deadline=None, database=None)
@given(st.sampled_from(_news_rows()), st.text(max_size=30), st.text(max_size=30))
def test_news_sentences_with_noise_around_them_still_slice(
    row: dict[str, object], before: str, after: str
) -> None:
    sentence = before + str(row["text"]) + after
    _check_spans(sentence, find_quantities(sentence))
