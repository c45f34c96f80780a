"""`factcheck verify [--repair] [--json]`: does every document, claim, index item and event
agree with the others? A readable summary, one line per problem; `--repair` fixes what can
be derived again from the record of truth (docs/storage.md, "Self-healing and the outbox").

An admin's command: it reads the whole table with a Scan (as `factcheck export` does);
no request path of the API calls it. Exit status 0 when nothing is wrong (or everything
found was repaired), 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from factcheck.cli.target import add_target_arguments, cli_settings


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "verify",
        help="report (and with --repair fix) items that disagree with each other",
        description=__doc__,
    )
    parser.add_argument(
        "--repair", action="store_true", help="fix what can be derived again, then report"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    add_target_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from factcheck.pipeline.services import Services
    from factcheck.pipeline.verify import verify

    deps = Services.from_settings(cli_settings(args))
    report = verify(deps.repository, deps.queues, repair=args.repair)
    print(json.dumps(report.as_dict()) if args.json else report.summary())
    return 0 if report.ok else 1
