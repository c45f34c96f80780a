"""The shipped check-worthiness model: loads, scores sensibly, and its card is complete."""

from __future__ import annotations

import hashlib
import json

import pytest

from factcheck.extraction import neural
from factcheck.extraction.neural import MODEL_DIR, NeuralScorer, model_available

pytestmark = pytest.mark.unit

CHECK_WORTHY = "Unemployment fell from 8% to 4% between 2010 and 2019."
NOT_CHECK_WORTHY = "Thank you very much, it is great to be here."


@pytest.fixture(scope="module")
def scorer() -> NeuralScorer:
    return NeuralScorer.load()


@pytest.fixture(scope="module")
def card() -> dict:
    return json.loads((MODEL_DIR / neural.CARD_FILE).read_text(encoding="utf-8"))


def test_the_shipped_model_is_available() -> None:
    assert model_available()
    assert model_available(MODEL_DIR)


def test_a_folder_without_the_artifacts_is_not_available(tmp_path) -> None:
    assert not model_available(tmp_path)


def test_the_scorer_is_loaded_once_per_process(scorer: NeuralScorer) -> None:
    assert NeuralScorer.load() is scorer


def test_the_scorer_uses_one_thread_by_default(scorer: NeuralScorer, monkeypatch) -> None:
    monkeypatch.delenv(neural.THREADS_ENV, raising=False)
    assert neural._threads_from_env() == 1


def test_predict_proba_returns_one_float_in_the_unit_interval_per_text(
    scorer: NeuralScorer,
) -> None:
    texts = [CHECK_WORTHY, NOT_CHECK_WORTHY, "We will win.", "Crime rose 12% last year."]
    probs = scorer.predict_proba(texts)
    assert len(probs) == len(texts)
    assert all(isinstance(p, float) and 0.0 <= p <= 1.0 for p in probs)


def test_scores_are_deterministic_across_calls_and_instances(scorer: NeuralScorer) -> None:
    texts = [CHECK_WORTHY, NOT_CHECK_WORTHY, "The deficit doubled in four years."] * 5
    first = scorer.predict_proba(texts)
    assert scorer.predict_proba(texts) == first
    fresh = NeuralScorer(
        MODEL_DIR / neural.MODEL_FILE,
        MODEL_DIR / neural.TOKENIZER_FILE,
        max_length=scorer.max_length,
        threshold=scorer.threshold,
    )
    assert fresh.predict_proba(texts) == first


def test_an_obvious_statistic_ranks_above_a_pleasantry(scorer: NeuralScorer) -> None:
    worthy, not_worthy = scorer.predict_proba([CHECK_WORTHY, NOT_CHECK_WORTHY])
    assert worthy > not_worthy
    assert worthy >= scorer.threshold > not_worthy


def test_an_empty_list_gives_an_empty_list(scorer: NeuralScorer) -> None:
    assert scorer.predict_proba([]) == []


def test_empty_and_blank_strings_score_zero_without_disturbing_the_others(
    scorer: NeuralScorer,
) -> None:
    alone = scorer.predict_proba([CHECK_WORTHY])
    mixed = scorer.predict_proba(["", CHECK_WORTHY, "   \n"])
    assert mixed[0] == 0.0 and mixed[2] == 0.0
    assert mixed[1] == alone[0]
    assert scorer.predict_proba([""]) == [0.0]


def test_a_text_longer_than_the_max_length_is_truncated_not_rejected(
    scorer: NeuralScorer,
) -> None:
    long_text = " ".join([CHECK_WORTHY] * 40)
    (p,) = scorer.predict_proba([long_text])
    assert 0.0 <= p <= 1.0


def test_the_model_card_has_the_required_keys(card: dict) -> None:
    for key in (
        "base_model",
        "licence",
        "training_data",
        "hyperparameters",
        "metrics",
        "threshold",
        "max_length",
        "library_versions",
        "seed",
    ):
        assert key in card, key
    assert card["base_model"]["name"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert card["base_model"]["licence"] == "Apache-2.0"
    for split in ("train", "dev"):
        data = card["training_data"][split]
        assert len(data["sha256"]) == 64 and data["rows"] > 0
    for variant in ("fp32", "int8"):
        metrics = card["metrics"]["dev"][variant]
        for name in ("precision", "recall", "f1", "average_precision"):
            assert 0.0 <= metrics[name] <= 1.0


def test_the_threshold_lies_strictly_between_zero_and_one(card: dict, scorer: NeuralScorer) -> None:
    assert 0.0 < card["threshold"] < 1.0
    assert scorer.threshold == card["threshold"]
    assert scorer.max_length == card["max_length"]


def test_int8_and_fp32_dev_f1_agree_within_one_point(card: dict) -> None:
    dev = card["metrics"]["dev"]
    assert abs(dev["int8"]["f1"] - dev["fp32"]["f1"]) <= 0.01
    assert abs(dev["int8"]["f1"] - dev["fp32_at_its_own_best_threshold"]["f1"]) <= 0.01


def test_the_card_describes_the_shipped_model_file_which_is_under_30_mb(card: dict) -> None:
    model = MODEL_DIR / card["files"]["model"]
    data = model.read_bytes()
    assert len(data) == card["files"]["model_bytes"] < 30_000_000
    assert hashlib.sha256(data).hexdigest() == card["files"]["model_sha256"]
