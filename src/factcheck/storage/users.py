"""Users: one item per token hash (the lookup on every request) and one per name."""

from __future__ import annotations

from factcheck.domain.errors import NotFound
from factcheck.domain.models import User
from factcheck.storage import keys
from factcheck.storage.base import Store
from factcheck.storage.codec import serialise, to_model


class Users(Store):
    """Users: one item per token hash (the lookup on every request) and one per name."""

    def put_user(self, user: User) -> None:
        """Create or replace the user behind a token hash (and the name's latest role)."""
        attrs = {**keys.user_key(user.token_hash), keys.TYPE: "user", **user.model_dump()}
        self.db.call("put_item", TableName=self.db.name, Item=serialise(attrs))
        by_name = {**keys.user_name_key(user.name), keys.TYPE: "username", **user.model_dump()}
        self.db.call("put_item", TableName=self.db.name, Item=serialise(by_name))

    def user_by_name(self, name: str) -> User:
        """The user of that name (as last written by put_user). Raises NotFound."""
        item = self.db.get(keys.user_name_key(name))
        if item is None:
            raise NotFound(f"no user is called {name!r}", name=name)
        return to_model(User, item)

    def user_by_token_hash(self, token_hash: str) -> User:
        """Raises NotFound."""
        item = self.db.get(keys.user_key(token_hash))
        if item is None:
            raise NotFound("no user has this token")
        return to_model(User, item)
