"""`GET /documents/{id}/claims` lists claims without `checked_before` (issue 18, item 10):
that field is read live per claim (its matches' current verdicts), so it is in the claim's
own view (`GET /claims/{id}`) and left out of the listing's schema, never sent as null."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from flask.testing import FlaskClient

from unit.conftest import share_per_module

if TYPE_CHECKING:
    from tests.unit.api.conftest import World

pytestmark = pytest.mark.unit

aws, mock_settings, settings, repo, app, tokens = share_per_module()


@pytest.mark.parametrize("user", ["sam-submitter", "rita-reviewer", "eve-editor", "ada-admin"])
def test_the_document_claims_listing_has_no_checked_before_field(user: str, world: World) -> None:
    client: FlaskClient = world.app.test_client()
    claim = world.seed(n=2)[0]
    auth = {"Authorization": f"Bearer {world.tokens[user]}"}
    listed = client.get(f"/documents/{claim.document_id}/claims", headers=auth)
    assert listed.status_code == 200
    items = listed.get_json()["items"]
    assert len(items) == 2
    assert all("checked_before" not in item for item in items)


def test_the_claims_own_view_has_checked_before_as_a_list(world: World) -> None:
    client: FlaskClient = world.app.test_client()
    claim = world.seed(n=1)[0]
    auth = {"Authorization": f"Bearer {world.tokens['rita-reviewer']}"}
    assert client.get(f"/claims/{claim.id}", headers=auth).get_json()["checked_before"] == []


def test_the_openapi_lists_checked_before_only_on_the_claims_own_view(world: World) -> None:
    spec = world.app.test_client().get("/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    listing = spec["paths"]["/documents/{doc_id}/claims"]["get"]["responses"]["200"]
    ref = listing["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    item_ref = schemas[ref]["properties"]["items"]["items"]["$ref"].rsplit("/", 1)[1]
    assert "checked_before" not in schemas[item_ref]["properties"]
    assert "checked_before" in schemas["ClaimDetail"]["properties"]
