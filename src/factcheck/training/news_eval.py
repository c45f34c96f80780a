"""Compare candidate models on the held-out news pages and debates dev, each calibrated
on the fit pages only, without re-running the page segmentation for every model.

    python -m factcheck.training.news_eval --pages ../shared/eval/news/pages \\
        --labels ../shared/eval/news/news_dev.jsonl --dev ../shared/eval/checkworthy_dev.jsonl \\
        --cache /tmp/news_segments.pkl MODEL_DIR [MODEL_DIR ...]

The pages are segmented once (structure, sentences, gates: none of them depends on the
model) and cached; each model then scores every page's sentences in one call, as the
extractor does, so its logits are the ones `extract_document` would give. For each model
the calibration and the selection are fitted on the fit pages exactly as
`factcheck.training.calibrate` fits them, and it reports the held-out pages' pooled
figures and debates dev F1 at the fitted threshold (gated sentences count 0, as in
`factcheck eval FILE.jsonl`). Writes nothing into the package.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from factcheck.extraction import page_eval
from factcheck.extraction.features import rule_features
from factcheck.extraction.metrics import evaluate
from factcheck.extraction.neural import MODEL_FILE, TOKENIZER_FILE, NeuralScorer, read_card
from factcheck.extraction.scorer import Calibration, Scorer, default_scorer, rule_gate
from factcheck.training.calibrate import (
    Extracted,
    fit_and_report,
    load_segments,
    rescored,
    save_segments,
    segment,
)
from factcheck.training.news import split_pages

KEYS = (
    "precision",
    "recall",
    "f1",
    "precision_at_5",
    "mean_average_precision",
    "flag_rate",
    "label_rate",
    "claims",
    "furniture_claims",
    "joined_claims",
)


def segments(pages_dir: Path, names: Sequence[str], cache: Path | None) -> Extracted:
    """The pages' sentences and word counts, from `cache` when it holds them all."""
    cached = load_segments(cache, names) if cache is not None else None
    if cached is not None:
        return cached
    base = default_scorer("neural")
    extracted = segment(pages_dir, names, Scorer(base.model, base.threshold, base.name))
    if cache is not None:
        save_segments(cache, extracted)
    return extracted


def debates(model: NeuralScorer, cal: Calibration, threshold: float, dev: Path) -> dict[str, Any]:
    """Debates dev metrics at the fitted threshold; gated sentences count as score 0."""
    rows = [json.loads(line) for line in dev.read_text(encoding="utf-8").splitlines() if line]
    texts = [str(r["text"]) for r in rows]
    labels = [int(r["label"]) for r in rows]
    logits = model.predict_logits(texts)
    scores = [
        0.0 if rule_gate(rule_features(t)) is not None else cal(z)
        for t, z in zip(texts, logits, strict=True)
    ]
    return dict(evaluate(scores, labels, threshold).to_dict())


def judge(
    model_dir: Path,
    extracted: Extracted,
    labels: dict[str, list[page_eval.LabelledSentence]],
    fit: Sequence[str],
    held: Sequence[str],
    dev: Path | None,
) -> dict[str, Any]:
    card = read_card(model_dir)
    model = NeuralScorer(
        model_dir / MODEL_FILE, model_dir / TOKENIZER_FILE, max_length=int(card["max_length"])
    )
    raw = Scorer(model, model.threshold, "neural", Calibration())
    cal, rule, report = fit_and_report(rescored(extracted, raw), labels, fit, held)
    out: dict[str, Any] = {
        "model_dir": str(model_dir),
        "calibration": report["calibration"],
        "selection": report["selection"],
        "held_out": {k: report["held_out_pages_pooled"].get(k) for k in KEYS},
        "fit": {k: report["fit_pages_pooled"].get(k) for k in KEYS},
        "held_out_ece": report["held_out_ece_calibrated"]["ece"],
    }
    if dev is not None:
        out["debates_dev"] = debates(model, cal, rule.threshold, dev)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m factcheck.training.news_eval")
    p.add_argument("model_dirs", nargs="+", type=Path, help="folders with model.int8.onnx")
    p.add_argument("--pages", type=Path, required=True)
    p.add_argument("--labels", type=Path, required=True)
    p.add_argument("--dev", type=Path, default=None, help="debates dev JSONL")
    p.add_argument("--cache", type=Path, default=None, help="pickle of the segmented pages")
    args = p.parse_args(argv)
    labels = page_eval.read_labels(args.labels)
    fit, held = split_pages(n for n in labels if (args.pages / f"{n}.html").is_file())
    extracted = segments(args.pages, sorted([*fit, *held]), args.cache)
    for model_dir in args.model_dirs:
        print(json.dumps(judge(model_dir, extracted, labels, fit, held, args.dev)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
