"""`factcheck openapi [--out FILE]`: the API's OpenAPI 3 document as JSON.

Built from the Flask app without touching AWS. `docs/openapi.json` is this command's output,
committed; a test fails when the two drift (regenerate with `make openapi`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "openapi", help="write the API's OpenAPI document (JSON)", description=__doc__
    )
    parser.add_argument(
        "--out", type=Path, default=None, metavar="FILE", help="write here (default: stdout)"
    )
    parser.set_defaults(func=run)


def openapi_document() -> str:
    """The spec with sorted keys and a final newline (stable, so diffs are meaningful)."""
    from factcheck.api import create_app
    from factcheck.settings import Settings

    # Default settings, not the environment's: the document must not depend on who runs it.
    spec = create_app(Settings()).extensions["factcheck-api"].spec.to_dict()
    return json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def run(args: argparse.Namespace) -> int:
    document = openapi_document()
    if args.out is None:
        sys.stdout.write(document)
    else:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(document, encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    return 0
