"""`factcheck eval FILE.jsonl` and `factcheck eval --pages DIR --labels FILE`.

Sentences: each line is `{"id", "text", "label"}` (label 1 = check-worthy); all rows are
scored in one batch with exactly the scorer `factcheck extract` uses (gated ones count 0).
Pages: the whole extractor runs on every `DIR/*.html` and its claims are matched to the
labelled sentences of `FILE` (`{page, text, label, furniture}` per line; see
`factcheck.extraction.page_eval`); a JSON report (`--json`) or a table per page + pooled.
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
    parser.add_argument(
        "file", metavar="FILE.jsonl", nargs="?", help="labelled JSONL file, or - for stdin"
    )
    parser.add_argument(
        "--pages", metavar="DIR", help="folder of HTML pages to run the whole extractor on"
    )
    parser.add_argument(
        "--labels", metavar="FILE", help="labelled sentences of the pages ({page, text, label})"
    )
    parser.add_argument(
        "--via-pipeline",
        nargs="?",
        const="layout",
        choices=("layout", "text"),
        default=None,
        help="pages: run them as the product does (the API renders and stores the page, the "
        "pipeline extracts the stored document); 'text' drops the stored layout, as for a "
        "document stored before layouts were kept",
    )
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
    if args.pages or args.labels:
        return run_pages(args)
    if not args.file:
        raise CliError("give a labelled FILE.jsonl, or --pages DIR --labels FILE")
    texts, labels = read_labelled(args.file)
    from factcheck.extraction.metrics import evaluate

    scorer = load_scorer(args.model)
    threshold = args.threshold if args.threshold is not None else settings_threshold()
    bar = scorer.threshold if threshold is None else threshold
    # a sentence a rule gates is never a claim: it counts as score 0 here
    scores = [s.score if s.gate is None else 0.0 for s in scorer.score(texts)]
    metrics = evaluate(scores, labels, bar).to_dict()
    if args.json:
        print(json.dumps(metrics))
    else:
        print(f"model      {scorer.name}")
        for key, value in metrics.items():
            print(f"{key:<18} {value}")
    return 0


def run_pages(args: argparse.Namespace) -> int:
    """Page-level evaluation of the whole extractor (segmentation, gates, selection)."""
    from pathlib import Path

    if not (args.pages and args.labels):
        raise CliError("--pages DIR and --labels FILE go together")
    pages = Path(args.pages)
    if not pages.is_dir():
        raise CliError(f"{args.pages}: not a folder")
    if not Path(args.labels).is_file():
        raise CliError(f"{args.labels}: no such file")
    from factcheck.extraction import page_eval
    from factcheck.extraction.extractor import extract_document

    try:
        labels = page_eval.read_labels(Path(args.labels))
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    if not labels:
        raise CliError(f"{args.labels}: no labelled rows")
    scorer = load_scorer(args.model)
    threshold = args.threshold if args.threshold is not None else settings_threshold()

    def run_page(html: str) -> page_eval.PageOutcome:
        if args.via_pipeline:
            return _via_pipeline(html, args.via_pipeline == "layout", threshold, scorer)
        result = extract_document(html, threshold=threshold, scorer=scorer)
        return _outcome(result)

    report = page_eval.evaluate_pages(pages, labels, run_page)
    report["model"] = scorer.name
    report["path"] = f"pipeline ({args.via_pipeline})" if args.via_pipeline else "html"
    print(json.dumps(report, indent=1) if args.json else page_eval.table(report))
    return 0


def _via_pipeline(html: str, with_layout: bool, threshold: float | None, scorer: Any) -> Any:
    """One page the product's way: the API's Document (rendered text, metadata, layout)
    through the store's encoding and back, then the pipeline's extraction of it."""
    from factcheck.api.documents import document_from_input
    from factcheck.domain.errors import DocumentTooLarge, InvalidInput
    from factcheck.domain.models import Document
    from factcheck.extraction import page_eval
    from factcheck.extraction.extractor import extract_document
    from factcheck.settings import get_settings
    from factcheck.storage.codec import serialise, to_model
    from factcheck.storage.documents import document_item

    try:
        submitted = document_from_input({"html": html}, get_settings().max_document_bytes)
    except (InvalidInput, DocumentTooLarge) as exc:
        return page_eval.PageOutcome(status=f"refused ({exc.__class__.__name__})", claims=[])
    doc = to_model(Document, serialise(document_item(submitted)))
    result = extract_document(  # as `pipeline.services.make_extractor` calls it
        doc.text,
        doc_id=doc.id,
        threshold=threshold,
        scorer=scorer,
        html=False,
        layout=doc.layout if with_layout else None,
    )
    return _outcome(result)


def _outcome(result: Any) -> Any:
    """What the page evaluator needs of an ExtractionResult (either path)."""
    from factcheck.extraction import page_eval

    return page_eval.PageOutcome(
        status=result.status,
        claims=result.claims,
        sentences=len(result.sentences),
        language=result.language,
        scored=[s for s in result.sentences if s.gate is None],
        every=result.sentences,
    )
