"""A correction and a retraction end to end, in a real headless Chromium on the real stack:
an editor reopens a published check from the review page, a reviewer gives the new verdict,
the admin approves it there; the history shows each step, a webhook receiver on 127.0.0.1
gets claim.corrected, and the public page shows the note and the earlier rating (axe-core:
0 violations; extruct: exactly one ClaimReview, with dateModified). Then the admin retracts
it: claim.retracted arrives, and the page answers 410 saying why (0 violations, no
ClaimReview)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import extruct
import pytest
import requests

from .conftest import RunningStack, start_stack
from .test_public_fact_check_page import CHROMIUM, CHROMIUM_ARGS, _publish_one, _violations

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

NOTE = "The output figure was for 2023, not 2024."
REASON = "The statistics office withdrew the figures this check relied on."
TIMEOUT_MS = 20_000


class Receiver:
    """Collects the JSON bodies webhooks deliver to it (answers 204)."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.events.append(json.loads(body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, event_type: str, timeout: float = 90) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event in self.events:
                if event.get("type") == event_type:
                    return event
            time.sleep(0.3)
        seen = [e.get("type") for e in self.events]
        raise AssertionError(f"waited {timeout} s for a {event_type} delivery; got {seen}")


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningStack, str, Receiver]]:
    """The stack (webhooks may reach 127.0.0.1), one published claim, a subscribed receiver."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: run `bash infra/install_chromium.sh`")
    env = {"FACTCHECK_WEBHOOKS_ALLOW_PRIVATE": "true", "FACTCHECK_WEBHOOKS_BACKOFF_SECONDS": "0"}
    stack = start_stack(tmp_path_factory.mktemp("corrections"), env=env)
    receiver = Receiver()
    try:
        hook = {
            "url": receiver.url,
            "secret": "0123456789abcdef",
            "events": ["claim.corrected", "claim.retracted"],
        }
        made = requests.post(
            f"{stack.api}/webhooks", json=hook, headers=stack.headers("admin"), timeout=10
        )
        assert made.status_code == 201, made.text
        yield stack, _publish_one(stack), receiver
    finally:
        receiver.server.shutdown()
        stack.stop()


@pytest.fixture(scope="module")
def browser(setup: tuple[RunningStack, str, Receiver]) -> Iterator[Any]:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


def _signed_in(browser: Any, stack: RunningStack, role: str, claim_id: str) -> Any:
    """A page of the review app, signed in as `role` (its own context), on the claim."""
    from playwright.sync_api import expect

    page = browser.new_context(base_url=stack.api).new_page()
    page.goto("/")
    page.get_by_label("API token").fill(stack.info["tokens"][role])
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#who-role")).to_have_text(role)
    page.goto(f"/#/claim/{claim_id}")
    expect(page.locator("#claim-body")).to_be_visible()
    return page


def _claim_reviews(html: str, url: str) -> list[dict[str, Any]]:
    found = extruct.extract(html, base_url=url, syntaxes=["json-ld"], uniform=True)
    return [item for item in found["json-ld"] if item.get("@type") == "ClaimReview"]


def test_a_correction_then_a_retraction_in_the_browser(
    setup: tuple[RunningStack, str, Receiver], browser: Any
) -> None:
    from playwright.sync_api import expect

    stack, claim_id, receiver = setup
    public_url = f"{stack.api}/fact-checks/{claim_id}"
    first = requests.get(f"{stack.api}/claim-reviews/{claim_id}", timeout=10).json()

    # GIVEN the editor on the published claim: Correct and Retract are offered
    editor = _signed_in(browser, stack, "editor", claim_id)
    correct = editor.locator('form[data-action="correct"]')
    expect(correct).to_be_visible()
    expect(editor.locator('form[data-action="retract"]')).to_be_visible()
    # WHEN the note is left blank THEN a plain-language error names the field
    correct.get_by_role("button", name="Reopen for correction").click()
    expect(correct.locator("#correct-note-error")).to_be_visible()
    # WHEN the editor reopens it with a note
    editor.get_by_label("Correction note").fill(NOTE)
    correct.get_by_role("button", name="Reopen for correction").click()
    expect(editor.locator("#notice")).to_contain_text("Reopened for correction")
    expect(editor.locator("#claim-history")).to_contain_text("correction opened")
    expect(editor.locator("#claim-note")).to_contain_text(NOTE)
    expect(correct).to_be_hidden()
    # THEN readers still get the published version
    assert requests.get(f"{stack.api}/claim-reviews/{claim_id}", timeout=10).json() == first

    # WHEN the reviewer gives a new verdict and the admin approves it in the browser
    claim = f"{stack.api}/claims/{claim_id}"
    reviewer = stack.headers("reviewer")
    for url, payload in (
        (f"{claim}/lease", None),
        (f"{claim}/verdict", {"rating": "False", "summary": "Output was twice as high."}),
    ):
        done = requests.post(url, json=payload, headers=reviewer, timeout=10)
        assert done.ok, f"{url}: {done.status_code} {done.text}"
    admin = _signed_in(browser, stack, "admin", claim_id)
    admin.locator('[data-action="approve"]').click()
    expect(admin.locator("#notice")).to_contain_text("Approved")
    expect(admin.locator("#claim-history")).to_contain_text("corrected")

    # THEN the webhook receiver gets claim.corrected with the note and the earlier rating
    corrected = receiver.wait_for("claim.corrected")
    assert corrected["data"]["correction_note"] == NOTE
    assert corrected["data"]["previous_rating"] == "Mostly false"
    # AND the public page shows the note and the earlier rating, accessibly, one ClaimReview
    reader = browser.new_context().new_page()
    reader.goto(public_url)
    expect(reader.locator("section.corrections")).to_contain_text(NOTE)
    expect(reader.locator("section.corrections")).to_contain_text("Earlier rating: Mostly false")
    assert _violations(reader) == []
    (review,) = _claim_reviews(reader.content(), public_url)
    assert review["datePublished"] == first["datePublished"]
    assert review["dateModified"] > review["datePublished"]
    assert review["reviewRating"]["name"] == "False"

    # WHEN the admin retracts it with a reason
    admin.reload()
    retract = admin.locator('form[data-action="retract"]')
    expect(retract).to_be_visible()
    admin.get_by_label("Why it is withdrawn").fill(REASON)
    retract.get_by_role("button", name="Retract the check").click()
    expect(admin.locator("#notice")).to_contain_text("Retracted")
    expect(admin.locator("#claim-history")).to_contain_text("retracted")
    expect(admin.locator("#claim-note")).to_contain_text(REASON)
    # THEN claim.retracted arrives, and the page answers 410 saying when and why
    assert receiver.wait_for("claim.retracted")["data"]["retraction_reason"] == REASON
    # (a new reader: the first one's cache may keep the page for its max-age, 300 s)
    reader = browser.new_context().new_page()
    response = reader.goto(public_url)
    assert response is not None and response.status == 410
    expect(reader.locator("h2#retraction-heading")).to_have_text("We withdrew this fact check")
    expect(reader.locator(".retraction-reason")).to_contain_text(REASON)
    assert _violations(reader) == []
    assert _claim_reviews(reader.content(), public_url) == []
    gone = requests.get(f"{stack.api}/claim-reviews/{claim_id}", timeout=10)
    assert (gone.status_code, gone.json()["code"]) == (410, "retracted")
    feed = requests.get(f"{stack.api}/claim-reviews", timeout=10).json()
    assert all(not e["url"].endswith(claim_id) for e in feed["dataFeedElement"])
