"""Reading other publishers' ClaimReview markup: every shape publishers use gives the same
checks, every item that cannot be read is reported with the reason, and nothing half-read
comes back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factcheck.publishing.external import (
    external_check_id,
    read_file,
    read_html,
    read_markup,
    read_paths,
)

pytestmark = pytest.mark.unit

FIXTURES = Path(__file__).resolve().parents[2] / "data" / "claimreviews"
AMMUNITION = "Russia fires two to three times as much ammunition per year as all of NATO combined"


def test_the_schema_org_example_reads_with_publisher_rating_and_claim_author() -> None:
    report = read_file(FIXTURES / "single.json")
    assert report.errors == []
    (check,) = report.checks
    assert check.claim_reviewed == "The world is flat"
    assert check.publisher == "Example.com science watch"
    assert check.rating == "False"
    assert (check.rating_value, check.worst_rating, check.best_rating) == (1.0, 1.0, 5.0)
    assert check.claim_author == "Square World Society"
    assert check.url == "https://example.com/news/science/worldisflat.html"
    assert check.date_published is not None and check.date_published.year == 2016


@pytest.mark.parametrize(
    ("name", "claims"),
    [
        (
            "array.jsonld",
            [
                AMMUNITION,
                "The moon is made of cheese",
            ],
        ),
        ("graph.json", ["Russia has a 3-1 manpower advantage over Ukraine"]),
        ("page.html", ["Russia's economy has fared remarkably well despite Western sanctions"]),
    ],
)
def test_arrays_graphs_and_pages_with_embedded_markup_are_read(
    name: str, claims: list[str]
) -> None:
    report = read_file(FIXTURES / name)
    assert report.errors == []
    assert [c.claim_reviewed for c in report.checks] == claims


def test_a_rating_with_only_a_name_is_read_as_that_label() -> None:
    checks = read_file(FIXTURES / "array.jsonld").checks
    assert checks[1].rating == "Pants on fire"
    assert checks[1].rating_value is None


def test_each_broken_item_is_reported_with_its_reason_and_none_is_half_read() -> None:
    report = read_file(FIXTURES / "broken.json")
    assert report.checks == []
    assert len(report.errors) == 3
    assert "has no http(s) url" in report.errors[0]
    assert "has no reviewRating" in report.errors[1]
    assert "has no claimReviewed" in report.errors[2]


def test_a_folder_is_read_whole_and_the_same_review_twice_is_one_check(tmp_path: Path) -> None:
    for path in FIXTURES.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "copy.json").write_bytes((FIXTURES / "single.json").read_bytes())
    report = read_paths([tmp_path])
    assert len(report.checks) == 5
    assert len({c.id for c in report.checks}) == 5
    assert len(report.errors) == 3  # broken.json's three items


@pytest.mark.parametrize(
    ("content", "error"),
    [("{not json", "not JSON"), ('{"@type": "WebPage"}', "no ClaimReview found")],
)
def test_a_file_that_is_not_claim_review_markup_is_an_error_line(
    tmp_path: Path, content: str, error: str
) -> None:
    path = tmp_path / "x.json"
    path.write_text(content)
    report = read_file(path)
    assert report.checks == [] and len(report.errors) == 1 and error in report.errors[0]


def test_a_page_without_markup_says_so() -> None:
    report = read_html("<html><body><p>Nothing here.</p></body></html>", "page")
    assert report.errors == ["page: no ClaimReview found"]


def test_the_id_depends_on_the_url_only() -> None:
    assert external_check_id("https://a.example/x") == external_check_id(" https://a.example/x ")
    assert external_check_id("https://a.example/x") != external_check_id("https://a.example/y")


json_values: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "@type",
                    "@graph",
                    "url",
                    "claimReviewed",
                    "reviewRating",
                    "author",
                    "name",
                    "alternateName",
                    "ratingValue",
                    "datePublished",
                    "itemReviewed",
                    "x",
                ]
            ),
            children,
            max_size=6,
        )
    ),
    max_leaves=30,
)


@given(json_values)
def test_any_json_reads_to_checks_or_error_lines_and_never_raises(data: Any) -> None:
    report = read_markup(data, "input")
    assert report.checks or report.errors
    for check in report.checks:
        assert check.url.startswith(("http://", "https://")) and check.claim_reviewed
        json.dumps(check.model_dump(mode="json"))
