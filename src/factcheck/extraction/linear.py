"""The shipped linear check-worthiness model, scored in pure Python (no scikit-learn).

A logistic regression over hashed word uni/bi-grams plus the rule features, trained by
`train_linear.py`. The artifact `linear_model.json` holds the bias, the n-gram weights
(sparse: bucket index -> weight), the rule-feature weights and the threshold chosen on
the dev set, so the model and its threshold travel together.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from factcheck.extraction.features import SentenceFeatures, hashed, rule_features

ARTIFACT: Path = Path(__file__).parent / "linear_model.json"


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


class LinearModel:
    """P(check-worthy) = sigmoid(bias + n-gram weights + rule-feature weights)."""

    def __init__(self, artifact: dict[str, Any]) -> None:
        self.name: str = str(artifact.get("name", "linear"))
        self.n_buckets = int(artifact["n_buckets"])
        self.bias = float(artifact["bias"])
        self.threshold = float(artifact["threshold"])
        self.rule_weights: dict[str, float] = {
            str(k): float(v) for k, v in artifact["rule_weights"].items()
        }
        self.ngram_weights: dict[int, float] = dict(
            zip(
                (int(i) for i in artifact["ngram_index"]),
                (float(w) for w in artifact["ngram_weight"]),
                strict=True,
            )
        )

    @classmethod
    def load(cls, path: Path = ARTIFACT) -> LinearModel:
        """The model in `path`, read once per process."""
        return _load_cached(str(Path(path).resolve()))

    def logit(self, text: str, features: SentenceFeatures | None = None) -> float:
        """The linear score of one sentence (features are recomputed when not given)."""
        feats = features if features is not None else rule_features(text)
        z = self.bias
        for bucket, value in hashed(text, self.n_buckets).items():
            z += self.ngram_weights.get(bucket, 0.0) * value
        for name, weight in self.rule_weights.items():
            z += weight * feats.values.get(name, 0.0)
        return z

    def predict_proba(self, texts: Sequence[str]) -> list[float]:
        """P(check-worthy) for each text, in input order."""
        return [_sigmoid(self.logit(t)) for t in texts]

    def predict_logits_with(
        self, texts: Sequence[str], features: Sequence[SentenceFeatures]
    ) -> list[float]:
        """The linear scores (logits), reusing rule features the caller already computed."""
        return [self.logit(t, f) for t, f in zip(texts, features, strict=True)]

    def predict_proba_with(
        self, texts: Sequence[str], features: Sequence[SentenceFeatures]
    ) -> list[float]:
        """As `predict_proba`, reusing rule features the caller already computed."""
        return [_sigmoid(self.logit(t, f)) for t, f in zip(texts, features, strict=True)]


@functools.lru_cache(maxsize=4)
def _load_cached(path: str) -> LinearModel:
    return LinearModel(json.loads(Path(path).read_text(encoding="utf-8")))
