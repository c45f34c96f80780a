"""Fit the score's calibration and the per-article selection on labelled news pages.

`python -m factcheck.training.calibrate --pages DIR --labels FILE` runs the extractor on
every labelled page with the raw model (no calibration), labels each sentence the gates
let through by the labelled sentence it matches (page_eval's matching), and splits the
pages by name in two: the "fit" half (every other page, sorted by name) fits Platt
scaling (P = sigmoid(a * logit + b)) and chooses the threshold and the budget per 1,000
words that maximise pooled F1; the other half is only measured (ECE, F1, P@5, flag rate).
Writes `calibration.json` beside the extractor with the fitted values and what they were
fitted on, and prints the report as JSON.
"""

from __future__ import annotations

import argparse
import json
import pickle
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from factcheck.extraction import page_eval
from factcheck.extraction.extractor import ExtractedClaim, extract_document
from factcheck.extraction.metrics import calibration_error
from factcheck.extraction.scorer import CALIBRATION_FILE, Calibration, Scorer, default_scorer
from factcheck.extraction.select import Selection, select
from factcheck.training.news import split_pages

THRESHOLDS = [round(0.30 + 0.02 * i, 2) for i in range(31)]  # 0.30 .. 0.90
BUDGETS: list[float | None] = [None, 4, 6, 8, 10, 12, 14, 16, 20, 25]
BINS = 10


def fit_platt(logits: Sequence[float], labels: Sequence[int], steps: int = 100) -> Calibration:
    """Maximum-likelihood a, b of sigmoid(a*z + b) by Newton's method (2 parameters)."""
    z = np.asarray(logits, dtype=float)
    y = np.asarray(labels, dtype=float)
    x = np.stack([z, np.ones_like(z)], axis=1)
    w = np.array([1.0, 0.0])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        grad = x.T @ (p - y)
        hess = (x * (p * (1 - p))[:, None]).T @ x + 1e-9 * np.eye(2)
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.abs(step).max()) < 1e-10:
            break
    return Calibration(float(w[0]), float(w[1]))


def ece(probs: Sequence[float], labels: Sequence[int], bins: int = BINS) -> dict[str, Any]:
    """Expected calibration error and reliability table (the extractor's own metric)."""
    return dict(calibration_error(probs, labels, bins))


def _labelled(
    every: list[ExtractedClaim], labelled: list[page_eval.LabelledSentence]
) -> list[tuple[float, int]]:
    out: list[tuple[float, int]] = []
    for s in every:
        if s.gate is not None:
            continue
        best, _ = page_eval._match(s.text, labelled)
        hit = best is not None and labelled[best].label == 1 and not labelled[best].furniture
        out.append((s.logit, int(hit)))
    return out


def _recalibrated(every: list[ExtractedClaim], cal: Calibration) -> list[ExtractedClaim]:
    return [replace(s, score=cal(s.logit), reasons={"model": cal(s.logit)}) for s in every]


def _pooled(
    pages: dict[str, tuple[list[ExtractedClaim], int]],
    labels: dict[str, list[page_eval.LabelledSentence]],
    rule: Selection,
) -> dict[str, Any]:
    reports = []
    for name, (every, words) in pages.items():
        chosen = [s for s in select(every, rule, words) if s.selected]
        reports.append(
            page_eval.evaluate_page(name, page_eval.PageOutcome("ok", chosen), labels[name])
        )
    return page_eval.pooled(reports)


def choose(
    pages: dict[str, tuple[list[ExtractedClaim], int]],
    labels: dict[str, list[page_eval.LabelledSentence]],
) -> tuple[Selection, dict[str, Any]]:
    """The threshold and budget with the best pooled F1 (ties: the smaller flag rate)."""
    best: tuple[tuple[float, float], Selection, dict[str, Any]] | None = None
    for threshold in THRESHOLDS:
        for per in BUDGETS:
            rule = Selection(threshold=threshold, per_1000_words=per)
            got = _pooled(pages, labels, rule)
            key = (got["f1"], -(got["flag_rate"] or 0.0))
            if best is None or key > best[0]:
                best = (key, rule, got)
    assert best is not None
    return best[1], best[2]


Extracted = dict[str, tuple[list[ExtractedClaim], int]]


def segment(
    pages_dir: Path, names: Sequence[str], scorer: Scorer, progress: bool = True
) -> Extracted:
    """Every sentence (with its gate and logit) and the word count of each page."""
    extracted: Extracted = {}
    for n, name in enumerate(names, start=1):
        html = (pages_dir / f"{name}.html").read_text(encoding="utf-8", errors="replace")
        result = extract_document(html, scorer=scorer, html=True)
        extracted[name] = (result.sentences, result.words)
        if progress:
            print(f"[{n}/{len(names)}] {name}: {len(result.sentences)} sentences", flush=True)
    return extracted


def load_segments(cache: Path, names: Sequence[str]) -> Extracted | None:
    """The cached segmentation of `names` (pickle written by `save_segments`), or None."""
    if not cache.is_file():
        return None
    got: Extracted = pickle.loads(cache.read_bytes())
    return {n: got[n] for n in names} if set(names) <= set(got) else None


def save_segments(cache: Path, extracted: Extracted) -> None:
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(pickle.dumps(extracted))


def rescored(extracted: Extracted, scorer: Scorer) -> Extracted:
    """The same sentences with `scorer`'s logits: one call per page, as `extract_document`
    makes, so the logits are the ones a fresh extraction would give. Structure, sentences
    and gates do not depend on the model, so a cached segmentation serves every model."""
    out: Extracted = {}
    for name, (sentences, words) in extracted.items():
        scores = scorer.score([s.text for s in sentences]) if sentences else []
        out[name] = (
            [replace(s, logit=z.logit) for s, z in zip(sentences, scores, strict=True)],
            words,
        )
    return out


def fit_and_report(
    extracted: Extracted,
    labels: dict[str, list[page_eval.LabelledSentence]],
    fit_names: Sequence[str],
    held_names: Sequence[str],
) -> tuple[Calibration, Selection, dict[str, Any]]:
    """Platt fit and the selection grid on the fit pages; the report measures both halves."""
    names = [*fit_names, *held_names]
    pairs = {n: _labelled(extracted[n][0], labels[n]) for n in names}
    fit_pairs = [p for n in fit_names for p in pairs[n]]
    held_pairs = [p for n in held_names for p in pairs[n]]
    cal = fit_platt([z for z, _ in fit_pairs], [y for _, y in fit_pairs])
    sig = Calibration()
    report: dict[str, Any] = {
        "calibration": {"a": round(cal.a, 6), "b": round(cal.b, 6)},
        "fit_pages": list(fit_names),
        "held_out_pages": list(held_names),
        "held_out_sentences": len(held_pairs),
        "held_out_ece_raw_sigmoid": ece(
            [sig(z) for z, _ in held_pairs], [y for _, y in held_pairs]
        ),
        "held_out_ece_calibrated": ece([cal(z) for z, _ in held_pairs], [y for _, y in held_pairs]),
    }
    fitted = {n: (_recalibrated(extracted[n][0], cal), extracted[n][1]) for n in names}
    rule, fit_scores = choose({n: fitted[n] for n in fit_names}, labels)
    report["selection"] = {
        "threshold": rule.threshold,
        "budget_per_1000_words": rule.per_1000_words,
        "min_claims": rule.min_claims,
    }
    report["fit_pages_pooled"] = fit_scores
    report["held_out_pages_pooled"] = _pooled({n: fitted[n] for n in held_names}, labels, rule)
    report["all_pages_pooled"] = _pooled(fitted, labels, rule)
    return cal, rule, report


def run(
    pages_dir: Path,
    labels_file: Path,
    out: Path,
    kind: str = "auto",
    cache: Path | None = None,
) -> dict[str, Any]:
    labels = page_eval.read_labels(labels_file)
    base = default_scorer(kind)
    raw = Scorer(base.model, base.threshold, base.name, Calibration())
    fit_names, held_names = split_pages(n for n in labels if (pages_dir / f"{n}.html").is_file())
    names = sorted([*fit_names, *held_names])
    cached = load_segments(cache, names) if cache is not None else None
    if cached is not None:
        extracted = rescored(cached, raw)
    else:
        extracted = segment(pages_dir, names, raw)
        if cache is not None:
            save_segments(cache, extracted)
    cal, rule, report = fit_and_report(extracted, labels, fit_names, held_names)
    data = json.loads(out.read_text(encoding="utf-8")) if out.is_file() else {}
    data[base.name] = {
        "a": round(cal.a, 6),
        "b": round(cal.b, 6),
        "threshold": rule.threshold,
        "budget_per_1000_words": rule.per_1000_words,
        "min_claims": rule.min_claims,
        "fitted_on": {
            "labels": labels_file.name,
            "pages": fit_names,
            "held_out_pages": held_names,
            "command": "python -m factcheck.training.calibrate --pages DIR --labels FILE",
        },
        "held_out_ece": report["held_out_ece_calibrated"]["ece"],
    }
    out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", required=True, type=Path)
    parser.add_argument("--labels", required=True, type=Path)
    parser.add_argument("--out", type=Path, default=CALIBRATION_FILE)
    parser.add_argument("--model", default="auto", choices=("auto", "linear", "neural"))
    parser.add_argument(
        "--cache",
        type=Path,
        default=None,
        help="pickle of the pages' segmentation: read when present (the pages are then only "
        "re-scored), else written",
    )
    args = parser.parse_args(argv)
    report = run(args.pages, args.labels, args.out, args.model, args.cache)
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
