"""`factcheck users list | add | revoke | rotate | set-role`: the API's users and tokens.

Only a token's SHA-256 is stored (see factcheck.api.auth), so a token is shown once, when
it is made (`add`, `rotate`): lose it and rotate. Names are unique; `revoke`, `rotate` and
`set-role` take effect on the user's very next request. Against the local stack the
command finds it by itself (`.factcheck/stack.json`); `--target` says otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from factcheck.cli import CliError
from factcheck.cli.target import add_target_arguments, cli_settings
from factcheck.domain.models import Role, User

ROLES = [r.value for r in Role]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "users", help="manage API users (bearer tokens)", description=__doc__
    )
    sub = parser.add_subparsers(dest="users_command", metavar="ACTION", required=True)

    def action(name: str, help_: str, func: Any, *, named: bool = True) -> Any:
        p = sub.add_parser(name, help=help_)
        if named:
            p.add_argument("name", help="the user's name (the actor in the history)")
        p.add_argument("--json", action="store_true", help="print the result as JSON")
        add_target_arguments(p)
        p.set_defaults(func=func)
        return p

    action("list", "every user, role and whether revoked (never tokens)", run_list, named=False)
    action("add", "create a user and print a new token once", run_add).add_argument(
        "--role", required=True, choices=ROLES, help="what the user may do"
    )
    action("rotate", "give a user a new token (printed once); the old one stops", run_rotate)
    action("revoke", "refuse the user's token from now on", run_revoke)
    action("set-role", "change what a user may do", run_set_role).add_argument(
        "role", choices=ROLES
    )


def _repo(args: argparse.Namespace) -> Any:
    from factcheck.storage.dynamo import DynamoRepository

    return DynamoRepository(cli_settings(args))


def _public(user: User) -> dict[str, Any]:
    revoked = user.revoked_at.isoformat() if user.revoked_at else None
    return {"name": user.name, "role": user.role.value, "revoked_at": revoked}


def _print_token(args: argparse.Namespace, user: User, token: str, what: str) -> int:
    if args.json:
        print(json.dumps({**_public(user), "token": token}))
    else:
        print(token)
        print(f"{what} {user.role.value} {user.name!r}; this token is shown once", file=sys.stderr)
    return 0


def run_add(args: argparse.Namespace) -> int:
    from factcheck.api.auth import create_user

    try:
        user, token = create_user(_repo(args), args.name, Role(args.role))
    except ValueError as e:
        raise CliError(str(e)) from None
    return _print_token(args, user, token, "created")


def run_rotate(args: argparse.Namespace) -> int:
    from factcheck.api.auth import rotate_token

    user, token = rotate_token(_repo(args), args.name)
    return _print_token(args, user, token, "new token for")


def _print_user(args: argparse.Namespace, user: User, what: str) -> int:
    if args.json:
        print(json.dumps(_public(user)))
    else:
        print(f"{what}: {user.name} ({user.role.value})")
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    return _print_user(args, _repo(args).revoke_user(args.name.strip()), "revoked")


def run_set_role(args: argparse.Namespace) -> int:
    return _print_user(args, _repo(args).set_role(args.name.strip(), Role(args.role)), "role set")


def run_list(args: argparse.Namespace) -> int:
    users = _repo(args).list_users()
    if args.json:
        print(json.dumps([_public(u) for u in users]))
        return 0
    width = max((len(u.name) for u in users), default=4)
    print(f"{'name':<{width}}  {'role':<9}  status")
    for user in users:
        status = f"revoked {user.revoked_at:%Y-%m-%d %H:%M}" if user.revoked_at else "active"
        print(f"{user.name:<{width}}  {user.role.value:<9}  {status}")
    return 0
