"""Published ClaimReview JSON-LD: valid against tests/schemas/claimreview.schema.json (written
from schema.org and the search engines' requirements), expandable by pyld offline, with a
short neutral claimReviewed and the documented rating mapping."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from pyld import jsonld

from factcheck.domain.models import Verdict
from factcheck.domain.rating import RatingScale
from factcheck.publishing import CLAIM_REVIEWED_MAX, rating, shorten_claim
from factcheck.publishing.claimreview import neutrality_problem
from factcheck.settings import DEFAULT_RATING_SCALE
from unit.conftest import share_per_module

if TYPE_CHECKING:
    from tests.unit.api.conftest import World

pytestmark = pytest.mark.unit

# One table, app and set of users for the whole module (each test seeds its own documents):
# the chain of tests/unit/conftest.py overridden at module scope.
aws, mock_settings, settings, repo, app, tokens = share_per_module()

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
VALIDATOR = Draft202012Validator(
    json.loads((SCHEMAS / "claimreview.schema.json").read_text()),
    format_checker=Draft202012Validator.FORMAT_CHECKER,
)
SCHEMA_ORG_CONTEXT = json.loads((SCHEMAS / "schemaorg-context.jsonld").read_text())
SCHEMA_ORG = "https://schema.org/"
DOCS = Path(__file__).resolve().parents[3] / "docs" / "claimreview.md"


def offline_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """pyld document loader that serves the schema.org context stub and nothing else."""
    if url.rstrip("/") not in ("https://schema.org", "http://schema.org"):
        raise RuntimeError(f"no network in tests: refused to load {url}")
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": SCHEMA_ORG_CONTEXT,
    }


def assert_valid_claim_review(review: dict[str, Any]) -> None:
    errors = sorted(VALIDATOR.iter_errors(review), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    r = review["reviewRating"]
    if "ratingValue" in r:
        assert r["worstRating"] <= r["ratingValue"] <= r["bestRating"]
        assert r["bestRating"] > r["worstRating"]


def publish(
    world: World,
    *,
    rating_label: str = "Mostly false",
    claim_reviewed: str | None = None,
    **document: Any,
) -> str:
    claim = world.seed(n=1, **document)[0]
    world.repo.lease(claim.id, "rita-reviewer")
    world.repo.give_verdict(
        claim.id,
        "rita-reviewer",
        Verdict(
            rating=rating_label,
            summary="NATO's combined output is higher.",
            claim_reviewed=claim_reviewed,
            reviewer="rita-reviewer",
        ),
    )
    world.repo.approve(claim.id, "eve-editor")
    return claim.id


@pytest.fixture
def client(world: World) -> FlaskClient:
    return world.app.test_client()


FULL_DOCUMENT = {
    "title": "The West's strategy",
    "url": "https://example.com/op-ed",
    "author": "A. Columnist",
    "published_at": "2024-02-20T08:00:00+00:00",
}


@pytest.mark.parametrize(
    ("document", "label", "claim_reviewed"),
    [
        (FULL_DOCUMENT, "Mostly false", None),
        ({}, "True", None),
        ({"url": "https://example.com/b"}, "Unverifiable", None),
        (FULL_DOCUMENT, "False", "Russia fires 2-3x NATO's ammunition"),
    ],
    ids=["full metadata", "bare document", "off-scale verdict", "reviewer's wording"],
)
def test_a_published_claim_review_validates_against_the_schema_and_expands_offline(
    document: dict[str, Any],
    label: str,
    claim_reviewed: str | None,
    client: FlaskClient,
    world: World,
) -> None:
    # GIVEN a published verdict
    claim_id = publish(world, rating_label=label, claim_reviewed=claim_reviewed, **document)
    # WHEN its ClaimReview is fetched without a token
    response = client.get(f"/claim-reviews/{claim_id}")
    assert response.status_code == 200
    assert response.mimetype == "application/ld+json"
    review = json.loads(response.get_data(as_text=True))
    # THEN it is valid ClaimReview markup
    assert_valid_claim_review(review)
    assert review["reviewRating"]["alternateName"] == label
    if claim_reviewed:
        assert review["claimReviewed"] == claim_reviewed
    if document.get("url"):
        assert review["itemReviewed"]["appearance"][0]["url"] == document["url"]
    if document.get("author"):
        assert review["itemReviewed"]["author"]["name"] == document["author"]
    # AND a JSON-LD processor expands it (offline) into schema.org terms
    expanded = jsonld.expand(review, {"documentLoader": offline_loader})
    node = expanded[0]
    assert node["@type"] == [SCHEMA_ORG + "ClaimReview"]
    assert node[SCHEMA_ORG + "claimReviewed"][0]["@value"] == review["claimReviewed"]
    rating_node = node[SCHEMA_ORG + "reviewRating"][0]
    assert rating_node[SCHEMA_ORG + "alternateName"][0]["@value"] == label
    assert node[SCHEMA_ORG + "url"][0]["@id"] == review["url"]


def test_the_public_feed_lists_published_reviews_only_newest_first_and_pages_with_a_link(
    client: FlaskClient, world: World
) -> None:
    # GIVEN three published claims and one that is not
    published = [publish(world, **FULL_DOCUMENT) for _ in range(3)]
    unpublished = world.seed(n=1)[0].id
    # WHEN the feed is read two at a time
    seen: list[str] = []
    url: str | None = "/claim-reviews?limit=2"
    while url:
        response = client.get(url)
        assert response.status_code == 200 and response.mimetype == "application/ld+json"
        feed = json.loads(response.get_data(as_text=True))
        assert feed["@type"] == "DataFeed"
        for element in feed["dataFeedElement"]:
            assert_valid_claim_review({"@context": feed["@context"], **element})
            seen.append(element["@id"].rsplit("/", 1)[1])
        jsonld.expand(feed, {"documentLoader": offline_loader})
        link = response.headers.get("Link")
        url = link[link.index("/claim-reviews") : link.index(">")] if link else None
    # THEN every published claim is there, newest first, and the unpublished one is not
    assert unpublished not in seen
    assert seen[: len(published)] == list(reversed(published))


def test_claim_reviewed_defaults_to_the_claim_shortened_at_a_word_boundary() -> None:
    sentence = (
        "Russia is producing two to three times as much ammunition per year as all of "
        "NATO combined, according to estimates."
    )
    short = shorten_claim(sentence)
    assert len(short) <= CLAIM_REVIEWED_MAX < 75
    assert short.endswith("…")
    assert sentence.startswith(short[:-1])
    assert sentence[len(short) - 1] == " "  # cut where a word ended
    assert shorten_claim("Exports grew 40% in 2023.") == "Exports grew 40% in 2023."
    assert len(shorten_claim("x" * 300)) == CLAIM_REVIEWED_MAX


@pytest.mark.parametrize(
    ("statement", "neutral"),
    [
        ("Russia fires 2-3 times NATO's ammunition", True),
        ("False: Russia fires 2-3 times NATO's ammunition", False),
        ("Mostly true that exports grew", False),
        ("Hoax about vaccines spreads", False),
        ("Sanctions change Putin's calculus", True),
    ],
)
def test_a_claim_reviewed_that_carries_a_verdict_is_not_neutral(
    statement: str, neutral: bool
) -> None:
    scale = RatingScale(DEFAULT_RATING_SCALE)
    assert (neutrality_problem(statement, scale) is None) is neutral


@pytest.mark.parametrize("level", DEFAULT_RATING_SCALE, ids=lambda level: level.label)
def test_each_rating_maps_to_the_documented_numeric_value(level: Any) -> None:
    scale = RatingScale(DEFAULT_RATING_SCALE)
    out = rating(level.label.upper(), scale)
    assert out["alternateName"] == level.label
    if level.value is None:
        assert "ratingValue" not in out and "bestRating" not in out
    else:
        assert (out["ratingValue"], out["worstRating"], out["bestRating"]) == (level.value, 1, 5)
    # the mapping table in docs/claimreview.md says the same
    value = "—" if level.value is None else str(level.value)
    assert f"| {level.label} | {value} |" in DOCS.read_text(encoding="utf-8")
