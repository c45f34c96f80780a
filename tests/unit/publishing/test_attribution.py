"""Who made a claim: the name the sentence gives it to, nobody when it gives it to someone
unnamed, and the byline only when the sentence gives it to no one (never a wrong author)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factcheck.domain.models import Claim, Document
from factcheck.publishing.attribution import UNNAMED, Attribution, attribution
from factcheck.publishing.claimreview import claim_author

pytestmark = pytest.mark.unit

CASES = [
    (
        "Unemployment fell to 4%, according to the statistics office.",
        "Statistics office",
        "Organization",
    ),
    ("According to NATO, Russia fires three times as many shells.", "NATO", "Organization"),
    ("Jane Doe said the economy grew by 3% last year.", "Jane Doe", "Person"),
    ("The economy grew by 3%, said Jane Doe.", "Jane Doe", "Person"),
    ("The defence ministry said 400 soldiers had died.", "Defence ministry", "Organization"),
    ("President Joe Biden said inflation was at 9%.", "President Joe Biden", "Person"),
    (
        "Boris Johnson, the former prime minister, said Brexit saved £350m a week.",
        "Boris Johnson",
        "Person",
    ),
    (
        "According to a study by Harvard University, 40% of adults are obese.",
        "Harvard University",
        "Organization",
    ),
    (
        "Inflation rose to 9% in June, the Office for National Statistics said.",
        "Office for National Statistics",
        "Organization",
    ),
    ("Unemployment is at 4%, says the Bank of England.", "Bank of England", "Organization"),
    (
        "The Institute for Fiscal Studies estimates that taxes will rise by £20bn.",
        "Institute for Fiscal Studies",
        "Organization",
    ),
    ("The IMF estimates growth at 2.1%.", "IMF", "Organization"),
    ("Russia said 30 drones were shot down.", "Russia", "Organization"),
]

UNNAMED_CASES = [
    "He said the economy grew by 3%.",
    "Officials said 40 people were killed.",
    "Sanctions are unlikely to change Putin's calculus, officials said on Monday.",
    "The minister said Brexit saved money.",
    "In 2023 the company reported a loss of $4bn.",
    "Smith and Jones said the deal was worth $3bn.",
]

UNATTRIBUTED = [
    "The economy grew by 3% last year.",
    "Russia has a 3-1 manpower advantage.",
    "Russia fires two to three times as much ammunition per year as all of NATO combined.",
    "In London, 30% of homes are rented.",
    "Prices rose 3% in the year to March.",
]


@pytest.mark.parametrize(("sentence", "name", "kind"), CASES)
def test_a_named_source_is_the_claims_author(sentence: str, name: str, kind: str) -> None:
    assert attribution(sentence) == Attribution(name=name, kind=kind)


@pytest.mark.parametrize("sentence", UNNAMED_CASES)
def test_a_claim_given_to_someone_unnamed_has_no_name(sentence: str) -> None:
    assert attribution(sentence) is UNNAMED


@pytest.mark.parametrize("sentence", UNATTRIBUTED)
def test_a_claim_given_to_no_one_is_not_attributed(sentence: str) -> None:
    assert attribution(sentence) is None


def _claim(text: str) -> Claim:
    return Claim(id="c1", document_id="d1", text=text, start=0, end=len(text), score=0.5)


@pytest.mark.parametrize(
    ("sentence", "byline", "expected"),
    [
        (CASES[2][0], "A. Columnist", {"@type": "Person", "name": "Jane Doe"}),
        (UNATTRIBUTED[0], "A. Columnist", {"@type": "Person", "name": "A. Columnist"}),
        (UNNAMED_CASES[1], "A. Columnist", None),
        (UNATTRIBUTED[0], None, None),
    ],
)
def test_claim_review_author_is_the_named_source_else_the_byline_else_none(
    sentence: str, byline: str | None, expected: dict[str, str] | None
) -> None:
    document = Document(id="d1", text=sentence, author=byline)
    assert claim_author(_claim(sentence).text, document) == expected


@given(st.text(max_size=300))
def test_any_text_is_read_without_error_and_names_are_never_empty(text: str) -> None:
    found = attribution(text)
    assert found is None or found is UNNAMED or (found.name.strip() and found.kind)
