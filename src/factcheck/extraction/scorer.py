"""Check-worthiness score = a model's probability, gated and nudged by the rules.

The combination rule, in order (the threshold belongs to the active model):
1. `p` = the model's probability (neural MiniLM when its files exist, else linear);
2. page furniture scores 0;
3. a prescription, opinion, question or headline with no checkable fact (no quantity, comparison,
   causal or trend cue) is capped at `CAP_FRACTION * threshold`, i.e. below the bar;
4. checkable cues add small fixed boosts (`BOOSTS`), at most `MAX_BOOST` in total,
   because news copy carries ratios and multipliers the debate-transcript training data
   rarely shows;
5. the result is clipped to [0, 1].
`reasons` records each step's contribution (the model's share under "model"), so the
reasons of a sentence add up to its score. Fired cues without a boost appear with 0.0.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from factcheck.extraction.features import SentenceFeatures, categories_of, rule_features
from factcheck.extraction.quantities import Quantity

log = logging.getLogger(__name__)

DECIMALS = 4  # scores are rounded once, here, so thresholds compare like for like
CAP_FRACTION = 0.5
MAX_BOOST = 0.10
BOOSTS: dict[str, float] = {
    "ratio": 0.06,
    "multiplier": 0.06,
    "percent": 0.04,
    "money": 0.04,
    "statistic": 0.03,
    "comparison": 0.02,
    "trend": 0.02,
    "causal": 0.02,
}
GATES: tuple[str, ...] = ("prescription", "opinion", "question", "headline")
EXPLAINED: tuple[str, ...] = (*BOOSTS, "prediction", "attribution", "event")


@runtime_checkable
class ProbabilityModel(Protocol):
    """Anything that gives P(check-worthy) per text, e.g. `LinearModel`, `NeuralScorer`."""

    def predict_proba(self, texts: Sequence[str]) -> list[float]: ...


@dataclass(frozen=True, slots=True)
class SentenceScore:
    score: float
    reasons: dict[str, float]
    categories: list[str]
    quantities: list[Quantity]


def combine(
    p: float, features: SentenceFeatures, threshold: float
) -> tuple[float, dict[str, float]]:
    """Apply the gates and boosts to a model probability; returns (score, reasons)."""
    reasons: dict[str, float] = {"model": p}
    if features.fired("furniture"):
        return 0.0, {"model": round(p, DECIMALS), "furniture": round(-p, DECIMALS)}
    score = p
    if not features.checkable:
        gate = next((g for g in GATES if features.fired(g)), None)
        cap = CAP_FRACTION * threshold
        if gate is not None and score > cap:
            reasons[gate] = cap - score
            score = cap
    budget = MAX_BOOST
    for name in EXPLAINED:
        if not features.fired(name):
            continue
        boost = min(BOOSTS.get(name, 0.0), budget, 1.0 - score)
        budget -= boost
        score += boost
        reasons[name] = boost
    rounded = {k: round(v, DECIMALS) for k, v in reasons.items()}
    return round(min(max(score, 0.0), 1.0), DECIMALS), rounded


class Scorer:
    """Scores a batch of sentences with one model call, then explains each score."""

    def __init__(self, model: ProbabilityModel, threshold: float, name: str = "model") -> None:
        self.model = model
        self.threshold = float(threshold)
        self.name = name

    def probabilities(self, texts: Sequence[str], feats: Sequence[SentenceFeatures]) -> list[float]:
        """The model's probabilities, reusing rule features when the model can."""
        with_features = getattr(self.model, "predict_proba_with", None)
        if callable(with_features):
            return list(with_features(texts, feats))
        return list(self.model.predict_proba(texts))

    def score(self, texts: Sequence[str]) -> list[SentenceScore]:
        """One `SentenceScore` per text, in order."""
        feats = [rule_features(t) for t in texts]
        probs = self.probabilities(texts, feats) if texts else []
        out: list[SentenceScore] = []
        for p, f in zip(probs, feats, strict=True):
            score, reasons = combine(float(p), f, self.threshold)
            out.append(SentenceScore(score, reasons, categories_of(f), f.quantities))
        return out


def linear_scorer() -> Scorer:
    """The shipped linear model with its dev-chosen threshold."""
    try:
        from factcheck.extraction.linear import LinearModel
    except ImportError as exc:  # numpy is in the `extract` extra, as the Lambda split wants
        raise ImportError(
            f"the claim scorer needs the extract extra: pip install 'factcheck[extract]' ({exc})"
        ) from exc
    model = LinearModel.load()
    return Scorer(model, model.threshold, model.name)


def neural_scorer() -> Scorer | None:
    """The fine-tuned MiniLM when its files are present and load; otherwise None."""
    try:
        from factcheck.extraction import neural
    except ImportError as exc:
        log.warning("neural scorer unavailable (%s); install factcheck[extract]", exc)
        return None
    if not neural.model_available():
        return None
    try:
        model = neural.NeuralScorer.load()
    except (OSError, RuntimeError, ValueError, KeyError) as exc:
        log.warning("neural model present but failed to load (%s); using linear", exc)
        return None
    return Scorer(model, float(getattr(model, "threshold", 0.5)), "neural")


@functools.lru_cache(maxsize=4)
def default_scorer(kind: str = "auto") -> Scorer:
    """`auto`: the neural model when available, else linear; or force `linear`/`neural`."""
    if kind == "linear":
        return linear_scorer()
    scorer = neural_scorer()
    if scorer is None and kind == "neural":
        raise LookupError("the neural model files are not installed")
    return scorer or linear_scorer()
