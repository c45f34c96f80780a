"""`factcheck stack`: run the whole stack locally until Ctrl-C (what `make run` does)."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from pathlib import Path
from types import FrameType


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "stack",
        help="run the local stack (emulator, API, web page, pipeline) until Ctrl-C",
        description="Run the whole stack on this machine: no Docker, no AWS account.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to serve on")
    parser.add_argument("--port", type=int, default=8000, help="API port (0: any free port)")
    parser.add_argument("--home", type=Path, default=Path(".factcheck"), help="state folder")
    parser.add_argument("--seeds", type=Path, default=Path("seeds"), help="articles to ingest")
    parser.add_argument("--no-seeds", action="store_true", help="ingest nothing")
    parser.add_argument(
        "--fresh", action="store_true", help="ignore the state saved by the last stop"
    )
    parser.add_argument(
        "--no-journal", action="store_true", help="emulator state in memory only (benchmarks)"
    )
    parser.add_argument(
        "--sweep-interval", type=float, default=30.0, help="seconds between sweeper runs"
    )
    parser.add_argument(
        "--log-level", default="WARNING", help="log level of the stack's JSON logs (INFO: all)"
    )
    parser.set_defaults(func=run)


def _banner(info: object, elapsed: float, home: Path) -> str:
    from factcheck.local.stack import StackInfo

    assert isinstance(info, StackInfo)
    width = max(len(role) for role in info.tokens)
    lines = [
        f"factcheck local stack ready in {elapsed:.1f}s",
        f"  web page   {info.web_url}",
        f"  API        {info.api_url}",
        f"  API docs   {info.docs_url}",
        f"  emulator   {info.endpoint_url}",
        "  tokens (Authorization: Bearer <token>):",
        *(f"    {role:<{width}}  {token}" for role, token in info.tokens.items()),
        f"  seeded {len(info.seeded)} article(s); URLs and tokens in {home}/stack.json",
        f'  try: curl -H "Authorization: Bearer {info.tokens["reviewer"]}" {info.api_url}/claims',
        "  Ctrl-C stops everything and saves the state.",
    ]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from factcheck.local.stack import LocalStack, StackOptions, wait_until_ready
    from factcheck.local.stack_guard import StackStartRefused
    from factcheck.observability import logger

    logger.setLevel(args.log_level.upper())
    started = time.monotonic()
    options = StackOptions(
        host=args.host,
        port=args.port,
        home=args.home,
        seeds_dir=None if args.no_seeds else args.seeds,
        restore=not args.fresh,
        journal=not args.no_journal,
        sweep_interval=args.sweep_interval,
    )
    stack = LocalStack(options)
    stop = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        info = stack.start()
    except StackStartRefused as refused:  # nothing was started, nothing touched
        print(f"factcheck stack: not started: {refused}", file=sys.stderr, flush=True)
        return 1
    except BaseException:
        stack.stop()  # what this start had started (never another stack's emulator)
        raise
    try:
        wait_until_ready(info.api_url)
        print(_banner(info, time.monotonic() - started, args.home), flush=True)
        stop.wait()
        print("stopping: saving state ...", flush=True)
    finally:
        counts = stack.stop()
    if counts is not None:
        print(f"saved {counts.items} items and {sum(counts.messages.values())} queued messages")
    return 0
