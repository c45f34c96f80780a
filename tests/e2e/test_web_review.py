"""The review page in a real headless Chromium against the real local stack (seeded).

One stack and one browser serve the whole module; each test opens its own browser
contexts (one per person), so sessionStorage, and so the signed-in token, is per person.
Every step is screenshotted in memory; when a test fails the pictures are written to
tests/e2e/artifacts/<test>/ (git-ignored), with a last picture of every open page.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from .conftest import REPO_ROOT, RunningStack, start_stack, wait_for_seeds_extracted

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
ARTIFACTS = Path(__file__).parent / "artifacts"
TIMEOUT_MS = 10_000


# -- fixtures ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium() -> Path:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: run `bash infra/install_chromium.sh`"
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI is set, so the browser tests must run)")
        pytest.skip(reason)
    return CHROMIUM


@pytest.fixture(scope="module")
def browser(chromium: Path) -> Iterator[Any]:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="module")
def web_stack(tmp_path_factory: pytest.TempPathFactory, chromium: Path) -> Iterator[RunningStack]:
    """The real local stack, seeded with seeds/, once every seed document is extracted (all
    its claims stored): a test that reads the queue first must see what the page will show."""
    running = start_stack(tmp_path_factory.mktemp("web") / "home", seeds=REPO_ROOT / "seeds")
    try:
        wait_for_seeds_extracted(running)
        yield running
    finally:
        if running.process.poll() is None:
            running.stop()


@pytest.fixture(scope="module")
def second_reviewer(web_stack: RunningStack) -> tuple[str, str]:
    """Another reviewer, made in the stack's emulator as `factcheck users add` would."""
    from factcheck.api.auth import create_user
    from factcheck.domain.models import Role
    from factcheck.local.stack import TABLE_NAME
    from factcheck.settings import Settings
    from factcheck.storage.dynamo import DynamoRepository

    settings = Settings(
        endpoint_url=web_stack.info["endpoint_url"],
        table_name=TABLE_NAME,
        target="local",  # type: ignore[arg-type]
    )
    user, token = create_user(DynamoRepository(settings), "reviewer-two", Role.REVIEWER)
    return user.name, token


@dataclass
class Session:
    """One person's browser tab, with what went wrong in it."""

    name: str
    page: Any
    problems: list[str] = field(default_factory=list)


@dataclass
class Steps:
    """Opens a tab per person and keeps a screenshot of each step (in memory)."""

    browser: Any
    base_url: str
    sessions: list[Session] = field(default_factory=list)
    shots: list[tuple[str, bytes]] = field(default_factory=list)

    def open(self, name: str, width: int = 1100, height: int = 800) -> Session:
        context = self.browser.new_context(
            viewport={"width": width, "height": height}, base_url=self.base_url
        )
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        session = Session(name, page)

        def on_console(message: Any) -> None:
            # A 4xx the page asked for is logged by Chromium as "Failed to load resource";
            # the page shows those itself. Anything else (a CSP refusal, a script error) is
            # a problem.
            if message.type == "error" and not message.text.startswith("Failed to load"):
                session.problems.append(message.text)

        page.on("console", on_console)
        page.on("pageerror", lambda error: session.problems.append(str(error)))
        page.goto("/")
        self.sessions.append(session)
        return session

    def shot(self, session: Session, label: str) -> None:
        try:
            self.shots.append((f"{session.name}-{label}", session.page.screenshot(full_page=True)))
        except Exception as error:  # a screenshot must never be why a test fails
            self.shots.append((f"{session.name}-{label}-failed", str(error).encode()))

    def save(self, test_name: str) -> Path:
        folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", test_name)
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*"):
            old.unlink()
        for number, (label, data) in enumerate(self.shots, 1):
            suffix = "png" if data.startswith(b"\x89PNG") else "txt"
            (folder / f"{number:02d}-{label}.{suffix}").write_bytes(data)
        for session in self.sessions:
            with_problems = "\n".join(session.problems)
            try:
                session.page.screenshot(
                    path=str(folder / f"last-{session.name}.png"), full_page=True
                )
            except Exception as error:
                with_problems += f"\n(no last screenshot: {error})"
            if with_problems.strip():
                (folder / f"last-{session.name}-console.txt").write_text(with_problems)
        return folder

    def close(self) -> None:
        for session in self.sessions:
            session.page.context.close()


@pytest.fixture
def steps(request: pytest.FixtureRequest, browser: Any, web_stack: RunningStack) -> Iterator[Steps]:
    recorder = Steps(browser, web_stack.api + "/")
    try:
        yield recorder
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            folder = recorder.save(request.node.name)
            print(f"\nscreenshots of each step: {folder}")
        else:
            problems = [f"{s.name}: {p}" for s in recorder.sessions for p in s.problems]
            assert not problems, f"the page logged errors: {problems}"
    finally:
        recorder.close()


# -- helpers ----------------------------------------------------------------------------


def sign_in(steps: Steps, session: Session, token: str, role: str) -> None:
    from playwright.sync_api import expect

    page = session.page
    expect(page.locator("#view-signin")).to_be_visible()
    page.get_by_label("API token").fill(token)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#who-role")).to_have_text(role)
    expect(page.locator("#view-queue")).to_be_visible()
    steps.shot(session, f"signed-in-{role}")


SEED_TITLE = "For a Trump–Putin Summit, Small Victories Can Turn Into Big Wins"
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def expect_offers_exactly_what_the_api_allows(
    session: Session, stack: RunningStack, claim_id: str, token: str
) -> list[str]:
    """The claim view's visible controls are the claim's allowed_actions for this user
    (waits, up to the browser tests' timeout, for the page to show them). Marking as a
    duplicate needs an original: its buttons sit on the published earlier claims listed
    under "Checked before", so without one there is nothing to click."""
    response = requests.get(
        f"{stack.api}/claims/{claim_id}", headers={"Authorization": f"Bearer {token}"}, timeout=5
    )
    response.raise_for_status()
    claim = response.json()
    allowed = sorted(claim["allowed_actions"])
    originals = [
        b for b in claim.get("checked_before") or [] if b["claim_id"] != claim.get("duplicate_of")
    ]
    expected = [a for a in allowed if a != "mark_duplicate" or originals]
    controls = session.page.locator("#claim-body [data-action]:visible")
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while True:
        shown = sorted(set(controls.evaluate_all("nodes => nodes.map(n => n.dataset.action)")))
        if shown == expected:
            return allowed
        if time.monotonic() > deadline:
            raise AssertionError(
                f"waited for {session.name}'s page to offer exactly {expected} "
                f"(allowed: {allowed}); it offers {shown}"
            )
        time.sleep(0.1)


def api_refusal(
    stack: RunningStack, claim_id: str, suffix: str, body: dict[str, Any]
) -> tuple[str, dict[str, str]]:
    """What the API itself says (code, and each field's messages as the page joins them) to
    the reviewer's bad input; a 422 writes nothing, so asking it again changes no state."""
    response = requests.post(
        f"{stack.api}/claims/{claim_id}/{suffix}",
        headers=stack.headers("reviewer"),
        json=body,
        timeout=5,
    )
    assert response.status_code == 422, response.text
    envelope = response.json()

    def words(value: Any) -> list[str]:
        if isinstance(value, list):
            return [w for item in value for w in words(item)]
        if isinstance(value, dict):
            return [w for item in value.values() for w in words(item)]
        return [str(value)]

    return envelope["code"], {field: " ".join(words(v)) for field, v in envelope["errors"].items()}


# -- tests ------------------------------------------------------------------------------


def test_a_bad_token_gets_a_clear_message_and_no_session(
    steps: Steps, web_stack: RunningStack
) -> None:
    from playwright.sync_api import expect

    # GIVEN the page, signed out
    visitor = steps.open("visitor")
    page = visitor.page
    expect(page.locator("#view-signin")).to_be_visible()
    steps.shot(visitor, "sign-in")

    # WHEN someone signs in with a token the API does not know, by keyboard only
    expect(page.get_by_label("API token")).to_be_focused()
    page.keyboard.type("fct_" + "x" * 43)
    page.keyboard.press("Enter")

    # THEN the field says so in words, and nothing is kept
    error = page.locator("#signin-token-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("This token was not accepted")
    expect(error).to_contain_text("The bearer token is not valid.")
    expect(page.get_by_label("API token")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#who")).to_be_hidden()
    assert page.evaluate("sessionStorage.length") == 0
    assert "fct_" not in page.url
    steps.shot(visitor, "bad-token")

    # AND an empty token is refused before any request
    page.get_by_label("API token").fill("")
    page.get_by_role("button", name="Sign in").click()
    expect(error).to_have_text("Enter your API token.")

    # AND the published view is public: it works without signing in
    page.get_by_role("link", name="Published", exact=True).click()
    expect(page.locator("#view-published")).to_be_visible()
    expect(page.locator("#published-empty, #published-list li").first).to_be_visible()


def test_a_claim_goes_from_the_queue_to_published_in_the_browser(
    steps: Steps, web_stack: RunningStack, second_reviewer: tuple[str, str]
) -> None:
    from playwright.sync_api import expect

    tokens = web_stack.info["tokens"]
    queue = requests.get(
        f"{web_stack.api}/claims", headers=web_stack.headers("reviewer"), timeout=5
    ).json()["items"]
    first = queue[0]
    # The claim worked here: the highest-scored one with quantities (the seed's NATO
    # ammunition sentence has "2 to 3 times" and "three-to-one"), to see them marked.
    top = next((c for c in queue if c["quantities"]), None)
    assert top is not None, "no claim of the seed's first queue page has quantities"

    # GIVEN a reviewer signed in: the queue shows the claims, highest score first
    reviewer = steps.open("reviewer")
    page = reviewer.page
    sign_in(steps, reviewer, tokens["reviewer"], "reviewer")
    expect(page.locator("#who-name")).to_have_text("local-reviewer")
    first_row = page.locator("#queue-rows tr").first
    expect(first_row).to_have_attribute("data-claim-id", first["id"])
    expect(first_row.locator("td").first).to_have_text(f"{first['score']:.2f}")
    assert page.evaluate("sessionStorage.getItem('factcheck.token')") == tokens["reviewer"]
    assert tokens["reviewer"] not in page.url

    # WHEN they open the highest-scored claim with quantities
    page.locator(f'#queue-rows tr[data-claim-id="{top["id"]}"]').get_by_role("link").click()
    expect(page.locator("#view-claim")).to_be_visible()
    # THEN it is shown in its context, with the quantities the extractor found marked
    sentence = page.locator("#claim-sentence")
    expect(sentence).to_have_text(top["text"])
    expect(page.locator("#claim-before")).to_contain_text(top["context_before"])
    expect(page.locator("#claim-after")).to_contain_text(top["context_after"])
    expect(sentence.locator("mark")).to_have_text([q["text"] for q in top["quantities"]])
    for category in top["categories"]:
        expect(page.locator("#claim-categories")).to_contain_text(category)
    expect(page.locator("#claim-reasons li").first).to_be_visible()
    expect(page.locator("#claim-history li")).to_have_count(1)  # created
    steps.shot(reviewer, "claim")

    # AND the page offers what the API allows a reviewer on a queued claim (lease it...)
    offered = expect_offers_exactly_what_the_api_allows(
        reviewer, web_stack, top["id"], tokens["reviewer"]
    )
    assert "lease" in offered and "give_verdict" not in offered

    # GIVEN a second reviewer, on a narrow screen, who opens the same claim while it is free
    name_two, token_two = second_reviewer
    other = steps.open("reviewer-two", width=390, height=844)
    sign_in(steps, other, token_two, "reviewer")
    expect(other.page.locator("#who-name")).to_have_text(name_two)
    other.page.locator(f'#queue-rows tr[data-claim-id="{top["id"]}"]').get_by_role("link").click()
    expect(other.page.locator("#lease-text")).to_have_text("Free: nobody is reviewing this claim.")
    expect(other.page.get_by_role("button", name="Lease this claim")).to_be_visible()

    # WHEN the first reviewer leases it
    page.get_by_role("button", name="Lease this claim").click()
    expect(page.locator("#lease-text")).to_contain_text("Leased by you until")
    expect(page.locator("#claim-status")).to_have_text("In review")
    offered = expect_offers_exactly_what_the_api_allows(
        reviewer, web_stack, top["id"], tokens["reviewer"]
    )
    assert {"release", "add_source", "give_verdict"} <= set(offered)
    # (the lease's expiry in the history is written like every other time, not as ISO 8601)
    expect(page.locator("#claim-history")).to_contain_text("lease expires at")
    expect(page.locator("#claim-history")).not_to_contain_text(ISO_TIME)
    steps.shot(reviewer, "leased")

    # THEN the second reviewer, whose page still offers the lease, is refused by the API,
    # and their page then shows it taken and offers nothing of the review
    other.page.get_by_role("button", name="Lease this claim").click()
    expect(other.page.locator("#alert")).to_be_visible()
    expect(other.page.locator("#alert-text")).to_contain_text("leased to local-reviewer")
    expect(other.page.locator("#alert-text")).to_contain_text("409 lease_conflict")
    expect(other.page.locator("#lease-text")).to_contain_text("Taken: leased by local-reviewer")
    expect(other.page.get_by_role("button", name="Lease this claim")).to_be_hidden()
    expect(other.page.locator("#source-form")).to_be_hidden()
    expect(other.page.locator("#verdict-form")).to_be_hidden()
    expect_offers_exactly_what_the_api_allows(other, web_stack, top["id"], token_two)
    steps.shot(other, "lease-refused")
    # AND their queue shows who holds it
    other.page.get_by_role("link", name="Back to the queue").click()
    expect(other.page.locator(f'#queue-rows tr[data-claim-id="{top["id"]}"]')).to_have_count(0)
    other.page.get_by_label("Status").select_option("in_review")
    taken_row = other.page.locator(f'#queue-rows tr[data-claim-id="{top["id"]}"]')
    expect(taken_row).to_contain_text("taken by local-reviewer")
    width = other.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the narrow page scrolls sideways: {width}"
    steps.shot(other, "sees-taken-in-queue")

    # WHEN the reviewer adds a source, first with a bad URL
    page.get_by_label("URL").fill("not a url")
    page.get_by_role("button", name="Add source").click()
    # THEN the API's message is shown next to the field
    url_error = page.locator("#source-url-error")
    expect(url_error).to_be_visible()
    expect(url_error).to_have_text(
        api_refusal(web_stack, top["id"], "sources", {"url": "not a url"})[1]["url"]
    )
    expect(page.get_by_label("URL")).to_have_attribute("aria-invalid", "true")
    steps.shot(reviewer, "source-refused")
    # AND with a good one (whose title looks like markup: it must stay text)
    page.get_by_label("URL").fill("https://example.org/nato-ammunition")
    page.get_by_label("Title").fill("<b>NATO</b> output <img src=x>")
    page.get_by_label("Quote", exact=True).fill("Members produced 1.3 million shells in 2024.")
    page.get_by_label("Note", exact=True).fill("Compare annual shell production.")
    page.get_by_role("button", name="Add source").click()
    sources = page.locator("#claim-sources")
    expect(sources.locator("blockquote.source-quote")).to_have_text(
        "Members produced 1.3 million shells in 2024."
    )
    expect(sources.get_by_role("link", name="<b>NATO</b> output <img src=x>")).to_have_attribute(
        "href", "https://example.org/nato-ammunition"
    )
    assert sources.locator("b, img").count() == 0
    expect(url_error).to_be_hidden()
    steps.shot(reviewer, "source-added")

    # WHEN they give a verdict without a summary
    page.get_by_label("Rating").select_option("Mostly true")
    page.get_by_role("button", name="Give verdict").click()
    # THEN the API's validation message is next to the summary field, and in the alert
    summary_error = page.locator("#verdict-summary-error")
    expect(summary_error).to_be_visible()
    expect(summary_error).not_to_be_empty()
    code, errors = api_refusal(
        web_stack, top["id"], "verdict", {"rating": "Mostly true", "summary": ""}
    )
    expect(summary_error).to_have_text(errors["summary"])
    expect(page.locator("#alert-text")).to_contain_text(f"(422 {code})")
    expect(page.get_by_label("Summary")).to_be_focused()
    steps.shot(reviewer, "verdict-refused")

    # WHEN they give it properly
    page.get_by_label("Summary").fill("Broadly supported by the sources.")
    page.get_by_role("button", name="Give verdict").click()
    expect(page.locator("#claim-status")).to_have_text("Reviewed")
    expect(page.locator("#verdict-rating")).to_have_text("Mostly true")
    expect(page.locator("#verdict-summary")).to_have_text("Broadly supported by the sources.")
    expect(page.locator("#verdict-form")).to_be_hidden()
    steps.shot(reviewer, "verdict-given")

    # THEN an editor lands on what awaits their approval, the claim and its article listed
    editor = steps.open("editor")
    sign_in(steps, editor, tokens["editor"], "editor")
    expect(editor.page.locator("#queue-title")).to_have_text("Awaiting approval")
    expect(editor.page.get_by_label("Status")).to_have_value("reviewed")
    expect(editor.page.get_by_label("Only assigned to me")).to_be_hidden()
    to_approve = editor.page.locator(f'#queue-rows tr[data-claim-id="{top["id"]}"]')
    expect(to_approve.locator("td.article")).to_have_text(SEED_TITLE)
    steps.shot(editor, "awaiting-approval")
    # AND approves it
    to_approve.get_by_role("link").click()
    expect(editor.page.locator("#editor-card")).to_be_visible()
    offered = expect_offers_exactly_what_the_api_allows(
        editor, web_stack, top["id"], tokens["editor"]
    )
    assert "approve" in offered
    steps.shot(editor, "to-approve")
    editor.page.get_by_role("button", name="Approve and publish").click()
    expect(editor.page.locator("#claim-status")).to_have_text("Published")
    expect(editor.page.locator("#claim-history")).to_contain_text("local-editor approved")
    steps.shot(editor, "approved")

    # AND the published view lists it, linking the public fact-check page (the ClaimReview's url)
    editor.page.get_by_role("link", name="Published", exact=True).click()
    link = editor.page.get_by_role("link", name="Public fact-check page").first
    expect(link).to_have_attribute("href", f"{web_stack.api}/fact-checks/{top['id']}")
    expect(editor.page.locator("#published-list li").first).to_contain_text("Mostly true")
    steps.shot(editor, "published")
    assert requests.get(str(link.get_attribute("href")), timeout=5).status_code == 200
    review = requests.get(
        f"{web_stack.api}/claim-reviews/{top['id']}",
        headers={"Accept": "application/ld+json"},
        timeout=5,
    )
    assert review.status_code == 200
    assert review.json()["url"] == link.get_attribute("href")
    assert review.json()["reviewRating"]["alternateName"] == "Mostly true"


def test_the_queue_pages_with_the_api_cursor_and_api_errors_are_shown(
    steps: Steps, web_stack: RunningStack
) -> None:
    from playwright.sync_api import expect

    # GIVEN an editor on the queue of claims waiting for review, ten claims a page
    editor = steps.open("editor")
    page = editor.page
    sign_in(steps, editor, web_stack.info["tokens"]["editor"], "editor")
    page.get_by_label("Status").select_option("queued")
    expect(page.locator("#queue-title")).to_have_text("Review queue")
    page.get_by_label("Per page").select_option("10")
    expect(page.locator("#queue-rows tr")).to_have_count(10)
    first_page = page.locator("#queue-rows tr").evaluate_all(
        "rows => rows.map(r => r.dataset.claimId)"
    )
    expect(page.get_by_role("button", name="Previous page")).to_be_disabled()

    # WHEN they go to the next page and back
    page.get_by_role("button", name="Next page").click()
    expect(page.locator("#queue-page")).to_have_text("Page 2")
    second_page = page.locator("#queue-rows tr").evaluate_all(
        "rows => rows.map(r => r.dataset.claimId)"
    )
    # THEN the pages do not overlap, and the cursor never shows in the address bar
    assert second_page and not set(first_page) & set(second_page)
    assert "cursor" not in page.url
    steps.shot(editor, "page-2")
    page.get_by_role("button", name="Previous page").click()
    expect(page.locator("#queue-page")).to_have_text("Page 1")
    expect(page.locator("#queue-rows tr").first).to_have_attribute("data-claim-id", first_page[0])

    # WHEN they lease a claim and release it again
    row = page.locator("#queue-rows tr").nth(1)
    claim_id = row.get_attribute("data-claim-id")
    row.get_by_role("link").click()
    page.get_by_role("button", name="Lease this claim").click()
    expect(page.locator("#claim-status")).to_have_text("In review")
    page.get_by_role("button", name="Release lease").click()
    # THEN it is back in the queue, and the history says who did what
    expect(page.locator("#claim-status")).to_have_text("Queued")
    expect(page.locator("#claim-history")).to_contain_text("local-editor released")

    # WHEN they dismiss it without a reason, then with one
    page.get_by_role("button", name="Dismiss claim").click()
    expect(page.locator("#dismiss-reason-error")).to_be_visible()
    expect(page.locator("#dismiss-reason-error")).not_to_be_empty()
    page.get_by_label("Reason").fill("Opinion, not a factual claim.")
    page.get_by_role("button", name="Dismiss claim").click()
    # THEN it is dismissed with the reason shown
    expect(page.locator("#claim-status")).to_have_text("Dismissed")
    expect(page.locator("#claim-note")).to_contain_text("Opinion, not a factual claim.")
    expect(page.locator("#dismiss-card")).to_be_hidden()
    editor_token = web_stack.info["tokens"]["editor"]
    expect_offers_exactly_what_the_api_allows(editor, web_stack, str(claim_id), editor_token)
    steps.shot(editor, "dismissed")
    page.get_by_role("link", name="Back to the queue").click()
    expect(page.locator(f'#queue-rows tr[data-claim-id="{claim_id}"]')).to_have_count(0)

    # WHEN the editor changes their mind and restores it
    page.goto(f"/#/claim/{claim_id}")
    page.get_by_role("button", name="Restore to the queue").click()
    # THEN it is queued again, and the history keeps the dismissal's reason
    expect(page.locator("#claim-status")).to_have_text("Queued")
    expect(page.locator("#claim-history")).to_contain_text("local-editor restored")
    expect(page.locator("#claim-history")).to_contain_text("Opinion, not a factual claim.")
    expect(page.locator("#restore-card")).to_be_hidden()
    expect_offers_exactly_what_the_api_allows(editor, web_stack, str(claim_id), editor_token)
    steps.shot(editor, "restored")

    # WHEN the API refuses something (a claim that does not exist)
    page.goto("/#/claim/c0000000000000000")
    # THEN its message is shown, not a blank page
    expect(page.locator("#alert-text")).to_contain_text("404 not_found")
    expect(page.locator("#claim-title")).to_have_text("Claim not available")
    steps.shot(editor, "not-found")

    # WHEN the token stops being valid mid-session (e.g. revoked)
    page.evaluate("sessionStorage.setItem('factcheck.token', 'fct_' + 'y'.repeat(43))")
    page.reload()
    # THEN the page signs out and says why
    expect(page.locator("#view-signin")).to_be_visible()
    expect(page.locator("#alert-text")).to_contain_text("You were signed out")
    assert page.evaluate("sessionStorage.length") == 0
    steps.shot(editor, "signed-out")


COUNTED = (
    ("queued", "Queued"),
    ("in_review", "In review"),
    ("reviewed", "Awaiting approval"),
    ("published", "Published"),
    ("dismissed", "Dismissed"),
)


def _settled_counts(stack: RunningStack, timeout: float = 60) -> dict[str, int]:
    """The API's claim counts once two reads a second apart agree (seeds all extracted)."""
    deadline = time.monotonic() + timeout
    previous: dict[str, int] | None = None
    while True:
        got = requests.get(f"{stack.api}/claims/counts", headers=stack.headers("editor"), timeout=5)
        got.raise_for_status()
        counts = dict(got.json()["counts"])
        if counts == previous:
            return counts
        if time.monotonic() > deadline:
            raise TimeoutError(f"the claim counts still changed after {timeout:.0f}s: {counts}")
        previous = counts
        time.sleep(1)


def _counts_line(counts: dict[str, int]) -> re.Pattern[str]:
    return re.compile("^" + re.escape(" · ".join(f"{label} {counts[s]}" for s, label in COUNTED)))


def test_the_queue_shows_how_many_claims_are_in_each_state(
    steps: Steps, web_stack: RunningStack
) -> None:
    from playwright.sync_api import expect

    # GIVEN the API's counts, and an editor on the queue
    counts = _settled_counts(web_stack)
    editor = steps.open("editor")
    page = editor.page
    sign_in(steps, editor, web_stack.info["tokens"]["editor"], "editor")
    # THEN the line next to the status filter says how many claims are in each state
    line = page.locator("#queue-counts")
    expect(line).to_have_text(_counts_line(counts))
    steps.shot(editor, "counts")

    # WHEN a reviewer takes a queued claim and the editor shows the queue again
    queued = requests.get(
        f"{web_stack.api}/claims?status=queued&limit=1",
        headers=web_stack.headers("reviewer"),
        timeout=5,
    ).json()["items"][0]["id"]
    lease = f"{web_stack.api}/claims/{queued}/lease"
    assert requests.post(lease, headers=web_stack.headers("reviewer"), timeout=5).ok
    try:
        page.get_by_role("button", name="Show").click()
        # THEN one claim moved from Queued to In review
        moved = {**counts, "queued": counts["queued"] - 1, "in_review": counts["in_review"] + 1}
        expect(line).to_have_text(_counts_line(moved))
    finally:
        requests.delete(lease, headers=web_stack.headers("reviewer"), timeout=5)
