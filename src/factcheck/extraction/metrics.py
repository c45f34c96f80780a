"""Binary classification metrics by hand in numpy (scikit-learn is not a runtime dependency).

`average_precision` follows scikit-learn's `average_precision_score`:
AP = sum_n (R_n - R_{n-1}) * P_n over the distinct score thresholds, highest first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class Metrics:
    precision: float
    recall: float
    f1: float
    average_precision: float
    n: int
    threshold: float

    def to_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "average_precision": round(self.average_precision, 4),
            "n": self.n,
            "threshold": round(self.threshold, 4),
        }


def precision_recall_f1(
    scores: Sequence[float], labels: Sequence[int], threshold: float
) -> tuple[float, float, float]:
    """Precision, recall and F1 of the positive class for `score >= threshold`."""
    s = np.asarray(scores, dtype=float)
    y = np.asarray(labels, dtype=int)
    predicted = s >= threshold
    tp = float(np.sum(predicted & (y == 1)))
    fp = float(np.sum(predicted & (y == 0)))
    fn = float(np.sum(~predicted & (y == 1)))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _curve(scores: Sequence[float], labels: Sequence[int]) -> tuple[np.ndarray, ...]:
    """Precision, recall and threshold at each distinct score, highest score first."""
    s = np.asarray(scores, dtype=float)
    y = np.asarray(labels, dtype=int)
    order = np.argsort(-s, kind="mergesort")
    s, y = s[order], y[order]
    last_of_tie = np.r_[np.nonzero(np.diff(s))[0], s.size - 1]
    tps = np.cumsum(y)[last_of_tie].astype(float)
    fps = (last_of_tie + 1) - tps
    positives = float(y.sum())
    precision = tps / np.maximum(tps + fps, 1.0)
    recall = tps / positives if positives else np.zeros_like(tps)
    return precision, recall, s[last_of_tie]


def average_precision(scores: Sequence[float], labels: Sequence[int]) -> float:
    """Area under the step precision-recall curve (scikit-learn's definition); 0 if no data."""
    if len(scores) == 0 or int(np.sum(np.asarray(labels))) == 0:
        return 0.0
    precision, recall, _ = _curve(scores, labels)
    previous = np.r_[0.0, recall[:-1]]
    return float(np.sum((recall - previous) * precision))


def best_threshold(scores: Sequence[float], labels: Sequence[int]) -> float:
    """The score threshold that maximises positive-class F1 (ties: the higher threshold)."""
    if len(scores) == 0:
        return 0.5
    precision, recall, thresholds = _curve(scores, labels)
    denom = precision + recall
    f1 = np.where(denom > 0, 2 * precision * recall / np.where(denom > 0, denom, 1.0), 0.0)
    return float(thresholds[int(np.argmax(f1))])


def evaluate(scores: Sequence[float], labels: Sequence[int], threshold: float) -> Metrics:
    """All metrics of one scored, labelled set."""
    precision, recall, f1 = precision_recall_f1(scores, labels, threshold)
    ap = average_precision(scores, labels)
    return Metrics(precision, recall, f1, ap, len(scores), threshold)


def calibration_error(
    probs: Sequence[float], labels: Sequence[int], bins: int = 10
) -> dict[str, object]:
    """Expected calibration error over equal-width bins, with the reliability table."""
    p = np.asarray(probs, dtype=float)
    y = np.asarray(labels, dtype=float)
    table: list[dict[str, object]] = []
    total = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = (p >= lo) & ((p < hi) if b < bins - 1 else (p <= hi))
        n = int(inside.sum())
        if not n:
            continue
        conf, acc = float(p[inside].mean()), float(y[inside].mean())
        total += n / len(p) * abs(conf - acc)
        table.append(
            {
                "bin": f"{lo:.1f}-{hi:.1f}",
                "n": n,
                "mean_p": round(conf, 3),
                "positive_rate": round(acc, 3),
            }
        )
    return {"ece": round(total, 4), "n": len(p), "reliability": table}
