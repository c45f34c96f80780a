"""Metrics used to choose the threshold and fill the model card (numpy, no scikit-learn)."""

from __future__ import annotations

import pytest

from factcheck.training.metrics import average_precision, best_f1_threshold, evaluate, prf_at

pytestmark = pytest.mark.unit


def test_precision_recall_and_f1_count_scores_at_the_threshold_as_positive() -> None:
    p, r, f = prf_at([1, 0, 1, 0], [0.9, 0.6, 0.4, 0.1], 0.4)
    assert (p, r) == (2 / 3, 1.0)
    assert f == pytest.approx(0.8)


def test_no_predicted_positives_gives_zero_not_a_division_error() -> None:
    assert prf_at([1, 0], [0.1, 0.2], 0.9) == (0.0, 0.0, 0.0)


def test_average_precision_matches_a_hand_computation() -> None:
    # Ranked: 1 (P=1, R=.5), 0, 1 (P=2/3, R=1) -> AP = .5*1 + .5*2/3
    assert average_precision([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1]) == pytest.approx(5 / 6)


def test_a_perfect_ranking_has_average_precision_one() -> None:
    assert average_precision([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]) == 1.0


def test_tied_scores_count_as_one_threshold_in_average_precision() -> None:
    assert average_precision([1, 0], [0.5, 0.5]) == pytest.approx(0.5)


def test_the_best_threshold_separates_perfectly_separable_scores() -> None:
    t = best_f1_threshold([0, 0, 1, 1], [0.1, 0.3, 0.7, 0.9])
    assert 0.3 < t < 0.7
    assert evaluate([0, 0, 1, 1], [0.1, 0.3, 0.7, 0.9]).f1 == 1.0


def test_evaluate_uses_a_given_threshold_as_is() -> None:
    scores = evaluate([1, 0, 1], [0.9, 0.6, 0.4], threshold=0.5)
    assert scores.threshold == 0.5
    assert (scores.precision, scores.recall) == (0.5, 0.5)
    assert scores.n == 3 and scores.positives == 2


def test_mismatched_lengths_are_rejected() -> None:
    with pytest.raises(ValueError):
        evaluate([1, 0], [0.5])
