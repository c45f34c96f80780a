"""Training chooses its threshold and fills the model card with the extractor's metrics."""

from __future__ import annotations

import pytest

from factcheck.training.metrics import best_f1_threshold, evaluate

pytestmark = pytest.mark.unit


def test_the_best_threshold_separates_perfectly_separable_scores() -> None:
    t = best_f1_threshold([0, 0, 1, 1], [0.1, 0.3, 0.7, 0.9])
    assert 0.3 < t <= 0.7  # score >= threshold is positive
    assert evaluate([0, 0, 1, 1], [0.1, 0.3, 0.7, 0.9]).f1 == 1.0


def test_evaluate_uses_a_given_threshold_as_is() -> None:
    scores = evaluate([1, 0, 1], [0.9, 0.6, 0.4], threshold=0.5)
    assert scores.threshold == 0.5
    assert (scores.precision, scores.recall) == (0.5, 0.5)
    assert scores.n == 3 and scores.positives == 2


def test_mismatched_lengths_are_rejected() -> None:
    with pytest.raises(ValueError):
        evaluate([1, 0], [0.5])


def test_training_reports_the_same_figures_as_factcheck_eval() -> None:
    from factcheck.extraction.metrics import evaluate as eval_metrics

    labels, scores = [1, 0, 1, 0, 1], [0.9, 0.8, 0.6, 0.3, 0.2]
    card = evaluate(labels, scores, threshold=0.5)
    cli = eval_metrics(scores, labels, 0.5)
    assert (card.precision, card.recall, card.f1, card.average_precision) == (
        cli.precision,
        cli.recall,
        cli.f1,
        cli.average_precision,
    )
