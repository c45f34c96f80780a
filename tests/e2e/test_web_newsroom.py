"""The newsroom features of the review page in a real headless Chromium, real local stack.

"Checked before" on a claim that a second article repeats (and marking it a duplicate),
assignment and "my queue", word search and the editor's exports. The fixtures (one
seeded stack and one browser for this module, a tab per person, screenshots of each step
written to tests/e2e/artifacts/<test>/ on failure) are the ones of test_web_review.py.
The slow set-up (a claim worked to published) goes through the HTTP API; what the page
shows and does is checked in the browser.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import requests

from . import test_web_review as web
from .conftest import RunningStack

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

# The same fixtures, with their own module-scoped instances here (a fresh seeded stack).
chromium = web.chromium
browser = web.browser
web_stack = web.web_stack
second_reviewer = web.second_reviewer
steps = web.steps
sign_in = web.sign_in

# A second article: the seed's top claim in other words, and another seed sentence inside
# a longer one, each in surrounding text of its own.
SECOND_ARTICLE = (
    "Analysts in Kyiv are worried about the coming winter. Each year Russia fires 2 to 3 "
    "times more ammunition than the whole of NATO combined, and it has a three-to-one "
    "manpower advantage over Ukraine. Officials said new air defence systems would arrive "
    "in the spring. Diplomats in Brussels hope that a meeting between Trump and Putin could "
    "mark a breakthrough in long-stalled efforts to resolve the war in Ukraine."
)


def _get(stack: RunningStack, path: str, role: str = "reviewer", **params: Any) -> Any:
    response = requests.get(
        f"{stack.api}{path}", headers=stack.headers(role), params=params, timeout=10
    )
    response.raise_for_status()
    return response.json()


def _post(stack: RunningStack, path: str, role: str, body: Any = None) -> Any:
    response = requests.post(
        f"{stack.api}{path}", headers=stack.headers(role), json=body, timeout=10
    )
    assert response.ok, (path, response.status_code, response.text)
    return response.json()


def _wait(what: str, probe: Any, timeout: float = 30) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if found:
            return found
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        time.sleep(0.2)


def _seed_claim(stack: RunningStack, word: str) -> dict[str, Any]:
    """The seed article's queued claim containing `word` (once the seed is all stored)."""

    def probe() -> dict[str, Any] | None:
        items = _get(stack, "/claims", limit=50)["items"]
        return next((c for c in items if word in c["text"]), None)

    return dict(_wait(f"no queued seed claim with {word!r}", probe))


def _publish(stack: RunningStack, claim_id: str) -> None:
    """Reviewer leases, adds a source, gives a verdict; editor approves (over HTTP)."""
    path = f"/claims/{claim_id}"
    _post(stack, f"{path}/lease", "reviewer")
    _post(stack, f"{path}/sources", "reviewer", {"url": "https://example.org/ammunition"})
    verdict = {"rating": "Mostly true", "summary": "Broadly supported by production figures."}
    _post(stack, f"{path}/verdict", "reviewer", verdict)
    _post(stack, f"{path}/approve", "editor")


def _submit_and_wait(stack: RunningStack, text: str) -> list[dict[str, Any]]:
    """Submit an article as the submitter; its claims once every one of them is stored."""
    doc = _post(
        stack,
        "/documents",
        "submitter",
        {"title": "Second article", "text": text, "url": "https://example.org/second"},
    )

    def probe() -> list[dict[str, Any]] | None:
        current = _get(stack, f"/documents/{doc['id']}")
        if current["status"] == "failed":
            raise AssertionError(f"the second article failed: {current}")
        if current["status"] != "extracted":
            return None
        claims = _get(stack, f"/documents/{doc['id']}/claims")["items"]
        return claims if len(claims) >= (current["claim_count"] or 0) else None

    return list(_wait("the second article's claims were not stored", probe))


# -- tests ------------------------------------------------------------------------------


def test_a_repeated_claim_shows_checked_before_and_is_marked_a_duplicate(
    steps: web.Steps, web_stack: RunningStack
) -> None:
    from playwright.sync_api import expect

    # GIVEN the seed's ammunition claim worked to published (API), and an unpublished one
    original = _seed_claim(web_stack, "ammunition")
    other = _seed_claim(web_stack, "breakthrough")
    _publish(web_stack, original["id"])
    published = _get(web_stack, f"/claims/{original['id']}")
    assert published["status"] == "published"

    # WHEN a second article repeats both, in other words / other surrounding text
    claims = _submit_and_wait(web_stack, SECOND_ARTICLE)
    repeat = next(c for c in claims if "ammunition" in c["text"])
    other_repeat = next(c for c in claims if "breakthrough" in c["text"])
    assert repeat["status"] == "queued"
    assert [m["claim_id"] for m in repeat["matches"]] == [original["id"]]

    # AND a reviewer opens the repeated claim in the browser (a deep link, then sign in)
    reviewer = steps.open("reviewer")
    page = reviewer.page
    page.goto(f"/#/claim/{repeat['id']}")
    page.get_by_label("API token").fill(web_stack.info["tokens"]["reviewer"])
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#claim-sentence")).to_have_text(repeat["text"])

    # THEN the page offers what the API allows (marking it a duplicate among it)
    offered = web.expect_offers_exactly_what_the_api_allows(
        reviewer, web_stack, repeat["id"], web_stack.info["tokens"]["reviewer"]
    )
    assert "mark_duplicate" in offered
    # AND it says it was checked before: the earlier claim, its verdict, its ClaimReview
    card = page.locator("#checked-before-card")
    expect(card).to_be_visible()
    expect(card.get_by_role("heading", name="Checked before")).to_be_visible()
    item = card.locator(f'li[data-claim-id="{original["id"]}"]')
    expect(item.get_by_role("link", name=original["text"])).to_have_attribute(
        "href", f"#/claim/{original['id']}"
    )
    expect(item.locator(".badge.rating")).to_have_text("Mostly true")
    expect(item).to_contain_text("Broadly supported by production figures.")
    review_link = item.get_by_role("link", name="ClaimReview JSON-LD")
    expect(review_link).to_have_attribute("href", f"{web_stack.api}/claim-reviews/{original['id']}")
    review = requests.get(str(review_link.get_attribute("href")), timeout=5)
    assert review.status_code == 200
    assert review.json()["reviewRating"]["alternateName"] == "Mostly true"
    # AND it is not offered as a "similar" claim too (that list is for unpublished ones)
    expect(page.locator("#matches-card")).to_be_hidden()
    steps.shot(reviewer, "checked-before")

    # WHEN they mark it as a duplicate of the published claim, by keyboard
    button = item.get_by_role("button", name="Mark as duplicate of this")
    button.focus()
    page.keyboard.press("Enter")

    # THEN it is dismissed as a duplicate, linked to the original
    expect(page.locator("#claim-status")).to_have_text("Dismissed")
    expect(page.locator("#claim-note")).to_contain_text("Dismissed: duplicate")
    duplicate = page.locator("#claim-duplicate")
    expect(duplicate.get_by_role("link")).to_have_attribute("href", f"#/claim/{original['id']}")
    expect(item).to_contain_text("This claim is marked as a duplicate of it.")
    expect(item.get_by_role("button", name="Mark as duplicate of this")).to_have_count(0)
    expect(page.locator("#notice")).to_contain_text("Marked as a duplicate")
    expect(page.locator("#claim-history")).to_contain_text("dismissed")
    steps.shot(reviewer, "duplicate")
    stored = _get(web_stack, f"/claims/{repeat['id']}")
    assert (stored["status"], stored["duplicate_of"]) == ("dismissed", original["id"])

    # WHEN they open the other repeated claim, whose earlier twin is not published
    page.goto(f"/#/claim/{other_repeat['id']}")
    # THEN nothing was "checked before", and the earlier claim is listed as similar, by text
    expect(page.locator("#claim-sentence")).to_have_text(other_repeat["text"])
    expect(page.locator("#checked-before-card")).to_be_hidden()
    similar = page.locator(f'#claim-matches li[data-claim-id="{other["id"]}"]')
    expect(similar.get_by_role("link", name=other["text"])).to_be_visible()
    expect(similar).to_contain_text("Queued")
    steps.shot(reviewer, "similar")
    # AND its link opens the earlier claim
    similar.get_by_role("link", name=other["text"]).click()
    expect(page.locator("#claim-sentence")).to_have_text(other["text"])


def test_assign_my_queue_search_and_exports(
    steps: web.Steps, web_stack: RunningStack, second_reviewer: tuple[str, str]
) -> None:
    from playwright.sync_api import expect

    name_two, token_two = second_reviewer
    target = _seed_claim(web_stack, "sparring")
    tokens = web_stack.info["tokens"]

    # GIVEN an editor on the queue page: they find the claim by words
    editor = steps.open("editor")
    page = editor.page
    sign_in(steps, editor, tokens["editor"], "editor")
    page.get_by_label("Search claims by words").fill("the")
    page.get_by_role("button", name="Search", exact=True).click()
    # (a query with no searchable words: the API's message is next to the field)
    error = page.locator("#search-q-error")
    expect(error).to_have_text("The query has no searchable words.")
    expect(page.get_by_label("Search claims by words")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Search claims by words").fill("sparring Alaska")
    page.keyboard.press("Enter")
    expect(error).to_be_hidden()
    expect(page.locator("#queue-mode")).to_contain_text("Search results for")
    rows = page.locator("#queue-rows tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-claim-id", target["id"])
    steps.shot(editor, "search")

    # WHEN they open it and assign it, first to a name nobody has, then to a reviewer
    rows.first.get_by_role("link").click()
    expect(page.locator("#claim-assignee")).to_have_text("Not assigned: any reviewer may take it.")
    field = page.get_by_label("Assign to")
    field.fill("nobody-here")
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.locator("#assign-reviewer-error")).to_contain_text("No user is called")
    expect(field).to_have_attribute("aria-invalid", "true")
    field.fill(name_two)
    page.get_by_role("button", name="Assign", exact=True).click()
    # THEN the claim view says who has it, and the history logs it
    expect(page.locator("#claim-assignee")).to_contain_text(f"Assigned to {name_two}")
    expect(page.locator("#claim-history")).to_contain_text("assigned")
    steps.shot(editor, "assigned")

    # AND the queue row shows the assignee and the article the claim comes from
    page.get_by_role("link", name="Back to the queue").click()
    row = page.locator(f'#queue-rows tr[data-claim-id="{target["id"]}"]')
    expect(row.locator("td.assignee")).to_have_text(name_two)
    expect(row.locator("td.article")).to_have_text(web.SEED_TITLE)
    # ("my queue" is for reviewers: an editor assigns, they are not offered it)
    expect(page.get_by_label("Only assigned to me")).to_be_hidden()

    # WHEN the editor downloads the CSV export
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download CSV").click()
    download = download_info.value
    # THEN it is the API's CSV, fetched with the header and saved from a blob: URL
    assert download.url.startswith("blob:"), download.url
    assert tokens["editor"] not in download.url
    assert download.suggested_filename.endswith(".csv")
    csv_text = Path(download.path()).read_text(encoding="utf-8")
    assert csv_text.startswith("id,document_id,status")
    assert f"{target['id']}," in csv_text and name_two in csv_text
    expect(page.locator("#notice")).to_contain_text("Export saved")
    with page.expect_download() as download_info:
        page.get_by_label("Claims to export").select_option("queued")
        page.get_by_role("button", name="Download JSON Lines").click()
    lines = Path(download_info.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines and all('"status": "queued"' in line for line in lines)
    steps.shot(editor, "exported")

    # WHEN the assigned reviewer, on a narrow screen, shows only their claims
    other = steps.open("reviewer-two", width=390, height=844)
    sign_in(steps, other, token_two, "reviewer")
    expect(other.page.locator("#export-card")).to_be_hidden()  # exports are the editor's
    other.page.get_by_label("Only assigned to me").check()
    # THEN "my queue" has the claim, assigned to them
    expect(other.page.locator("#queue-title")).to_have_text("My queue")
    mine = other.page.locator("#queue-rows tr")
    expect(mine).to_have_count(1)
    expect(mine.first).to_have_attribute("data-claim-id", target["id"])
    expect(mine.first.locator("td.assignee")).to_have_text("you")
    expect(other.page.get_by_label("Status")).to_be_disabled()
    width = other.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the narrow page scrolls sideways: {width}"
    steps.shot(other, "my-queue")
    # AND they may lease it, while the other reviewer may not
    mine.first.get_by_role("link").click()
    expect(other.page.locator("#claim-assignee")).to_have_text("Assigned to you.")
    other.page.get_by_role("button", name="Lease this claim").click()
    expect(other.page.locator("#lease-text")).to_contain_text("Leased by you until")

    # AND the first reviewer's "my queue" is empty
    reviewer = steps.open("reviewer")
    sign_in(steps, reviewer, tokens["reviewer"], "reviewer")
    reviewer.page.get_by_label("Only assigned to me").check()
    expect(reviewer.page.locator("#queue-empty")).to_have_text("No claims are assigned to you.")


OUTSIDE_ARTICLE = (
    "The debate in Washington goes on. Russia fires two to three times as much ammunition "
    "per year as all of NATO combined, one senator argued on Tuesday, and the gap is growing."
)
CLAIMREVIEWS = Path(__file__).resolve().parents[1] / "data" / "claimreviews" / "array.jsonld"


def test_an_imported_outside_check_shows_as_checked_before_by_its_publisher(
    steps: web.Steps, web_stack: RunningStack
) -> None:
    from playwright.sync_api import expect

    # GIVEN another publisher's ClaimReviews imported by an admin
    markup = CLAIMREVIEWS.read_text(encoding="utf-8")
    imported = requests.post(
        f"{web_stack.api}/claim-reviews/import",
        data=markup,
        headers={**web_stack.headers("admin"), "Content-Type": "application/ld+json"},
        timeout=10,
    )
    assert imported.status_code == 200, imported.text
    assert imported.json()["imported"] == 2

    # WHEN an article repeating one of their claims comes in
    claims = _submit_and_wait(web_stack, OUTSIDE_ARTICLE)
    repeat = next(c for c in claims if "ammunition" in c["text"])
    detail = _get(web_stack, f"/claims/{repeat['id']}")
    (outside,) = [b for b in detail["checked_before"] if b["external"]]
    assert outside["publisher"] == "Example Fact Check Desk"

    # THEN the reviewer's page says who checked it before, their rating, and links their page
    reviewer = steps.open("reviewer")
    page = reviewer.page
    page.goto(f"/#/claim/{repeat['id']}")
    page.get_by_label("API token").fill(web_stack.info["tokens"]["reviewer"])
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#claim-sentence")).to_have_text(repeat["text"])
    item = page.locator(f'#checked-before-card li[data-claim-id="{outside["claim_id"]}"]')
    expect(item).to_contain_text("Checked before by Example Fact Check Desk")
    expect(item.locator(".badge.rating")).to_have_text("Mostly false")
    link = item.get_by_role("link", name="Fact check by Example Fact Check Desk")
    expect(link).to_have_attribute("href", outside["url"])
    expect(item.get_by_role("button", name="Mark as duplicate of this")).to_have_count(0)
    steps.shot(reviewer, "outside-check")
