"""`python -m factcheck.bench [--phases ...] [--out bench/results] [--quick]` (`make bench`)."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from factcheck.bench import api_load, extraction, imports, pipeline
from factcheck.bench import journal as journal_bench
from factcheck.bench.common import machine_info, progress, run_json
from factcheck.bench.report import compare, table
from factcheck.bench.stackproc import StackProcess, emulator_pid, kill_emulator, start_stack
from factcheck.template import REPO_ROOT

PHASES = ("extraction", "imports", "packages", "pipeline", "api", "journal")
REPORT = "report.json"
PREVIOUS = "report.previous.json"


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m factcheck.bench", description=__doc__)
    parser.add_argument("--phases", default=",".join(PHASES), help="comma-separated subset")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "bench" / "results")
    parser.add_argument("--quick", action="store_true", help="short budgets (a smoke run)")
    parser.add_argument("--documents", type=int, default=200, help="pipeline articles")
    parser.add_argument("--pipeline-seconds", type=float, default=180.0, help="drain budget")
    parser.add_argument("--api-documents", type=int, default=10, help="articles to seed")
    parser.add_argument("--api-seconds", type=float, default=15.0, help="per API run")
    parser.add_argument("--extraction-seconds", type=float, default=45.0)
    parser.add_argument("--import-repeats", type=int, default=5)
    parser.add_argument("--journal-writes", type=int, default=100_000, help="journal phase")
    parser.add_argument(
        "--no-journal-compare",
        action="store_true",
        help="pipeline and API on a journalled stack only (not also on one without)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.documents = min(args.documents, 40)
        args.pipeline_seconds = min(args.pipeline_seconds, 60.0)
        args.api_documents = min(args.api_documents, 5)
        args.api_seconds = min(args.api_seconds, 4.0)
        args.extraction_seconds = min(args.extraction_seconds, 9.0)
        args.import_repeats = min(args.import_repeats, 2)
        args.journal_writes = min(args.journal_writes, 5_000)
    unknown = set(args.phases.split(",")) - set(PHASES)
    if unknown:
        parser.error(f"unknown phases: {', '.join(sorted(unknown))}")
    return args


def _guarded(name: str, fn: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run one phase; a failure is recorded in the report, the other phases still run."""
    progress(f"{name}: start")
    t0 = time.monotonic()
    try:
        result = fn()
    except Exception as exc:
        traceback.print_exc(file=sys.stderr)
        result = {"error": f"{type(exc).__name__}: {exc}"[:2000]}
    result["phase_seconds"] = round(time.monotonic() - t0, 1)
    progress(f"{name}: done in {result['phase_seconds']}s")
    return result


def _packages() -> dict[str, Any]:
    script = REPO_ROOT / "infra" / "package_functions.py"
    # five builds for python3.12 and three cold imports each: minutes on a small machine
    return run_json([sys.executable, str(script), "--json"], timeout=900)


@contextlib.contextmanager
def _fresh_stack(name: str, *, journal: bool = True) -> Iterator[StackProcess]:
    """A fresh local stack in a temporary home; stopped, and its emulator gone, after."""
    with tempfile.TemporaryDirectory(prefix=f"factcheck-bench-{name}-") as tmp:
        home = Path(tmp) / "home"
        progress(f"{name}: starting a fresh local stack ({'' if journal else 'no '}journal)")
        stack = start_stack(home, sweep_interval=30.0, fresh=True, journal=journal)
        pid = emulator_pid(home)
        try:
            yield stack
        finally:
            stack.stop()
            if kill_emulator(home, pid):
                progress(f"{name}: the emulator outlived the stack; killed it")


def _pipeline_run(args: argparse.Namespace, journal: bool) -> dict[str, Any]:
    with _fresh_stack("pipeline", journal=journal) as stack:
        return pipeline.run(stack, count=args.documents, budget=args.pipeline_seconds)


def _pipeline_phase(args: argparse.Namespace) -> dict[str, Any]:
    """As `make run` runs it (journalled), then, in the same run, without the journal."""
    result = _pipeline_run(args, journal=True)
    if not args.no_journal_compare:
        result["without_journal"] = _pipeline_run(args, journal=False)
        result["journal_cost"] = pipeline.journal_cost(result, result["without_journal"])
    return result


def _api_run(args: argparse.Namespace, journal: bool) -> dict[str, Any]:
    """On its own stack, seeded and drained first: the API's latency, not the pipeline's."""
    with _fresh_stack("api", journal=journal) as stack:
        seeded = pipeline.run(stack, count=args.api_documents, budget=args.pipeline_seconds)
        result = api_load.run(stack, seconds=args.api_seconds)
        result["seed"] = {k: seeded[k] for k in ("documents", "claims", "completed")}
        return result


def _api_phase(args: argparse.Namespace) -> dict[str, Any]:
    result = _api_run(args, journal=True)
    if not args.no_journal_compare:
        result["without_journal"] = _api_run(args, journal=False)
        result["journal_cost"] = api_load.journal_cost(result, result["without_journal"])
    return result


def _write(out_dir: Path, report: dict[str, Any]) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    current = out_dir / REPORT
    if current.exists():
        current.replace(out_dir / PREVIOUS)
    for phase, result in report["phases"].items():
        (out_dir / f"{phase}.json").write_text(
            json.dumps({"machine": report["machine"], **result}, indent=2) + "\n"
        )
    current.write_text(json.dumps(report, indent=2) + "\n")


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    wanted = set(args.phases.split(","))
    t0 = time.monotonic()
    previous_file = args.out / REPORT
    previous = json.loads(previous_file.read_text()) if previous_file.exists() else None
    report: dict[str, Any] = {"machine": machine_info(), "quick": args.quick, "phases": {}}
    phases = report["phases"]
    if "extraction" in wanted:
        phases["extraction"] = _guarded(
            "extraction", lambda: extraction.run(args.extraction_seconds)
        )
    if "imports" in wanted:
        phases["imports"] = _guarded("imports", lambda: imports.run(args.import_repeats))
    if "packages" in wanted:
        phases["packages"] = _guarded("packages", _packages)
    if "pipeline" in wanted:
        phases["pipeline"] = _guarded("pipeline", lambda: _pipeline_phase(args))
    if "api" in wanted:
        phases["api"] = _guarded("api", lambda: _api_phase(args))
    if "journal" in wanted:
        phases["journal"] = _guarded("journal", lambda: journal_bench.run(args.journal_writes))
    report["total_seconds"] = round(time.monotonic() - t0, 1)
    report["comparison"] = compare(report, previous)
    _write(args.out, report)
    print(table(report))
    print(f"\nreports in {args.out} ({report['total_seconds']}s)")
    return 1 if any("error" in p for p in phases.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
