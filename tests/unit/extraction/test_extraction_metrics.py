"""Hand-written metrics agree with scikit-learn's definitions on worked examples."""

from __future__ import annotations

import pytest

from factcheck.extraction.metrics import (
    average_precision,
    best_threshold,
    evaluate,
    precision_recall_f1,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("scores", "labels", "expected"),
    [
        # scikit-learn's docstring example: average_precision_score -> 0.8333...
        ([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1], 0.8333333),
        # ranked perfectly
        ([0.9, 0.8, 0.1], [1, 1, 0], 1.0),
        # ties are one threshold: P=2/4 at R=1 -> 0.5
        ([0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0], 0.5),
        # worked by hand: ranks 1..4 = [1, 0, 1, 0] -> 1/2 * 1 + 1/2 * 2/3
        ([0.9, 0.8, 0.7, 0.6], [1, 0, 1, 0], 0.8333333),
        ([0.9, 0.1], [0, 0], 0.0),
    ],
)
def test_average_precision_matches_the_worked_example(
    scores: list[float], labels: list[int], expected: float
) -> None:
    assert average_precision(scores, labels) == pytest.approx(expected, abs=1e-6)


def test_precision_recall_f1_count_the_positive_class_at_the_threshold() -> None:
    p, r, f = precision_recall_f1([0.9, 0.6, 0.4, 0.2], [1, 0, 1, 0], threshold=0.5)
    assert (p, r) == (0.5, 0.5)
    assert f == pytest.approx(0.5)


def test_nothing_predicted_gives_zero_not_a_division_error() -> None:
    assert precision_recall_f1([0.1, 0.2], [1, 0], threshold=0.9) == (0.0, 0.0, 0.0)


def test_best_threshold_maximises_f1() -> None:
    assert best_threshold([0.9, 0.8, 0.3, 0.2], [1, 1, 0, 0]) == 0.8


def test_evaluate_reports_every_field() -> None:
    m = evaluate([0.9, 0.1], [1, 0], 0.5).to_dict()
    assert m == {
        "precision": 1.0,
        "recall": 1.0,
        "f1": 1.0,
        "average_precision": 1.0,
        "n": 2,
        "threshold": 0.5,
    }


def test_calibration_error_is_zero_when_scores_match_the_positive_rate() -> None:
    from factcheck.extraction.metrics import calibration_error

    probs = [0.25] * 4 + [0.75] * 4
    labels = [1, 0, 0, 0, 1, 1, 1, 0]
    assert calibration_error(probs, labels)["ece"] == 0.0
    overconfident = calibration_error([0.95] * 4, [1, 0, 1, 0])
    assert overconfident["ece"] == pytest.approx(0.45)
    assert overconfident["reliability"] == [
        {"bin": "0.9-1.0", "n": 4, "mean_p": 0.95, "positive_rate": 0.5}
    ]
