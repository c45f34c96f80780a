"""Train the shipped linear model: `python -m factcheck.extraction.train_linear`.

Needs scikit-learn, which is NOT a runtime dependency; use the training venv:
    python3.11 -m venv .venv-train && .venv-train/bin/pip install scikit-learn numpy
    PYTHONPATH=src .venv-train/bin/python -m factcheck.extraction.train_linear

Fits a logistic regression on ../shared/eval/checkworthy_train.jsonl over hashed word
uni/bi-grams plus the rule features; picks the regularisation C by dev average precision
and then the threshold that maximises dev F1 of the *final* scorer (model + rule gates
and boosts, exactly as `factcheck extract` scores). Dev is used for these two choices
only; nothing is fitted on it. Deterministic (lbfgs, fixed data order). Prints dev metrics
and writes `linear_model.json` next to this file.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from factcheck.extraction.features import RULE_FEATURES, dense_vector, hashed, rule_features
from factcheck.extraction.linear import ARTIFACT, LinearModel
from factcheck.extraction.metrics import average_precision, best_threshold, evaluate
from factcheck.extraction.scorer import Scorer

REPO = Path(__file__).resolve().parents[3]
DATA_DIR = REPO / ".." / "shared" / "eval"
C_GRID: tuple[float, ...] = (0.03, 0.1, 0.3, 1.0)
N_BUCKETS = 1 << 18
DECIMALS = 4


def load_jsonl(path: Path) -> tuple[list[str], list[int]]:
    texts: list[str] = []
    labels: list[int] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            texts.append(str(row["text"]))
            labels.append(int(row["label"]))
    return texts, labels


def design_matrix(texts: Sequence[str], n_buckets: int) -> Any:
    """CSR matrix: hashed n-gram columns, then one column per rule feature."""
    from scipy import sparse

    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for i, text in enumerate(texts):
        for bucket, value in hashed(text, n_buckets).items():
            rows.append(i)
            cols.append(bucket)
            vals.append(value)
        for j, value in enumerate(dense_vector(rule_features(text))):
            if value:
                rows.append(i)
                cols.append(n_buckets + j)
                vals.append(value)
    shape = (len(texts), n_buckets + len(RULE_FEATURES))
    return sparse.csr_matrix((vals, (rows, cols)), shape=shape, dtype=np.float64)


def fit(x: Any, y: Sequence[int], c: float) -> Any:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, solver="lbfgs", max_iter=5000)
    model.fit(x, np.asarray(y))
    return model


def to_artifact(model: Any, n_buckets: int, c: float) -> dict[str, Any]:
    """The JSON artifact: sparse n-gram weights, rule weights, bias (threshold set later)."""
    coef = np.round(model.coef_[0], DECIMALS)
    ngram = coef[:n_buckets]
    index = np.nonzero(ngram)[0]
    return {
        "name": "linear",
        "version": 1,
        "kind": "logistic regression, hashed word uni/bi-grams (crc32) + rule features",
        "trained_on": "checkworthy_train.jsonl (CheckThat! 2024 Task 1 English train)",
        "C": c,
        "n_buckets": n_buckets,
        "bias": round(float(model.intercept_[0]), DECIMALS),
        "rule_weights": {
            name: float(w) for name, w in zip(RULE_FEATURES, coef[n_buckets:], strict=True)
        },
        "ngram_index": [int(i) for i in index],
        "ngram_weight": [float(w) for w in ngram[index]],
        "threshold": 0.5,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    parser.add_argument("--out", type=Path, default=ARTIFACT)
    parser.add_argument("--buckets", type=int, default=N_BUCKETS)
    args = parser.parse_args(argv)

    train_x_text, train_y = load_jsonl(args.data_dir / "checkworthy_train.jsonl")
    dev_text, dev_y = load_jsonl(args.data_dir / "checkworthy_dev.jsonl")
    x_train = design_matrix(train_x_text, args.buckets)
    x_dev = design_matrix(dev_text, args.buckets)

    best: tuple[float, float, Any] | None = None
    for c in C_GRID:
        model = fit(x_train, train_y, c)
        ap = average_precision(model.predict_proba(x_dev)[:, 1].tolist(), dev_y)
        print(f"C={c:<5} dev AP (model only) = {ap:.4f}")
        if best is None or ap > best[0]:
            best = (ap, c, model)
    assert best is not None
    _, c, model = best

    artifact = to_artifact(model, args.buckets, c)
    linear = LinearModel(artifact)
    provisional = Scorer(linear, linear.threshold, "linear")
    # Threshold on the final score; the cap depends on the threshold, so iterate to a fixpoint.
    threshold = 0.5
    for _ in range(5):
        provisional.threshold = threshold
        final = [s.score for s in provisional.score(dev_text)]
        new = best_threshold(final, dev_y)
        if abs(new - threshold) < 1e-9:
            break
        threshold = new
    artifact["threshold"] = round(threshold, DECIMALS)
    provisional.threshold = artifact["threshold"]
    final = [s.score for s in provisional.score(dev_text)]
    metrics = evaluate(final, dev_y, artifact["threshold"])
    artifact["dev_metrics"] = metrics.to_dict()
    args.out.write_text(json.dumps(artifact, separators=(",", ":")) + "\n", encoding="utf-8")
    size_kb = args.out.stat().st_size / 1024
    print(f"chosen C={c}, threshold={artifact['threshold']} (max dev F1 of the final score)")
    print("dev:", json.dumps(metrics.to_dict()))
    print(f"wrote {args.out} ({size_kb:.0f} KiB, {len(artifact['ngram_index'])} n-gram weights)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
