"""The public fact-check page in a real headless Chromium, as a reader and an audit see it:
axe-core (the accessibility engine audits use) finds no violation on the page or on the
index, and extruct (what crawlers use) finds exactly one ClaimReview whose url is the page."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import extruct
import pytest
import requests

from .conftest import RunningStack, start_stack

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # as root Chromium needs it; the pages are our own
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTICLE = (
    "Russia now fires two to three times as much ammunition per year as all of NATO combined. "
    "Its army has a 3-1 manpower advantage on the front, according to the defence ministry. "
    "Sanctions are unlikely to change Putin's calculus, officials said on Monday."
)


@pytest.fixture(scope="module")
def published_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningStack, str]]:
    """A stack with one claim worked to published through the API: (stack, claim id)."""
    stack = start_stack(tmp_path_factory.mktemp("public-page"))
    try:
        yield stack, _publish_one(stack)
    finally:
        stack.stop()


def _publish_one(stack: RunningStack) -> str:
    submitter, reviewer, editor = (stack.headers(r) for r in ("submitter", "reviewer", "editor"))
    body = {"text": ARTICLE, "title": "The war economy", "url": "https://news.example.com/a"}
    created = requests.post(f"{stack.api}/documents", json=body, headers=submitter, timeout=10)
    assert created.status_code in (200, 201), created.text
    doc_id = created.json()["id"]
    deadline = time.monotonic() + 120
    claims: list[dict[str, Any]] = []
    while time.monotonic() < deadline and not claims:
        doc = requests.get(f"{stack.api}/documents/{doc_id}", headers=reviewer, timeout=10).json()
        if doc["status"] == "extracted":
            listed = requests.get(
                f"{stack.api}/documents/{doc_id}/claims", headers=reviewer, timeout=10
            ).json()["items"]
            claims = listed if len(listed) >= (doc.get("claim_count") or 1) else []
        time.sleep(0.3)
    assert claims, f"waited 120 s for document {doc_id} to be extracted with its claims"
    claim = f"{stack.api}/claims/{claims[0]['id']}"
    source = {"url": "https://stats.example.org/shells", "title": "Shell output 2024"}
    verdict = {"rating": "Mostly false", "summary": "NATO's combined output is higher."}
    for url, payload, who in (
        (f"{claim}/lease", None, reviewer),
        (f"{claim}/sources", source, reviewer),
        (f"{claim}/verdict", verdict, reviewer),
        (f"{claim}/approve", None, editor),
    ):
        response = requests.post(url, json=payload, headers=who, timeout=10)
        assert response.ok, f"{url}: {response.status_code} {response.text}"
    return str(claims[0]["id"])


@pytest.fixture(scope="module")
def page(published_stack: tuple[RunningStack, str]) -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: run `bash infra/install_chromium.sh`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context()
        yield context.new_page()
        browser.close()


def _violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in results.response["violations"]
    ]


def test_the_public_page_has_no_accessibility_violations_and_one_claim_review(
    published_stack: tuple[RunningStack, str], page: Any
) -> None:
    stack, claim_id = published_stack
    url = f"{stack.api}/fact-checks/{claim_id}"
    page.goto(url)
    assert page.locator("h1").inner_text()
    assert "Mostly false" in page.locator(".verdict").inner_text()
    assert _violations(page) == []
    found = extruct.extract(page.content(), base_url=url, syntaxes=["json-ld"], uniform=True)
    reviews = [item for item in found["json-ld"] if item.get("@type") == "ClaimReview"]
    assert len(reviews) == 1
    assert reviews[0]["url"] == url  # the stack's public base URL is its own address


def test_the_index_of_fact_checks_has_no_accessibility_violations(
    published_stack: tuple[RunningStack, str], page: Any
) -> None:
    stack, claim_id = published_stack
    page.goto(f"{stack.api}/fact-checks")
    link = page.locator(f'a[href$="/fact-checks/{claim_id}"]')
    assert link.count() == 1
    assert _violations(page) == []
    link.click()
    assert page.url.endswith(f"/fact-checks/{claim_id}")


def test_a_browser_following_the_claim_review_link_lands_on_the_page(
    published_stack: tuple[RunningStack, str], page: Any
) -> None:
    stack, claim_id = published_stack
    page.goto(f"{stack.api}/claim-reviews/{claim_id}")
    assert page.locator("h1").count() == 1
    assert "Mostly false" in page.locator(".verdict").inner_text()
