"""`factcheck users add NAME --role ROLE`: create an API user and print its token once.

Only the token's SHA-256 is stored (see factcheck.api.auth), so the token cannot be shown
again: lose it and make a new one.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from factcheck.cli import CliError
from factcheck.domain.models import Role


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "users", help="manage API users (bearer tokens)", description=__doc__
    )
    sub = parser.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    add = sub.add_parser("add", help="create a user and print a new token once")
    add.add_argument("name", help="the user's name (recorded as the actor in the history)")
    add.add_argument(
        "--role", required=True, choices=[r.value for r in Role], help="what the user may do"
    )
    add.add_argument("--json", action="store_true", help="print {name, role, token} as JSON")
    add.set_defaults(func=run_add)


def run_add(args: argparse.Namespace) -> int:
    from factcheck.api.auth import create_user
    from factcheck.settings import get_settings
    from factcheck.storage.dynamo import DynamoRepository

    name = args.name.strip()
    if not name or len(name) > 100:
        raise CliError("a user name is 1 to 100 characters")
    user, token = create_user(DynamoRepository(get_settings()), name, Role(args.role))
    if args.json:
        print(json.dumps({"name": user.name, "role": user.role.value, "token": token}))
    else:
        print(token)
        print(
            f"created {user.role.value} {user.name!r}; this token is shown once: keep it safe",
            file=sys.stderr,
        )
    return 0
