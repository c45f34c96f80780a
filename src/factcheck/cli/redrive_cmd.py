"""`factcheck redrive [--dlq] [--failed] [--older-than SECONDS]`: nothing submitted is lost.

Re-queues documents stuck in received/extracting (DynamoDB is the record of truth), however
often they were re-queued before, including those whose recorded claims are not all stored
(a claim message lost or purged), and queues webhook events left pending in the outbox;
with `--dlq` it first moves every dead-lettered message back to its source queue; with
`--failed` it also re-queues the documents the sweeper gave up on (status `failed`), once
the cause is fixed.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from factcheck.cli.target import add_target_arguments, cli_settings


def _seconds(value: str) -> float:
    seconds = float(value)
    if seconds < 0:
        raise argparse.ArgumentTypeError("must be zero or more seconds")
    return seconds


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "redrive",
        help="re-queue stuck documents; with --dlq also move DLQ messages back",
        description=__doc__,
    )
    parser.add_argument(
        "--dlq", action="store_true", help="also move dead-lettered messages back to their queue"
    )
    parser.add_argument(
        "--failed",
        action="store_true",
        help="also re-queue failed documents (those the sweeper gave up on)",
    )
    parser.add_argument(
        "--older-than",
        type=_seconds,
        metavar="SECONDS",
        default=None,
        help="re-queue documents not updated for this long "
        "(default: FACTCHECK_STUCK_AFTER_SECONDS)",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    add_target_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from factcheck.pipeline.services import Services
    from factcheck.pipeline.sweeper import redrive

    settings = cli_settings(args)
    deps = Services.from_settings(settings)
    older_than = settings.stuck_after_seconds if args.older_than is None else args.older_than
    report = redrive(
        deps.repository,
        deps.queues,
        older_than_seconds=older_than,
        dlq=args.dlq,
        failed=args.failed,
    )
    if args.json:
        print(json.dumps(report.as_dict()))
        return 0
    if args.dlq:
        for name, moved in report.moved_from_dlq.items():
            print(f"moved {moved} message(s) from the {name} DLQ back to its queue")
    print(f"re-queued {len(report.requeued)} document(s)")
    short = set(report.claims_short)
    for doc_id in report.requeued:
        print(f"  {doc_id}" + ("  (extracted, but claims were missing)" if doc_id in short else ""))
    print(f"queued {len(report.events_queued)} webhook event(s) left pending in the outbox")
    return 0
