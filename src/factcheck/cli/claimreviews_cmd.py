"""`factcheck import-claimreviews FILE|DIR ...`: other publishers' fact checks for matching.

Reads ClaimReview JSON-LD (one object, an array, a `@graph`) from .json/.jsonld files and
the markup embedded in .html pages, and indexes each check so a new claim that says the
same thing shows "checked before by <publisher>". Every item that cannot be read is one
line on stderr with its reason; nothing is half-imported. Exit 0 when everything found was
imported, 1 when some items were refused, 2 when nothing could be imported.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from factcheck.cli import CliError
from factcheck.cli.target import add_target_arguments, cli_settings


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "import-claimreviews",
        help="import other publishers' ClaimReviews for 'checked before'",
        description=__doc__,
    )
    parser.add_argument("paths", nargs="+", type=Path, help="files or folders")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    add_target_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from factcheck.pipeline.external_checks import index_external_checks
    from factcheck.publishing.external import read_paths
    from factcheck.storage.dynamo import DynamoRepository

    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        raise CliError(f"no such file or folder: {', '.join(missing)}")
    read = read_paths(args.paths)
    indexed = index_external_checks(DynamoRepository(cli_settings(args)), read.checks)
    errors = [*read.errors, *indexed.errors]
    if args.json:
        print(json.dumps({"imported": len(indexed.indexed), "errors": errors}))
    else:
        print(f"imported {len(indexed.indexed)} ClaimReview(s)")
    for line in errors:
        print(f"refused: {line}", file=sys.stderr)
    if not indexed.indexed and errors:
        return 2
    return 1 if errors else 0
