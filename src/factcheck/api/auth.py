"""Bearer tokens with roles.

A token is 256 bits from `secrets` and is shown once (`factcheck users add`); only its
SHA-256 digest is stored. A fast unsalted hash is the right tool here, unlike for
passwords: the token is uniformly random and far too long to brute-force, so a slow,
salted hash (bcrypt/argon2) would buy nothing, while a deterministic digest lets every
request find its user with one GetItem on the digest instead of trying every user. The
looked-up digest is compared again with `hmac.compare_digest` (constant time), so the
check never depends on a short-circuiting string comparison.

Roles and what they may do (admin may do everything):

| permission      | submitter | reviewer | editor | admin |
|-----------------|:---------:|:--------:|:------:|:-----:|
| submit          |     x     |          |   x    |   x   |
| read_documents  |     x     |    x     |   x    |   x   |
| read_claims     |           |    x     |   x    |   x   |
| review          |           |    x     |   x    |   x   |  lease, sources, verdict
| dismiss         |           |    x     |   x    |   x   |
| edit            |           |          |   x    |   x   |  approve, send back, assign, export
| manage_webhooks |           |          |        |   x   |
| import_checks   |           |          |        |   x   |  other publishers' ClaimReviews
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from flask import g, request

from factcheck.api.services import services
from factcheck.domain.errors import Forbidden, NotFound, Unauthorized, UserExists
from factcheck.domain.models import Role, User
from factcheck.storage.ports import UserStore

TOKEN_PREFIX = "fct_"
BEARER_SCHEME = "bearerAuth"
BEARER: list[dict[str, list[str]]] = [{BEARER_SCHEME: []}]
PUBLIC: list[dict[str, list[str]]] = []

# What a well-formed token looks like; anything else is refused before any lookup.
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_\-]{16,128}$")


class Permission(StrEnum):
    SUBMIT = "submit"
    READ_DOCUMENTS = "read_documents"
    READ_CLAIMS = "read_claims"
    REVIEW = "review"
    DISMISS = "dismiss"
    EDIT = "edit"
    MANAGE_WEBHOOKS = "manage_webhooks"
    IMPORT_CHECKS = "import_checks"  # other publishers' ClaimReviews (admin)


_REVIEWER = frozenset(
    {Permission.READ_DOCUMENTS, Permission.READ_CLAIMS, Permission.REVIEW, Permission.DISMISS}
)
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.SUBMITTER: frozenset({Permission.SUBMIT, Permission.READ_DOCUMENTS}),
    Role.REVIEWER: _REVIEWER,
    Role.EDITOR: _REVIEWER | {Permission.SUBMIT, Permission.EDIT},
    Role.ADMIN: frozenset(Permission),
}


def roles_with(permission: Permission) -> list[Role]:
    return [role for role in Role if permission in ROLE_PERMISSIONS[role]]


def new_token() -> str:
    """A fresh bearer token: 32 random bytes, URL-safe, with a recognisable prefix."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _valid_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 100 or not name.isprintable():
        raise ValueError("a user name is 1 to 100 printable characters")
    return name


def create_user(repo: UserStore, name: str, role: Role) -> tuple[User, str]:
    """Store a new user with the hash of a new token; return the user and the token (once).

    UserExists if the name is taken: names are unique, so one person is one role."""
    token = new_token()
    user = User(name=_valid_name(name), role=role, token_hash=hash_token(token))
    repo.add_user(user)
    return user, token


def rotate_token(repo: UserStore, name: str) -> tuple[User, str]:
    """A new token for the user (shown once); the old one is refused from now on."""
    token = new_token()
    return repo.rotate_token(_valid_name(name), hash_token(token)), token


def ensure_user(repo: UserStore, name: str, role: Role) -> tuple[User, str]:
    """The user with that role and a fresh token, created if missing (the local stack's)."""
    try:
        return create_user(repo, name, role)
    except UserExists:
        if repo.user_by_name(name).role is not role:
            repo.set_role(name, role)
        return rotate_token(repo, name)


def authenticate(repo: UserStore, authorization: str | None) -> User:
    """The user of an `Authorization: Bearer <token>` header; Unauthorized otherwise."""
    if not authorization:
        raise Unauthorized("Authentication required: send 'Authorization: Bearer <token>'.")
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("The Authorization header must be 'Bearer <token>'.")
    if not _TOKEN_SHAPE.match(token):
        raise Unauthorized("The bearer token is not valid.")
    digest = hash_token(token)
    try:
        user = repo.user_by_token_hash(digest)
    except NotFound:
        raise Unauthorized("The bearer token is not valid.") from None
    if not hmac.compare_digest(user.token_hash.encode(), digest.encode()):
        raise Unauthorized("The bearer token is not valid.")
    return user


def current_user() -> User:
    user: User = g.user
    return user


P = ParamSpec("P")
R = TypeVar("R")


def requires(permission: Permission) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Authenticate the caller and check `permission` BEFORE the body is parsed.

    Put it above `@blp.arguments` so a caller without a token learns 401, not 422. The
    OpenAPI document gets the bearer security requirement and the 401/403 responses.
    """

    def decorator(func: Callable[P, R]) -> Callable[P, R]:
        @wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            user = authenticate(services().repository, request.headers.get("Authorization"))
            if permission not in ROLE_PERMISSIONS[user.role]:
                allowed = ", ".join(role.value for role in roles_with(permission))
                raise Forbidden(
                    f"Role '{user.role.value}' may not do this (needs one of: {allowed})."
                )
            g.user = user
            return func(*args, **kwargs)

        doc: dict[str, Any] = getattr(wrapper, "_apidoc", {})
        doc = {**doc}
        manual = dict(doc.get("manual_doc", {}))
        manual["security"] = BEARER
        roles = ", ".join(role.value for role in roles_with(permission))
        manual.setdefault("description", "")
        manual["description"] = (manual["description"] + f"\n\nRoles: {roles}.").strip()
        responses = dict(manual.get("responses", {}))
        responses.update({401: "UNAUTHORIZED", 403: "FORBIDDEN"})
        manual["responses"] = responses
        doc["manual_doc"] = manual
        wrapper._apidoc = doc  # type: ignore[attr-defined]
        return wrapper

    return decorator
