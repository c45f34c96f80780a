"""Public fact-check pages: the page a reader and a crawler land on shows the claim, the
verdict, the summary, the sources and who checked it, embeds exactly one ClaimReview whose
`url` is the page itself (found by extruct, the crawlers' extractor), and shows nothing that
is not published."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import extruct
import pytest
from flask.testing import FlaskClient

from factcheck.domain.models import Claim, Source, Verdict
from factcheck.settings import Settings
from factcheck.storage.dynamo import DynamoRepository

pytestmark = pytest.mark.unit

BASE = "https://checks.example.org"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture
def settings(mock_settings: Settings) -> Settings:
    return mock_settings.model_copy(update={"public_base_url": BASE})


def _review(repo: DynamoRepository, claim: Claim, summary: str, **verdict: Any) -> None:
    repo.lease(claim.id, "rita-reviewer")
    repo.add_source(
        claim.id,
        "rita-reviewer",
        Source(
            id="s1",
            url="https://stats.example.org/ammunition-2024",
            title="Ammunition output, 2024",
            note="NATO members produced 1.3 million shells in 2024.",
            added_by="rita-reviewer",
        ),
    )
    repo.give_verdict(
        claim.id,
        "rita-reviewer",
        Verdict(rating="Mostly false", summary=summary, reviewer="rita-reviewer", **verdict),
    )


@pytest.fixture
def published(repo: DynamoRepository, seed_claims: Callable[..., list[Claim]]) -> Claim:
    """A claim reviewed by rita-reviewer, approved by eve-editor, from a known article."""
    claim = seed_claims(
        n=1,
        title="Russia's war economy",
        url="https://news.example.com/war-economy",
        author="Jane Doe",
        published_at=datetime(2026, 11, 2, 9, 30, tzinfo=UTC),
    )[0]
    _review(repo, claim, "NATO's combined output is higher.")
    repo.approve(claim.id, "eve-editor")
    return repo.get_claim(claim.id)


def _page(client: FlaskClient, path: str, **headers: str) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def _claim_reviews(html: str, url: str) -> list[dict[str, Any]]:
    data = extruct.extract(html, base_url=url, syntaxes=["json-ld"], uniform=True)
    return [item for item in data["json-ld"] if item.get("@type") == "ClaimReview"]


def test_the_page_shows_the_claim_verdict_sources_and_who_checked_it(
    client: FlaskClient, published: Claim
) -> None:
    html = _page(client, f"/fact-checks/{published.id}")
    for shown in (
        published.text,
        "Mostly false",
        "NATO&#39;s combined output is higher.",
        "https://stats.example.org/ammunition-2024",
        "NATO members produced 1.3 million shells in 2024.",
        "rita-reviewer",
        "eve-editor",
        "Russia&#39;s war economy",
        "https://news.example.com/war-economy",
        "Jane Doe",
        "2 November 2026",
    ):
        assert shown in html, shown


def test_extruct_finds_exactly_one_claim_review_whose_url_is_the_page(
    client: FlaskClient, published: Claim
) -> None:
    url = f"{BASE}/fact-checks/{published.id}"
    reviews = _claim_reviews(_page(client, f"/fact-checks/{published.id}"), url)
    assert len(reviews) == 1
    review = reviews[0]
    assert review["url"] == url
    assert review["reviewRating"]["name"] == "Mostly false"
    assert review["reviewRating"]["alternateName"] == "Mostly false"
    assert review["itemReviewed"]["appearance"][0]["url"] == "https://news.example.com/war-economy"


def test_a_browser_asking_for_the_claim_review_gets_the_page_and_a_client_gets_json_ld(
    client: FlaskClient, published: Claim
) -> None:
    path = f"/claim-reviews/{published.id}"
    html = _page(client, path, Accept=BROWSER_ACCEPT)
    assert len(_claim_reviews(html, BASE + path)) == 1
    for accept in (None, "application/ld+json", "application/json", "*/*"):
        response = client.get(path, headers={"Accept": accept} if accept else {})
        assert response.status_code == 200
        assert response.mimetype == "application/ld+json"
        assert response.headers["Vary"] == "Accept"
        assert (
            response.json is not None
            and response.json["url"] == f"{BASE}/fact-checks/{published.id}"
        )


def test_a_claim_whose_text_holds_markup_cannot_break_out_of_the_page(
    client: FlaskClient, repo: DynamoRepository, seed_claims: Callable[..., list[Claim]]
) -> None:
    claim = seed_claims(n=1)[0]
    hostile = '</script><script>alert(1)</script><img src=x onerror="alert(2)">'
    _review(repo, claim, hostile, claim_reviewed="Shell output </script> claim")
    repo.approve(claim.id, "eve-editor")
    html = _page(client, f"/fact-checks/{claim.id}")
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    reviews = _claim_reviews(html, f"{BASE}/fact-checks/{claim.id}")
    assert [r["reviewBody"] for r in reviews] == [hostile]


@pytest.mark.parametrize("stage", ["queued", "in_review", "reviewed"])
def test_an_unpublished_claim_has_no_public_page(
    client: FlaskClient,
    repo: DynamoRepository,
    seed_claims: Callable[..., list[Claim]],
    stage: str,
) -> None:
    claim = seed_claims(n=1)[0]
    if stage != "queued":
        repo.lease(claim.id, "rita-reviewer")
    if stage == "reviewed":
        _review(repo, claim, "Secret draft summary.")
    response = client.get(f"/fact-checks/{claim.id}")
    assert response.status_code == 404
    assert response.json is not None and response.json["code"] == "not_found"
    assert "Secret draft" not in response.get_data(as_text=True)


def test_the_page_loads_nothing_from_elsewhere_and_runs_no_script(
    client: FlaskClient, published: Claim
) -> None:
    response = client.get(f"/fact-checks/{published.id}")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "script-src" not in policy  # default-src 'none': no script runs; JSON-LD is data
    css = client.get("/fact-checks/assets/page.css")
    assert css.status_code == 200 and css.mimetype == "text/css"


def test_the_index_lists_published_checks_newest_first_a_page_at_a_time(
    client: FlaskClient,
    repo: DynamoRepository,
    seed_claims: Callable[..., list[Claim]],
    published: Claim,
) -> None:
    from factcheck.api import fact_checks

    later = []
    for n in range(fact_checks.INDEX_PAGE_SIZE):
        claim = seed_claims(n=1)[0]
        _review(repo, claim, f"Summary {n}.", claim_reviewed=f"Later claim number {n}")
        repo.approve(claim.id, "eve-editor")
        later.append(claim)
    first = _page(client, "/fact-checks")
    assert f"/fact-checks/{later[-1].id}" in first
    assert f"/fact-checks/{published.id}" not in first  # the oldest is on the next page
    older = first.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0]
    second = _page(client, older.replace("&amp;", "&"))
    assert f"/fact-checks/{published.id}" in second
    assert f"/fact-checks/{later[-1].id}" not in second
