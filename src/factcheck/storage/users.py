"""Users: one item per name (the record: role, current token, revoked or not) and one per
token hash (the lookup on every request: one GetItem). Every change to a user rewrites both
in one transaction, so a rotated, revoked or demoted token stops working at once.

Names are unique: `add_user` refuses a name that exists (rotate its token instead). Name
items also sit in one GSI2 partition (`USERS`, by name), so `list_users` is a Query.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from factcheck.domain.errors import Conflict, NotFound, UserExists
from factcheck.domain.models import Role, User
from factcheck.storage import keys
from factcheck.storage.base import Store
from factcheck.storage.client import Cancelled, resolve_now
from factcheck.storage.codec import serialise, to_model

USERS_PK = "USERS"


def _name_item(user: User) -> dict[str, Any]:
    return serialise(
        {
            **keys.user_name_key(user.name),
            keys.TYPE: "username",
            keys.GSI2PK: USERS_PK,
            keys.GSI2SK: user.name,
            **user.model_dump(),
        }
    )


def _token_item(user: User) -> dict[str, Any]:
    return serialise({**keys.user_key(user.token_hash), keys.TYPE: "user", **user.model_dump()})


class Users(Store):
    """Users by name and by token hash, always changed together."""

    def _put(self, item: dict[str, Any], condition: str | None = None) -> dict[str, Any]:
        put: dict[str, Any] = {"TableName": self.db.name, "Item": item}
        if condition:
            put["ConditionExpression"] = condition
        return {"Put": put}

    def _delete_token(self, token_hash: str) -> dict[str, Any]:
        return {"Delete": {"TableName": self.db.name, "Key": serialise(keys.user_key(token_hash))}}

    def put_user(self, user: User) -> None:
        """Write a user as given (import and tests); `add_user` is the checked way in."""
        self.db.transact([self._put(_name_item(user)), self._put(_token_item(user))])

    def add_user(self, user: User) -> None:
        """Create a user; UserExists if the name is taken (rotate that user's token instead)."""
        try:
            self.db.transact(
                [
                    self._put(_name_item(user), "attribute_not_exists(PK)"),
                    self._put(_token_item(user), "attribute_not_exists(PK)"),
                ]
            )
        except Cancelled as e:
            if e.condition_failed:
                raise UserExists(
                    f"A user is already called {user.name!r}: give them a new token with "
                    f"`factcheck users rotate {user.name}`, or change their role with "
                    f"`factcheck users set-role {user.name} ROLE`.",
                    name=user.name,
                ) from None
            raise

    def _replace(self, old: User, new: User) -> None:
        """Swap a user's record, conditional on it not having changed since it was read."""
        name_item = self._put(_name_item(new), "token_hash = :old")
        name_item["Put"]["ExpressionAttributeValues"] = serialise({":old": old.token_hash})
        items = [name_item]
        if old.revoked_at is None and old.token_hash != new.token_hash:
            items.append(self._delete_token(old.token_hash))
        if new.revoked_at is None:
            items.append(self._put(_token_item(new)))
        else:
            items.append(self._delete_token(new.token_hash))
        try:
            self.db.transact(items)
        except Cancelled as e:
            if e.condition_failed:
                raise Conflict(f"User {old.name!r} changed meanwhile: try again.") from None
            raise

    def rotate_token(self, name: str, token_hash: str) -> User:
        """Give the user a new token (a revoked user is restored by it); the old one dies."""
        old = self.user_by_name(name)
        new = old.model_copy(update={"token_hash": token_hash, "revoked_at": None})
        self._replace(old, new)
        return new

    def set_role(self, name: str, role: Role) -> User:
        old = self.user_by_name(name)
        new = old.model_copy(update={"role": role})
        self._replace(old, new)
        return new

    def revoke_user(self, name: str, *, now: datetime | None = None) -> User:
        """Refuse the user's token from now on; the user stays listed as revoked."""
        old = self.user_by_name(name)
        if old.revoked_at is not None:
            return old
        new = old.model_copy(update={"revoked_at": resolve_now(now)})
        self._replace(old, new)
        return new

    def list_users(self) -> list[User]:
        """Every user, by name (a Query on the USERS partition of GSI2)."""
        items = self.db.query_all(
            IndexName=keys.GSI2,
            KeyConditionExpression="GSI2PK = :pk",
            ExpressionAttributeValues=serialise({":pk": USERS_PK}),
        )
        return [to_model(User, item) for item in items]

    def user_by_name(self, name: str) -> User:
        """The user of that name. Raises NotFound."""
        item = self.db.get(keys.user_name_key(name))
        if item is None:
            raise NotFound(f"No user is called {name!r}.", name=name)
        return to_model(User, item)

    def user_by_token_hash(self, token_hash: str) -> User:
        """The user a live token belongs to. Raises NotFound (also for a revoked token)."""
        item = self.db.get(keys.user_key(token_hash))
        if item is None:
            raise NotFound("no user has this token")
        return to_model(User, item)
