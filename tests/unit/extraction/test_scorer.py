"""The score is the model's probability, gated and nudged by documented rules."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from factcheck.extraction import scorer as scorer_module
from factcheck.extraction.features import rule_features
from factcheck.extraction.scorer import (
    CAP_FRACTION,
    MAX_BOOST,
    ProbabilityModel,
    Scorer,
    combine,
    default_scorer,
)

pytestmark = pytest.mark.unit


class ConstantModel:
    """A stand-in ProbabilityModel: the same probability for every text, counting calls."""

    def __init__(self, p: float) -> None:
        self.p = p
        self.calls = 0

    def predict_proba(self, texts: Sequence[str]) -> list[float]:
        self.calls += 1
        return [self.p] * len(texts)


def test_any_object_with_predict_proba_is_a_probability_model() -> None:
    assert isinstance(ConstantModel(0.5), ProbabilityModel)


def test_a_batch_is_scored_with_one_model_call() -> None:
    model = ConstantModel(0.5)
    Scorer(model, threshold=0.4).score(["One.", "Two.", "Three."])
    assert model.calls == 1


@pytest.mark.parametrize("line", ["Source link", "Related Posts", "Load More Posts"])
def test_page_furniture_never_passes(line: str) -> None:
    score, reasons = combine(0.99, rule_features(line), threshold=0.3)
    assert score == 0.0
    assert "furniture" in reasons


@pytest.mark.parametrize(
    "sentence",
    [
        "Trump should focus his discussion with Putin on Ukraine.",
        "Trump deserves immense credit for continuing his outreach to Putin.",
        "We must do better for our children.",
        "I think the plan is a good one.",
        "Why would anyone vote for that?",
    ],
)
def test_prescriptions_and_opinions_without_a_fact_are_capped_below_the_threshold(
    sentence: str,
) -> None:
    score, reasons = combine(0.95, rule_features(sentence), threshold=0.4)
    assert score <= CAP_FRACTION * 0.4 + MAX_BOOST
    assert score < 0.4
    assert min(reasons.values()) < 0


@pytest.mark.parametrize(
    "sentence",
    [
        "We must remember that 40% of families cannot pay rent.",
        "Trump should note that Russia has a 3–1 manpower advantage.",
        "We have to admit unemployment rose faster than in any other state.",
    ],
)
def test_prescriptions_that_carry_a_checkable_fact_are_not_capped(sentence: str) -> None:
    score, _ = combine(0.6, rule_features(sentence), threshold=0.4)
    assert score >= 0.6


def test_boosts_are_small_and_bounded_and_reasons_add_up_to_the_score() -> None:
    sentence = "Spending rose 40% to $3 billion, a 3-1 margin, twice as much as before."
    score, reasons = combine(0.5, rule_features(sentence), threshold=0.4)
    assert 0.5 < score <= 0.5 + MAX_BOOST + 1e-9
    assert sum(reasons.values()) == pytest.approx(score, abs=1e-3)


@pytest.mark.parametrize("p", [0.0, 0.37, 1.0])
def test_scores_stay_in_the_unit_interval(p: float) -> None:
    score, _ = combine(p, rule_features("Prices rose 40% in 2019, a record."), threshold=0.4)
    assert 0.0 <= score <= 1.0


def test_the_default_scorer_falls_back_to_the_linear_model_without_neural_files(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(scorer_module, "neural_scorer", lambda: None)
    default_scorer.cache_clear()
    try:
        chosen = default_scorer()
        assert chosen.name == "linear"
        assert 0.0 < chosen.threshold < 1.0
    finally:
        default_scorer.cache_clear()


def test_asking_for_a_missing_neural_model_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scorer_module, "neural_scorer", lambda: None)
    default_scorer.cache_clear()
    try:
        with pytest.raises(LookupError):
            default_scorer("neural")
    finally:
        default_scorer.cache_clear()
