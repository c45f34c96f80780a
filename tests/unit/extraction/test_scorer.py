"""The score is the model's calibrated probability; rules explain in words and gate."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factcheck.extraction import scorer as scorer_module
from factcheck.extraction.scorer import Calibration, ProbabilityModel, Scorer, default_scorer

pytestmark = pytest.mark.unit


class ConstantModel:
    """A stand-in ProbabilityModel: the same probability for every text, counting calls."""

    def __init__(self, p: float) -> None:
        self.p = p
        self.calls = 0

    def predict_proba(self, texts: Sequence[str]) -> list[float]:
        self.calls += 1
        return [self.p] * len(texts)


class LogitModel:
    """A model that exposes logits: one per text, from a table."""

    def __init__(self, logits: dict[str, float]) -> None:
        self.logits = logits

    def predict_proba(self, texts: Sequence[str]) -> list[float]:
        return [1 / (1 + math.exp(-self.logits[t])) for t in texts]

    def predict_logits(self, texts: Sequence[str]) -> list[float]:
        return [self.logits[t] for t in texts]


def test_any_object_with_predict_proba_is_a_probability_model() -> None:
    assert isinstance(ConstantModel(0.5), ProbabilityModel)


def test_a_batch_is_scored_with_one_model_call() -> None:
    model = ConstantModel(0.5)
    Scorer(model, threshold=0.4).score(["One.", "Two.", "Three."])
    assert model.calls == 1


@pytest.mark.parametrize("line", ["Source link", "Related Posts", "Load More Posts"])
def test_page_furniture_is_gated_but_keeps_its_model_score(line: str) -> None:
    (scored,) = Scorer(ConstantModel(0.99), threshold=0.3).score([line])
    assert scored.gate is not None
    assert scored.score == pytest.approx(0.99)


@pytest.mark.parametrize(
    "sentence",
    [
        "Trump should focus his discussion with Putin on Ukraine.",
        "We must do better for our children.",
        "I think the plan is a good one.",
        "Why would anyone vote for that?",
    ],
)
def test_prescriptions_and_opinions_without_a_fact_are_gated_with_a_reason_in_words(
    sentence: str,
) -> None:
    (scored,) = Scorer(ConstantModel(0.95), threshold=0.4).score([sentence])
    assert scored.gate is not None and "no checkable fact" in scored.gate
    assert scored.score == pytest.approx(0.95)


@pytest.mark.parametrize(
    "sentence",
    [
        "We must remember that 40% of families cannot pay rent.",
        "Trump should note that Russia has a 3–1 manpower advantage.",
        "We have to admit unemployment rose faster than in any other state.",
    ],
)
def test_prescriptions_that_carry_a_checkable_fact_are_not_gated(sentence: str) -> None:
    (scored,) = Scorer(ConstantModel(0.6), threshold=0.4).score([sentence])
    assert scored.gate is None


def test_rules_add_nothing_to_the_score_and_explain_in_plain_words() -> None:
    sentence = "Spending rose 40% to $3 billion, a 3-1 margin, twice as much as before."
    (scored,) = Scorer(ConstantModel(0.5), threshold=0.4).score([sentence])
    assert scored.score == pytest.approx(0.5)
    assert scored.reasons == {"model": scored.score}
    assert "states a percentage" in scored.explanation
    assert all(
        " " in words and not any(ch.isdigit() for ch in words) for words in scored.explanation
    )


def test_distinct_logits_give_distinct_scores_even_near_one() -> None:
    texts = {"A rose 40%.": 9.0, "B rose 41%.": 9.001, "C rose 42%.": 12.0}
    scores = [s.score for s in Scorer(LogitModel(texts), 0.5).score(list(texts))]
    assert len(set(scores)) == 3
    assert max(scores) < 1.0


@given(
    st.floats(0.1, 5.0),
    st.floats(-3.0, 3.0),
    st.floats(-20.0, 20.0),
    st.floats(0.01, 5.0),
)
def test_calibration_is_a_strictly_increasing_probability(
    a: float, b: float, z: float, dz: float
) -> None:
    cal = Calibration(a, b)
    assert 0.0 < cal(z) < 1.0 or abs(a * z + b) > 30
    assert cal(z + dz) >= cal(z)


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
