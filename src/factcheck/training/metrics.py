"""Training's view of the metrics: the extractor's own numpy implementation, one definition.

`factcheck.extraction.metrics` is what `factcheck eval` reports; training chooses the
threshold and fills the model card with the same functions, so the card and `eval` can
never disagree on what F1 or AP mean. This module only adds the card's record shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from factcheck.extraction import metrics

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


def _lists(labels: Labels, scores: Values) -> tuple[list[int], list[float]]:
    y = np.asarray(labels, dtype=np.int64)
    s = np.asarray(scores, dtype=np.float64)
    if y.shape != s.shape or y.ndim != 1:
        raise ValueError(f"labels and scores must be 1-d and equal length: {y.shape} {s.shape}")
    return y.tolist(), s.tolist()


def best_f1_threshold(labels: Labels, scores: Values) -> float:
    """The threshold that maximises F1 on these scores (ties: the higher one)."""
    y, s = _lists(labels, scores)
    return metrics.best_threshold(s, y)


def evaluate(labels: Labels, scores: Values, threshold: float | None = None) -> Scores:
    """Metrics at `threshold`, or at the F1-maximising threshold when it is None."""
    y, s = _lists(labels, scores)
    t = metrics.best_threshold(s, y) if threshold is None else float(threshold)
    m = metrics.evaluate(s, y, t)
    return Scores(t, m.precision, m.recall, m.f1, m.average_precision, m.n, int(sum(y)))
