"""The page's newsroom parts: what the HTML offers, and the API contract the script relies on
(field errors land next to the field whose name the API uses; exports never put the token
in a URL; the claim's controls are exactly the lifecycle's actions)."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from factcheck.api.auth import create_user
from factcheck.domain.models import Role
from factcheck.settings import Settings
from factcheck.storage.dynamo import DynamoRepository

from .modules import MODULES, TEMPLATE, code_lines, source

pytestmark = pytest.mark.unit

NO_SUCH_CLAIM = "c0000000000000000"


@pytest.fixture
def page(client: FlaskClient) -> str:
    return client.get("/").get_data(as_text=True)


def _auth(mock_settings: Settings, name: str, role: Role) -> dict[str, str]:
    _, token = create_user(DynamoRepository(mock_settings), name, role)
    return {"Authorization": f"Bearer {token}"}


def _error_slot(page: str, form_id: str, field: str) -> bool:
    """Whether the form has a `data-error-for` slot for the field (where the script puts it)."""
    start = page.index(f'id="{form_id}"')
    end = page.index("</form>", start)
    return f'data-error-for="{field}"' in page[start:end]


def test_the_page_has_the_newsroom_parts(page: str) -> None:
    for element_id in (
        "checked-before-card",  # "Checked before": the earlier verdict and its ClaimReview
        "checked-before-list",
        "matches-card",  # similar earlier claims, not published
        "claim-matches",
        "claim-assignee",
        "claim-duplicate",
        "assign-form",
        "assign-reviewer",
        "queue-mine",  # "my queue"
        "search-form",
        "search-q",
        "export-card",
        "export-csv",
        "export-jsonl",
    ):
        assert f'id="{element_id}"' in page, element_id
    assert re.search(r'<form id="search-form"[^>]*role="search"', page)
    assert '<th scope="col">Assigned to</th>' in page
    assert '<th scope="col">Article</th>' in page  # the article each claim comes from
    # What "Reviewed" means to an editor is said where they choose it.
    assert '<option value="reviewed">Reviewed: awaiting approval</option>' in page
    # Hidden until the script knows the role (editors, reviewers) and the claim.
    for hidden in ("checked-before-card", "matches-card", "assign-form", "export-card"):
        assert re.search(rf'id="{hidden}"[^>]*\shidden\b', page, re.S), hidden


def test_the_api_field_errors_have_a_slot_next_to_their_field(
    client: FlaskClient, page: str, mock_settings: Settings
) -> None:
    editor = _auth(mock_settings, "ed-editor", Role.EDITOR)
    # Assign to a name nobody has: the error names the `reviewer` field, as the form does.
    response = client.post(
        f"/claims/{NO_SUCH_CLAIM}/assign", json={"reviewer": "nobody"}, headers=editor
    )
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"reviewer"}
    assert _error_slot(page, "assign-form", "reviewer")
    # A search with no searchable word, or none at all: the error names `q`.
    for query in ("the", ""):
        response = client.get("/claims/search", query_string={"q": query}, headers=editor)
        assert response.status_code == 422, query
        assert set(response.get_json()["errors"]) == {"q"}, query
    assert _error_slot(page, "search-form", "q")


def test_exports_are_for_editors_only_and_need_the_header(
    client: FlaskClient, mock_settings: Settings
) -> None:
    reviewer = _auth(mock_settings, "rita-reviewer", Role.REVIEWER)
    editor = _auth(mock_settings, "ed-editor", Role.EDITOR)
    assert client.get("/exports/claims.csv").status_code == 401
    assert client.get("/exports/claims.csv", headers=reviewer).status_code == 403
    response = client.get("/exports/claims.csv", headers=editor)
    assert response.status_code == 200
    assert response.get_data(as_text=True).startswith("id,document_id,status")


def test_the_script_sends_the_token_in_the_header_only() -> None:
    # The token is read from the store in one function of the API client, and it is only
    # ever an Authorization header: never part of a URL, query, link or the address bar.
    uses = [
        (name, line)
        for name in MODULES
        for line in code_lines(name)
        if re.search(r"\btoken\b", line) and "sessionStorage" not in line
    ]
    assert uses
    for name, line in uses:
        for sink in ("URL(", "URLSearchParams", "params", "href", "location", "path"):
            assert sink not in line, (name, line)
    headers = [(n, ln) for n, _ in uses for ln in code_lines(n) if "Authorization" in ln]
    assert {n for n, _ in headers} == {"api.js"}
    assert "Authorization: `Bearer ${token}`" in source("api.js")
    # Exports are fetched with the header and saved from a Blob URL, revoked afterwards.
    exports = source("export.js")
    assert "download(" in exports and "response.blob()" in source("api.js")
    assert "URL.createObjectURL(" in exports and "URL.revokeObjectURL(" in exports
    assert "exports/claims.${format}" in exports


def _lifecycle_actions() -> set[str]:
    lifecycle = pytest.importorskip("factcheck.domain.lifecycle")
    return set(lifecycle.ACTIONS)


def test_the_claim_view_has_a_control_for_each_lifecycle_action_and_no_other() -> None:
    # The page shows exactly the claim's allowed_actions: each control names its action in
    # data-action (the "mark as duplicate" buttons are made per earlier claim, in the
    # script), and the script knows how to perform each one.
    page = TEMPLATE.read_text(encoding="utf-8")
    in_page = set(re.findall(r'data-action="([a-z_]+)"', page))
    in_script = set(re.findall(r'"data-action": "([a-z_]+)"', source("claim-parts.js")))
    claim_view = source("view-claim.js")
    start = claim_view.index("const ACTIONS")
    table = claim_view[start : claim_view.index("});", start)]
    performed = set(re.findall(r"^  ([a-z_]+): \{", table, re.M))
    actions = _lifecycle_actions()
    assert in_page | in_script == actions
    assert performed == actions
    # Every control starts hidden: nothing is offered before the API has said so.
    for action in in_page:
        tag = re.search(rf'<[^>]*data-action="{action}"[^>]*>', page)
        assert tag and re.search(r"\shidden\b", tag.group(0)), action


def test_the_script_derives_no_lease_rule_from_the_clock() -> None:
    # Whether a lease is live, held or takeable is the API's call (allowed_actions).
    for name in MODULES:
        script = "\n".join(code_lines(name))
        assert not re.search(r"\b(?:leaseLive|holdsLease|leasable)\s*[(=]", script), name
        assert not re.search(r"lease_expires_at[^;]*(?:getTime|Date\.now)", script), name
        assert not re.search(r"\[\s*\"queued\",\s*\"in_review\"", script), name
