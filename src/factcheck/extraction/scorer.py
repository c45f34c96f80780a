"""Check-worthiness score = the model's calibrated probability; rules explain and gate.

- `logit` is the model's raw output (MiniLM when its files exist, else the linear model);
- `score` = sigmoid(a * logit + b), the calibrated P(check-worthy): `a`, `b` were fitted
  on labelled news pages (`calibration.json`, written by `factcheck.training.calibrate`).
  No clipping and no additive boosts, so scores are distinct whenever logits are, and a
  queue that sorts by score, then logit, never falls back to time;
- `explanation` names, in plain words, the cues that fired (never a number);
- `gate` is the reason, if any, that a rule keeps the sentence out of the claims (an
  opinion or prescription with no checkable fact; page furniture). Gates never change the
  score: the sentence stays in "all sentences" with its reason.
"""

from __future__ import annotations

import functools
import json
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from factcheck.extraction.features import SentenceFeatures, categories_of, rule_features
from factcheck.extraction.quantities import Quantity

log = logging.getLogger(__name__)

CALIBRATION_FILE: Path = Path(__file__).with_name("calibration.json")
DECIMALS = 6  # logits only: scores are never rounded, so distinct logits stay distinct
GATES: tuple[str, ...] = ("prescription", "opinion", "question", "headline")
GATE_WORDS: dict[str, str] = {
    "prescription": "a prescription (what should be done) with no checkable fact",
    "opinion": "an opinion with no checkable fact",
    "question": "a question with no checkable fact",
    "headline": "a headline-style line with no checkable fact",
}
EXPLAIN_WORDS: dict[str, str] = {
    "ratio": "states a ratio",
    "multiplier": "states a multiple (times as much)",
    "percent": "states a percentage",
    "money": "states an amount of money",
    "statistic": "states a number",
    "comparison": "makes a comparison or ranking",
    "trend": "describes a change over time",
    "causal": "states a cause",
    "prediction": "makes a prediction",
    "attribution": "attributes a statement or a source",
    "event": "reports an event",
}


@runtime_checkable
class ProbabilityModel(Protocol):
    """Anything that gives P(check-worthy) per text, e.g. `LinearModel`, `NeuralScorer`."""

    def predict_proba(self, texts: Sequence[str]) -> list[float]: ...


@dataclass(frozen=True, slots=True)
class Calibration:
    """Platt scaling of the model's logit: P = sigmoid(a * logit + b)."""

    a: float = 1.0
    b: float = 0.0

    def __call__(self, logit: float) -> float:
        z = self.a * logit + self.b
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        e = math.exp(z)
        return e / (1.0 + e)


@dataclass(frozen=True, slots=True)
class SentenceScore:
    score: float
    reasons: dict[str, float]
    categories: list[str]
    quantities: list[Quantity]
    logit: float = 0.0
    explanation: list[str] = field(default_factory=list)
    gate: str | None = None


def explain(features: SentenceFeatures) -> list[str]:
    """The fired cues in plain words, in a fixed order."""
    return [words for name, words in EXPLAIN_WORDS.items() if features.fired(name)]


def rule_gate(features: SentenceFeatures) -> str | None:
    """Why the rules refuse this sentence as a claim, or None."""
    if features.fired("furniture"):
        return "page navigation or sharing chrome"
    if features.checkable:
        return None
    name = next((g for g in GATES if features.fired(g)), None)
    return GATE_WORDS[name] if name else None


def _logit_of(p: float) -> float:
    p = min(max(p, 1e-12), 1 - 1e-12)
    return math.log(p / (1 - p))


class Scorer:
    """Scores a batch of sentences with one model call, then explains and gates each."""

    def __init__(
        self,
        model: ProbabilityModel,
        threshold: float,
        name: str = "model",
        calibration: Calibration | None = None,
        settings: dict[str, Any] | None = None,
    ) -> None:
        self.model = model
        self.threshold = float(threshold)
        self.name = name
        self.calibration = calibration or Calibration()
        self.settings: dict[str, Any] = dict(settings or {})

    def logits(self, texts: Sequence[str], feats: Sequence[SentenceFeatures]) -> list[float]:
        """The model's logits, reusing rule features when the model can."""
        with_features = getattr(self.model, "predict_logits_with", None)
        if callable(with_features):
            return list(with_features(texts, feats))
        direct = getattr(self.model, "predict_logits", None)
        if callable(direct):
            return list(direct(texts))
        return [_logit_of(float(p)) for p in self.model.predict_proba(texts)]

    def score(self, texts: Sequence[str]) -> list[SentenceScore]:
        """One `SentenceScore` per text, in order."""
        feats = [rule_features(t) for t in texts]
        logits = self.logits(texts, feats) if texts else []
        out: list[SentenceScore] = []
        for z, f in zip(logits, feats, strict=True):
            p = self.calibration(float(z))
            out.append(
                SentenceScore(
                    score=p,
                    reasons={"model": p},
                    categories=categories_of(f),
                    quantities=f.quantities,
                    logit=round(float(z), DECIMALS),
                    explanation=explain(f),
                    gate=rule_gate(f),
                )
            )
        return out


def read_calibration(kind: str, path: Path = CALIBRATION_FILE) -> dict[str, Any]:
    """The calibration and selection settings fitted for model `kind` ({} when none)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    entry = data.get(kind, {}) if isinstance(data, dict) else {}
    return entry if isinstance(entry, dict) else {}


def _scorer(model: ProbabilityModel, kind: str, name: str, default_threshold: float) -> Scorer:
    fitted = read_calibration(kind)
    calibration = Calibration(float(fitted.get("a", 1.0)), float(fitted.get("b", 0.0)))
    threshold = float(fitted.get("threshold", default_threshold))
    return Scorer(model, threshold, name, calibration, fitted)


def linear_scorer() -> Scorer:
    """The shipped linear model with its dev-chosen threshold."""
    try:
        from factcheck.extraction.linear import LinearModel
    except ImportError as exc:  # numpy is in the `extract` extra, as the Lambda split wants
        raise ImportError(
            f"the claim scorer needs the extract extra: pip install 'factcheck[extract]' ({exc})"
        ) from exc
    model = LinearModel.load()
    return _scorer(model, "linear", model.name, model.threshold)


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
    return _scorer(model, "neural", "neural", float(getattr(model, "threshold", 0.5)))


@functools.lru_cache(maxsize=4)
def default_scorer(kind: str = "auto") -> Scorer:
    """`auto`: the neural model when available, else linear; or force `linear`/`neural`."""
    if kind == "linear":
        return linear_scorer()
    scorer = neural_scorer()
    if scorer is None and kind == "neural":
        raise LookupError("the neural model files are not installed")
    return scorer or linear_scorer()
