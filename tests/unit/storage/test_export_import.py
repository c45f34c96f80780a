"""Admin backup: export every item (the one Scan), import idempotently elsewhere."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from factcheck.domain.errors import InvalidInput, StorageError
from factcheck.domain.models import Claim, ClaimStatus, Document, Role, User, Verdict
from factcheck.local.resources import provision
from factcheck.settings import Settings
from factcheck.storage.dynamo import DynamoRepository

pytestmark = pytest.mark.unit

T0 = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)


def populate(repo: DynamoRepository) -> None:
    repo.put_document(Document(id="d1", text="Text with a 3–1 ratio.", created_at=T0))
    for n in range(3):
        claim = Claim(
            id=f"c{n}", document_id="d1", text=f"claim {n}", start=n, end=n + 1, score=0.25 * n
        )
        repo.put_claim(claim)
    repo.lease("c1", "alice", now=T0)
    repo.give_verdict("c1", "alice", Verdict(rating="True", summary="yes", reviewer="a"), now=T0)
    repo.approve("c1", "ed", now=T0)
    repo.put_user(User(name="alice", role=Role.REVIEWER, token_hash="h1"))


def test_an_export_restores_into_an_empty_table_with_every_item_and_behaviour(
    repo: DynamoRepository,
) -> None:
    # GIVEN a populated deployment and an empty one
    populate(repo)
    target = DynamoRepository(
        provision(
            repo.settings.model_copy(update={"table_name": repo.table_name + "-restore"}),
            prefix="r",
        )
    )
    # WHEN the export, through JSON lines as the CLI writes it, is imported
    lines = [json.dumps(item) for item in repo.export_items()]
    written = target.import_items(json.loads(line) for line in lines)
    # THEN every item is there and the restored deployment answers the same
    # doc, claims, events x2, the user by token and by name, and the outbox items of the
    # two transitions that cause webhook events (verdict_given, approved)
    assert written == len(lines) == 1 + 3 + 3 + 3 + 2 + 2
    assert sorted(map(json.dumps, target.export_items())) == sorted(lines)
    assert target.get_claim("c1") == repo.get_claim("c1")
    assert [c.id for c in target.published().items] == ["c1"]
    assert [c.id for c in target.review_queue(ClaimStatus.QUEUED).items] == ["c2", "c0"]
    assert target.history("c1") == repo.history("c1")
    assert target.user_by_token_hash("h1").name == "alice"
    assert target.user_by_name("alice").role is Role.REVIEWER


def test_importing_the_same_export_twice_writes_nothing_the_second_time(
    repo: DynamoRepository,
) -> None:
    # GIVEN a populated table and its export
    populate(repo)
    items = list(repo.export_items())
    before = sorted(map(json.dumps, items))
    # WHEN the export is imported into the same table
    written = repo.import_items(items)
    # THEN nothing is written and nothing changed
    assert written == 0
    assert sorted(map(json.dumps, repo.export_items())) == before


@pytest.mark.parametrize("bad", [{"PK": "x", "SK": "y"}, {"foo": {"S": "bar"}}, "not an item"])
def test_importing_something_that_is_not_an_exported_item_is_invalid_input(
    repo: DynamoRepository, bad: object
) -> None:
    with pytest.raises(InvalidInput):
        repo.import_items([bad])  # type: ignore[list-item]


def test_a_missing_table_is_a_storage_error_not_a_botocore_exception(
    mock_settings: Settings,
) -> None:
    # GIVEN settings naming a table that does not exist
    repo = DynamoRepository(mock_settings.model_copy(update={"table_name": "no-such-table"}))
    # WHEN it is read THEN the caller gets the domain's StorageError (503), chained to the cause
    with pytest.raises(StorageError) as raised:
        repo.get_claim("c1")
    assert raised.value.http_status == 503
    assert raised.value.__cause__ is not None
