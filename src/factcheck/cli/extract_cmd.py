"""`factcheck extract PATH|-`: the check-worthy claims of a text or HTML document.

Also home of the input checks shared with `factcheck eval` (size before reading, empty,
binary, not UTF-8): bad input is one `CliError` line, never a traceback. The extraction
package is imported inside `run`, so `factcheck --help` stays fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from factcheck.cli import CliError

MAX_INPUT_BYTES = 50 * 1024 * 1024
_CONTROL_OK = {"\t", "\n", "\r", "\f", "\v"}


def unit_interval(raw: str) -> float:
    """argparse type: a float in [0, 1]."""
    try:
        value = float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {raw!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {raw}")
    return value


def _read_bytes(path: str) -> bytes:
    if path == "-":
        data: bytes = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        if len(data) > MAX_INPUT_BYTES:
            raise CliError("standard input is larger than the 50 MB limit")
        return data
    file = Path(path)
    if not file.exists():
        raise CliError(f"{path}: no such file")
    if not file.is_file():
        raise CliError(f"{path}: not a regular file")
    size = file.stat().st_size
    if size > MAX_INPUT_BYTES:
        raise CliError(f"{path}: file is too large ({size / 2**20:.1f} MB; the limit is 50 MB)")
    try:
        return file.read_bytes()
    except OSError as exc:
        raise CliError(f"{path}: cannot read ({exc.strerror or exc})") from exc


def read_text(path: str) -> str:
    """The UTF-8 text of `path` (or stdin for "-"), refusing empty, binary or huge input."""
    data = _read_bytes(path)
    name = "standard input" if path == "-" else path
    if not data.strip():
        raise CliError(f"{name}: input is empty")
    if b"\x00" in data:
        raise CliError(f"{name}: looks like a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CliError(f"{name}: not UTF-8 text (bad byte at offset {exc.start})") from exc
    controls = sum(1 for ch in text if ch < " " and ch not in _CONTROL_OK)
    if controls > max(2, len(text) // 100):
        raise CliError(f"{name}: looks like a binary file, not text")
    return text


def settings_threshold() -> float | None:
    """FACTCHECK_EXTRACTION_THRESHOLD, when set (read here, not at import)."""
    from factcheck.settings import get_settings

    try:
        return get_settings().extraction_threshold
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        raise CliError(f"invalid settings: {str(exc).splitlines()[0]}") from exc


def load_scorer(kind: str) -> Any:
    """The scorer for `--model`; a missing neural model is an expected failure."""
    from factcheck.extraction.scorer import default_scorer

    try:
        return default_scorer(kind)
    except LookupError as exc:
        raise CliError(str(exc)) from exc


def add_model_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model",
        choices=("auto", "linear", "neural"),
        default="auto",
        help="scoring model (default: neural when installed, else linear)",
    )


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "extract",
        help="find the check-worthy claims in a text or HTML document",
        description="Find the check-worthy claims in a text or HTML file (HTML is "
        "detected and reduced to its main text first).",
    )
    parser.add_argument(
        "paths",
        metavar="PATH",
        nargs="+",
        help="text or HTML file, or - for stdin; with several files, json output is one "
        "object mapping each path to its array of claims",
    )
    parser.add_argument("--format", choices=("json", "table"), default="table")
    parser.add_argument(
        "--threshold",
        type=unit_interval,
        default=None,
        help="keep sentences scoring at least this (default: the model's dev-chosen one)",
    )
    parser.add_argument(
        "--all",
        dest="include_all",
        action="store_true",
        help="print every sentence with its score, gate and whether it was selected",
    )
    add_model_option(parser)
    parser.set_defaults(func=run)


def _table(rows: list[dict[str, Any]], threshold: float) -> str:
    if not rows:
        return "no claims found"
    lines = [f"{'score':>6}  {'span':>11}  {'categories':<24}  text"]
    for row in rows:
        mark = "*" if row.get("selected", row["score"] >= threshold) else " "
        span = f"{row['start']}-{row['end']}"
        cats = ",".join(row["categories"])[:24]
        text = " ".join(row["text"].split())
        text = text if len(text) <= 100 else text[:99] + "…"
        lines.append(f"{row['score']:>6.3f}{mark} {span:>11}  {cats:<24}  {text}")
    return "\n".join(lines)


STATUS_EXIT = 3  # some input had no article text or is in an unsupported language


def status_message(path: str, status: str, language: str | None) -> str | None:
    """The stderr line for a document that yields no claims by design, or None."""
    if status == "no_text":
        return f"{path}: no article text found (no_text); no claims"
    if status == "unsupported_language":
        return (
            f"{path}: the text is in language {language!r}, which the English scorer does not "
            "support (unsupported_language); no claims"
        )
    return None


def run(args: argparse.Namespace) -> int:
    texts = {path: read_text(path) for path in args.paths}  # all inputs checked first
    from factcheck.extraction.extractor import extract_document

    scorer = load_scorer(args.model)
    threshold = args.threshold if args.threshold is not None else settings_threshold()
    bar = scorer.threshold if threshold is None else threshold
    results: dict[str, list[dict[str, Any]]] = {}
    status = 0
    for path, text in texts.items():
        result = extract_document(text, threshold=threshold, scorer=scorer)
        chosen = result.sentences if args.include_all else result.claims
        results[path] = [claim.to_dict() for claim in chosen]
        message = status_message(path, result.status, result.language)
        if message:
            print(f"factcheck extract: {message}", file=sys.stderr)
            status = STATUS_EXIT
    if args.format == "json":
        single = len(results) == 1
        payload: Any = next(iter(results.values())) if single else results
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return status
    for n, (path, rows) in enumerate(results.items()):
        if len(results) > 1:
            print(("\n" if n else "") + f"== {path}")
        print(_table(rows, bar))
    return status
