"""`factcheck export DIR` / `factcheck import DIR`: back up and restore any deployment.

The deployment is the running local stack, found by itself, or the one `--target` and the
settings point at (FACTCHECK_TABLE_NAME, FACTCHECK_ENDPOINT_URL, ...): see
factcheck.cli.target. Files are versioned JSON lines; import is idempotent.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from factcheck.cli.target import add_target_arguments, cli_settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    exp = sub.add_parser("export", help="export the table's items to DIR (JSON lines)")
    exp.add_argument("directory", type=Path)
    add_target_arguments(exp)
    exp.set_defaults(func=run_export)
    imp = sub.add_parser("import", help="import items exported by `factcheck export`")
    imp.add_argument("directory", type=Path)
    add_target_arguments(imp)
    imp.set_defaults(func=run_import)


def run_export(args: argparse.Namespace) -> int:
    from factcheck.local import state
    from factcheck.storage.dynamo import DynamoRepository

    count = state.export_items(DynamoRepository(cli_settings(args)), args.directory)
    print(f"exported {count} items to {args.directory / state.ITEMS_FILE}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from factcheck.cli import CliError
    from factcheck.local import state
    from factcheck.storage.dynamo import DynamoRepository

    if not (args.directory / state.ITEMS_FILE).is_file():
        raise CliError(f"{args.directory}: no {state.ITEMS_FILE} here")
    count = state.import_items(DynamoRepository(cli_settings(args)), args.directory)
    print(f"imported {count} items from {args.directory / state.ITEMS_FILE}")
    return 0
