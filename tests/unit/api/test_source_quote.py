"""A source's quote: the passage of the source that supports the verdict (issue 18, item 10).

It is stored and returned apart from the reviewer's note, refused like every other text
field when it holds control characters or nothing visible, seen by staff (not by a
submitter, who sees no sources), and shown as a blockquote on the public page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from flask.testing import FlaskClient

from unit.conftest import share_per_module

if TYPE_CHECKING:
    from tests.unit.api.conftest import World

pytestmark = pytest.mark.unit

aws, mock_settings, settings, repo, app, tokens = share_per_module()

QUOTE = "Members produced 1.3 million shells in 2024, up from 0.3 million in 2022."
SOURCE = {
    "url": "https://stats.example.org/shells",
    "title": "Ammunition output",
    "quote": QUOTE,
    "note": "table 2, p. 4",
}


@pytest.fixture
def client(world: World) -> FlaskClient:
    return world.app.test_client()


def _auth(world: World, user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[user]}"}


def _sourced_claim(client: FlaskClient, world: World) -> tuple[str, dict[str, Any]]:
    claim = world.seed(n=1)[0]
    assert (
        client.post(f"/claims/{claim.id}/lease", headers=_auth(world, "rita-reviewer")).status_code
        == 200
    )
    response = client.post(
        f"/claims/{claim.id}/sources", json=SOURCE, headers=_auth(world, "rita-reviewer")
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    return claim.id, response.get_json()


def test_a_source_keeps_its_quote_and_its_note_apart(client: FlaskClient, world: World) -> None:
    claim_id, posted = _sourced_claim(client, world)
    fetched = client.get(f"/claims/{claim_id}", headers=_auth(world, "eve-editor")).get_json()
    for claim in (posted, fetched):
        (source,) = claim["sources"]
        assert (source["quote"], source["note"]) == (QUOTE, "table 2, p. 4")


def test_a_source_without_a_quote_has_quote_null(client: FlaskClient, world: World) -> None:
    claim = world.seed(n=1)[0]
    client.post(f"/claims/{claim.id}/lease", headers=_auth(world, "rita-reviewer"))
    response = client.post(
        f"/claims/{claim.id}/sources",
        json={"url": "https://example.org/a"},
        headers=_auth(world, "rita-reviewer"),
    )
    assert response.status_code == 201
    assert response.get_json()["sources"][0]["quote"] is None


@pytest.mark.parametrize(
    ("quote", "why"),
    [
        ("shells\x00 in 2024", "NUL"),
        ("shells\x1b[31m in 2024", "escape"),
        ("shells\x85 in 2024", "C1 control"),
        ("\u200b\u200d", "only invisible characters"),
        ("   ", "blank"),
        ("x" * 2001, "over 2,000 characters"),
    ],
)
def test_a_quote_the_page_could_not_show_is_a_422_naming_quote_and_nothing_is_added(
    quote: str, why: str, client: FlaskClient, world: World
) -> None:
    claim = world.seed(n=1)[0]
    client.post(f"/claims/{claim.id}/lease", headers=_auth(world, "rita-reviewer"))
    before = world.repo.get_claim(claim.id)
    response = client.post(
        f"/claims/{claim.id}/sources",
        json={"url": "https://example.org/a", "quote": quote},
        headers=_auth(world, "rita-reviewer"),
    )
    assert response.status_code == 422, why
    assert "quote" in response.get_json()["errors"], why
    assert world.repo.get_claim(claim.id).sources == before.sources == []


@pytest.mark.parametrize(
    ("user", "sees_quote"),
    [
        ("sam-submitter", False),
        ("rob-reviewer", True),
        ("eve-editor", True),
        ("ada-admin", True),
    ],
)
def test_who_sees_a_sources_quote_while_the_claim_is_under_review(
    user: str, sees_quote: bool, client: FlaskClient, world: World
) -> None:
    claim_id, _ = _sourced_claim(client, world)
    document_id = world.repo.get_claim(claim_id).document_id
    listed = client.get(f"/documents/{document_id}/claims", headers=_auth(world, user))
    assert listed.status_code == 200
    (item,) = [c for c in listed.get_json()["items"] if c["id"] == claim_id]
    quotes = [s.get("quote") for s in item.get("sources") or []]
    assert (QUOTE in quotes) is sees_quote


def test_the_public_page_shows_the_quote_as_a_blockquote_and_the_note_apart(
    client: FlaskClient, world: World
) -> None:
    claim_id, _ = _sourced_claim(client, world)
    verdict = {"rating": "Mostly true", "summary": "The output did rise."}
    reviewer, editor = _auth(world, "rita-reviewer"), _auth(world, "eve-editor")
    assert (
        client.post(f"/claims/{claim_id}/verdict", json=verdict, headers=reviewer).status_code
        == 200
    )
    assert client.post(f"/claims/{claim_id}/approve", headers=editor).status_code == 200
    html = client.get(f"/fact-checks/{claim_id}").get_data(as_text=True)
    assert f'<blockquote class="source-quote"><p>{QUOTE}</p></blockquote>' in html
    assert '<p class="source-note">table 2, p. 4</p>' in html
