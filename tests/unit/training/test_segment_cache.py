"""A cached page segmentation is re-scored by any model, one call per page, as extraction does."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from factcheck.extraction.extractor import ExtractedClaim
from factcheck.extraction.scorer import Scorer
from factcheck.training.calibrate import Extracted, load_segments, rescored, save_segments

pytestmark = pytest.mark.unit


class _CountingModel:
    """Logit = number of words; records each call's texts."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def predict_logits(self, texts: Sequence[str]) -> list[float]:
        self.calls.append(list(texts))
        return [float(len(t.split())) for t in texts]

    def predict_proba(self, texts: Sequence[str]) -> list[float]:
        raise AssertionError("logits are read directly")


def _claim(text: str, gate: str | None = None) -> ExtractedClaim:
    return ExtractedClaim(id=text, text=text, start=0, end=len(text), score=0.5, gate=gate)


PAGES: Extracted = {
    "a": ([_claim("Prices rose 5% in May."), _claim("Share this", gate="chrome")], 6),
    "b": ([], 0),
}


def test_rescoring_replaces_only_the_logits_with_one_model_call_per_page() -> None:
    model = _CountingModel()
    got = rescored(PAGES, Scorer(model, 0.5))
    sentences, words = got["a"]
    assert [s.logit for s in sentences] == [5.0, 2.0]
    assert [s.text for s in sentences] == [s.text for s in PAGES["a"][0]]
    assert sentences[1].gate == "chrome" and words == 6
    assert model.calls == [["Prices rose 5% in May.", "Share this"]]  # page b has none
    assert got["b"] == ([], 0)


def test_a_cache_serves_the_pages_it_holds_and_nothing_when_one_is_missing(
    tmp_path: Path,
) -> None:
    cache = tmp_path / "seg.pkl"
    assert load_segments(cache, ["a"]) is None
    save_segments(cache, PAGES)
    loaded = load_segments(cache, ["a"])
    assert loaded is not None and list(loaded) == ["a"]
    assert loaded["a"][0][0].text == "Prices rose 5% in May."
    assert load_segments(cache, ["a", "c"]) is None
