"""The `factcheck` command. Each sub-command lives in its own module with a `register`.

A module's `register(subparsers)` adds its parser and sets `func(args) -> int`. Expected
failures raise `CliError` (or a domain error) and become one line on stderr and exit 2,
never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from factcheck.domain.errors import FactcheckError

# Sub-command modules, imported lazily-by-name so `factcheck extract` never imports boto3.
COMMAND_MODULES: tuple[str, ...] = (
    "factcheck.cli.extract_cmd",
    "factcheck.cli.eval_cmd",
    "factcheck.cli.redrive_cmd",
    "factcheck.cli.verify_cmd",
    "factcheck.cli.stack_cmd",
    "factcheck.cli.state_cmd",
    "factcheck.cli.train_cmd",
    "factcheck.cli.users_cmd",
    "factcheck.cli.openapi_cmd",
    "factcheck.cli.claimreviews_cmd",
)


class CliError(Exception):
    """An expected failure: printed as one line, exit status 2."""


def build_parser(modules: Sequence[str] = COMMAND_MODULES) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="factcheck", description="Find, review and publish check-worthy claims."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in modules:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (CliError, FactcheckError) as exc:
        print(f"factcheck {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"factcheck {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
