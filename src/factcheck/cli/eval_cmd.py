"""`factcheck eval FILE.jsonl`: precision, recall, F1 and AP of the extractor's scorer.

Each line is `{"id", "text", "label"}` (label 1 = check-worthy). All rows are scored in one
batch with exactly the scorer `factcheck extract` uses (model + rule gates and boosts).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from factcheck.cli import CliError
from factcheck.cli.extract_cmd import (
    add_model_option,
    load_scorer,
    read_text,
    settings_threshold,
    unit_interval,
)

_LABELS: dict[object, int] = {0: 0, 1: 1, "0": 0, "1": 1, "no": 0, "yes": 1}


def parse_row(line: str, where: str) -> tuple[str, int]:
    """(text, label) of one JSONL line; `where` ("FILE:LINE") prefixes any error."""
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise CliError(f"{where}: invalid JSON ({exc.msg})") from exc
    if not isinstance(row, dict):
        raise CliError(f"{where}: expected a JSON object")
    text = row.get("text")
    if not isinstance(text, str):
        raise CliError(f"{where}: missing or non-string 'text'")
    raw = row.get("label")
    key = raw.strip().lower() if isinstance(raw, str) else raw
    try:
        label = _LABELS[key]  # bools hash like 0 and 1
    except (KeyError, TypeError):
        raise CliError(f"{where}: 'label' must be 0 or 1, got {raw!r}") from None
    return text, label


def read_labelled(path: str) -> tuple[list[str], list[int]]:
    """Texts and labels of a JSONL file, with the first bad line named in the error."""
    texts: list[str] = []
    labels: list[int] = []
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if line.strip():
            text, label = parse_row(line, f"{path}:{number}")
            texts.append(text)
            labels.append(label)
    if not texts:
        raise CliError(f"{path}: no labelled rows")
    return texts, labels


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "eval",
        help="score labelled JSONL and print precision, recall, F1, AP",
        description="Score a labelled JSONL file ({id, text, label} per line; label 1 = "
        "check-worthy) and print precision, recall and F1 of the positive class, average "
        "precision and n.",
    )
    parser.add_argument("file", metavar="FILE.jsonl", help="labelled JSONL file, or - for stdin")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--threshold",
        type=unit_interval,
        default=None,
        help="decision threshold (default: the model's dev-chosen one)",
    )
    add_model_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    texts, labels = read_labelled(args.file)
    from factcheck.extraction.metrics import evaluate

    scorer = load_scorer(args.model)
    threshold = args.threshold if args.threshold is not None else settings_threshold()
    bar = scorer.threshold if threshold is None else threshold
    scores = [s.score for s in scorer.score(texts)]
    metrics = evaluate(scores, labels, bar).to_dict()
    if args.json:
        print(json.dumps(metrics))
    else:
        print(f"model      {scorer.name}")
        for key, value in metrics.items():
            print(f"{key:<18} {value}")
    return 0
