"""Search (an inverted index kept in the table) and streamed exports (CSV, JSON Lines)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from flask.testing import FlaskClient

from factcheck.domain.models import Claim
from factcheck.storage.dynamo import DynamoRepository

pytestmark = pytest.mark.unit

Headers = Callable[[str], dict[str, str]]
AMMO = "Russia fires two to three times as much ammunition per year as all of NATO combined."
SANCTIONS = "Sanctions are unlikely to change Putin's calculus."
ECONOMY = "Russia's economy has fared remarkably well despite the West's collective best efforts."


def _ids(response: object) -> list[str]:
    return [c["id"] for c in response.get_json()["items"]]  # type: ignore[attr-defined]


def test_search_finds_claims_holding_every_word_and_filters_by_status(
    store: Callable[..., list[Claim]], repo: DynamoRepository, client: FlaskClient, as_user: Headers
) -> None:
    ammo, sanctions, economy = store(AMMO, SANCTIONS, ECONOMY)
    get = lambda q: client.get(f"/claims/search?{q}", headers=as_user("rita-reviewer"))  # noqa: E731
    # words are normalised like the index (case, plurals, possessives)
    assert _ids(get("q=Ammunition+NATO")) == [ammo.id]
    assert set(_ids(get("q=russia"))) == {ammo.id, economy.id}
    assert _ids(get("q=sanction")) == [sanctions.id]
    assert _ids(get("q=russia+sanctions")) == []
    # numbers are terms too
    assert _ids(get("q=2-3+times+ammunition")) == [ammo.id]
    # the status filter
    repo.dismiss(economy.id, "rita-reviewer", "Opinion.")
    assert _ids(get("q=russia&status=queued")) == [ammo.id]
    assert _ids(get("q=russia&status=dismissed")) == [economy.id]


@pytest.mark.parametrize("query", ["q=the+of+and", "q=", "q=%20", "status=queued", "q=x&limit=0"])
def test_a_search_without_searchable_words_is_a_4xx(
    query: str, client: FlaskClient, as_user: Headers
) -> None:
    response = client.get(f"/claims/search?{query}", headers=as_user("rita-reviewer"))
    assert response.status_code == 422
    assert response.get_json()["code"] in ("invalid_input", "validation_error")


def test_the_csv_export_streams_every_claim_with_its_review(
    store: Callable[..., list[Claim]],
    publish: Callable[[str], Claim],
    client: FlaskClient,
    as_user: Headers,
) -> None:
    ammo, sanctions = store(AMMO, '=HYPERLINK("http://evil") is a formula, not a claim.')
    publish(ammo.id, "Mostly true")
    response = client.get("/exports/claims.csv", headers=as_user("eve-editor"))
    assert response.status_code == 200 and response.is_streamed
    assert response.mimetype == "text/csv"
    assert "claim-reviews" in response.headers["Link"]
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(response.get_data(as_text=True)))}
    assert rows[ammo.id]["status"] == "published" and rows[ammo.id]["rating"] == "Mostly true"
    assert rows[sanctions.id]["text"].startswith("'=")  # no formula reaches a spreadsheet


def test_the_jsonl_export_filters_by_status_and_creation_time(
    store: Callable[..., list[Claim]], repo: DynamoRepository, client: FlaskClient, as_user: Headers
) -> None:
    (old,) = store(AMMO, created_at=datetime(2024, 1, 10, tzinfo=UTC))
    (mid,) = store(SANCTIONS, created_at=datetime(2024, 2, 10, tzinfo=UTC))
    (new,) = store(ECONOMY, created_at=datetime(2024, 3, 10, tzinfo=UTC))
    repo.dismiss(mid.id, "eve-editor", "Opinion.")

    def export(query: str) -> list[str]:
        response = client.get(f"/exports/claims.jsonl?{query}", headers=as_user("eve-editor"))
        assert response.status_code == 200 and response.is_streamed
        return [json.loads(line)["id"] for line in response.get_data(as_text=True).splitlines()]

    assert set(export("")) == {old.id, mid.id, new.id}
    assert export("status=dismissed") == [mid.id]
    assert set(export("status=queued&status=dismissed")) == {old.id, mid.id, new.id}
    assert set(export("created_from=2024-02-01T00:00:00Z")) == {mid.id, new.id}
    assert export("created_from=2024-02-01T00:00:00Z&created_to=2024-03-01T00:00:00Z") == [mid.id]
    assert export("status=queued&created_to=2024-02-01T00:00:00Z") == [old.id]


@pytest.mark.parametrize(
    "query",
    ["status=nope", "created_from=yesterday", "created_from=2024-03-01&created_to=2024-02-01"],
)
def test_a_bad_export_filter_is_a_422(query: str, client: FlaskClient, as_user: Headers) -> None:
    response = client.get(f"/exports/claims.csv?{query}", headers=as_user("eve-editor"))
    assert response.status_code == 422
