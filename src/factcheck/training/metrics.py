"""Binary classification metrics in plain numpy (no scikit-learn needed).

Definitions follow scikit-learn: precision, recall and F1 of the positive class at a
threshold (score >= threshold is positive), and average precision as the step-wise area
under the precision-recall curve, sum over thresholds of (R_n - R_{n-1}) * P_n.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

Labels = Sequence[int] | np.ndarray
Values = Sequence[float] | np.ndarray


@dataclass(frozen=True)
class Scores:
    threshold: float
    precision: float
    recall: float
    f1: float
    average_precision: float
    n: int
    positives: int

    def as_dict(self) -> dict[str, float | int]:
        return {k: (round(v, 6) if isinstance(v, float) else v) for k, v in asdict(self).items()}


def _arrays(labels: Labels, scores: Values) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(labels, dtype=np.int64)
    s = np.asarray(scores, dtype=np.float64)
    if y.shape != s.shape or y.ndim != 1:
        raise ValueError(f"labels and scores must be 1-d and equal length: {y.shape} {s.shape}")
    return y, s


def prf_at(labels: Labels, scores: Values, threshold: float) -> tuple[float, ...]:
    """Precision, recall and F1 of the positive class with `score >= threshold`."""
    y, s = _arrays(labels, scores)
    pred = s >= threshold
    tp = float(np.sum(pred & (y == 1)))
    fp = float(np.sum(pred & (y == 0)))
    fn = float(np.sum(~pred & (y == 1)))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def average_precision(labels: Labels, scores: Values) -> float:
    y, s = _arrays(labels, scores)
    pos = int(y.sum())
    if pos == 0:
        return 0.0
    order = np.argsort(-s, kind="mergesort")
    s_sorted, y_sorted = s[order], y[order]
    # Group tied scores: only the last index of each distinct score is a threshold.
    distinct = np.where(np.diff(s_sorted))[0]
    idx = np.r_[distinct, y_sorted.size - 1]
    tps = np.cumsum(y_sorted)[idx]
    fps = (idx + 1) - tps
    precision = tps / (tps + fps)
    recall = tps / pos
    recall_prev = np.r_[0.0, recall[:-1]]
    return float(np.sum((recall - recall_prev) * precision))


def best_f1_threshold(labels: Labels, scores: Values) -> float:
    """The threshold that maximises F1 on these scores.

    Candidates are midpoints between consecutive distinct scores (so the rule does not sit
    exactly on one example's score); ties in F1 go to the higher threshold (fewer claims).
    """
    y, s = _arrays(labels, scores)
    uniq = np.unique(s)
    if uniq.size == 1:
        return float(uniq[0])
    candidates = np.r_[(uniq[:-1] + uniq[1:]) / 2.0]
    best_t, best_f = float(candidates[0]), -1.0
    for t in candidates:
        f = prf_at(y, s, float(t))[2]
        if f >= best_f:
            best_t, best_f = float(t), f
    return best_t


def evaluate(labels: Labels, scores: Values, threshold: float | None = None) -> Scores:
    """Metrics at `threshold`, or at the F1-maximising threshold when it is None."""
    y, s = _arrays(labels, scores)
    t = best_f1_threshold(y, s) if threshold is None else float(threshold)
    p, r, f = prf_at(y, s, t)
    return Scores(t, p, r, f, average_precision(y, s), int(y.size), int(y.sum()))
