"""Users and tokens: names are unique, and a rotated, revoked or re-roled token changes what
the API lets it do on the very next request."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from factcheck.api.auth import create_user, rotate_token
from factcheck.domain.errors import NotFound, UserExists
from factcheck.domain.models import Role
from factcheck.storage.dynamo import DynamoRepository

pytestmark = pytest.mark.unit


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _whoami(client: FlaskClient, token: str) -> tuple[int, str | None]:
    response = client.get("/web/session", headers=_bearer(token))
    body = response.json or {}
    return response.status_code, body.get("role")


def test_adding_a_name_that_exists_is_refused_and_says_to_rotate(repo: DynamoRepository) -> None:
    create_user(repo, "alice", Role.REVIEWER)
    with pytest.raises(UserExists, match="factcheck users rotate alice"):
        create_user(repo, "alice", Role.EDITOR)
    assert repo.user_by_name("alice").role is Role.REVIEWER
    assert [u.name for u in repo.list_users()].count("alice") == 1


def test_a_rotated_token_replaces_the_old_one_at_once(
    repo: DynamoRepository, client: FlaskClient
) -> None:
    _, old = create_user(repo, "alice", Role.REVIEWER)
    assert _whoami(client, old) == (200, "reviewer")
    _, new = rotate_token(repo, "alice")
    assert _whoami(client, old)[0] == 401
    assert _whoami(client, new) == (200, "reviewer")


def test_a_revoked_user_is_refused_at_once_and_listed_as_revoked(
    repo: DynamoRepository, client: FlaskClient
) -> None:
    _, token = create_user(repo, "mallory", Role.EDITOR)
    repo.revoke_user("mallory")
    assert _whoami(client, token)[0] == 401
    (listed,) = [u for u in repo.list_users() if u.name == "mallory"]
    assert listed.revoked_at is not None
    with pytest.raises(NotFound):
        repo.user_by_token_hash(listed.token_hash)


def test_rotating_a_revoked_user_gives_them_a_working_token_again(
    repo: DynamoRepository, client: FlaskClient
) -> None:
    create_user(repo, "bob", Role.REVIEWER)
    repo.revoke_user("bob")
    _, token = rotate_token(repo, "bob")
    assert _whoami(client, token) == (200, "reviewer")
    assert repo.user_by_name("bob").revoked_at is None


@pytest.mark.parametrize(
    ("before", "after", "path", "allowed_after"),
    [
        (Role.ADMIN, Role.REVIEWER, "/webhooks", False),
        (Role.SUBMITTER, Role.REVIEWER, "/claims", True),
    ],
)
def test_a_new_role_applies_to_the_existing_token_on_its_next_request(
    repo: DynamoRepository,
    client: FlaskClient,
    before: Role,
    after: Role,
    path: str,
    allowed_after: bool,
) -> None:
    _, token = create_user(repo, "carol", before)
    repo.set_role("carol", after)
    assert _whoami(client, token) == (200, after.value)
    status = client.get(path, headers=_bearer(token)).status_code
    assert (status == 200) is allowed_after, status


def test_the_users_listing_is_every_user_once_by_name(repo: DynamoRepository) -> None:
    for name, role in (("zoe", Role.EDITOR), ("amy", Role.SUBMITTER), ("max", Role.ADMIN)):
        create_user(repo, name, role)
    rotate_token(repo, "zoe")
    listed = [(u.name, u.role) for u in repo.list_users()]
    assert listed == [("amy", Role.SUBMITTER), ("max", Role.ADMIN), ("zoe", Role.EDITOR)]


@pytest.mark.parametrize("name", ["", "   ", "a" * 101, "bad\x00name", "tab\tname"])
def test_a_user_name_must_be_printable_and_short(repo: DynamoRepository, name: str) -> None:
    with pytest.raises(ValueError, match="printable"):
        create_user(repo, name, Role.REVIEWER)
