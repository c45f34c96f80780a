"""Rule features of a sentence: what makes it checkable, and what makes it opinion.

The same features feed the linear model (as dense inputs next to the hashed n-grams) and
the scorer's explanation and gates, so "why" and "how much" never disagree. Everything
here is regular expressions over one sentence; no model, no I/O.
"""

from __future__ import annotations

import itertools
import logging
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

from factcheck.extraction.clean import is_furniture
from factcheck.extraction.quantities import Quantity, find_quantities

log = logging.getLogger(__name__)


def _words(text: str) -> frozenset[str]:
    """A word table written as one string (easier to read and extend than a list)."""
    return frozenset(text.split())


STATISTIC_KINDS: frozenset[str] = frozenset({"count", "percent", "money"})


def _rx(pattern: str) -> re.Pattern[str]:
    """A cue pattern, matched against the lower-cased sentence (faster than re.I)."""
    return re.compile(pattern)


# Lexical cues, one regex per feature. Word lists are general English, not tuned to a text.
CUES: dict[str, re.Pattern[str]] = {
    "comparison": _rx(
        r"\b(?:more|less|fewer|higher|lower|larger|bigger|greater|smaller|faster|slower|"
        r"cheaper|richer|poorer|stronger|weaker|better|worse)\s+than\b|\b\w+er\s+than\b|"
        r"\b(?:most|least|largest|biggest|highest|lowest|fastest|worst|best|richest|"
        r"poorest|strongest|weakest)\b|\brecord(?:-\w+)?\b|\bas\s+(?:much|many)\s+as\b|"
        r"\boutnumber\w*|\bcompared\s+(?:to|with)\b|\b(?:edge|advantage|lead)\s+over\b|"
        r"\b(?:the\s+)?(?:first|only)\s+(?:time|country|state|president|one)\b"
    ),
    "causal": _rx(
        r"\b(?:because|caused?|causes|causing|due\s+to|led\s+to|leads?\s+to|"
        r"result(?:ed|s)?\s+in|as\s+a\s+result|thanks\s+to|responsible\s+for|blamed?|"
        r"contribut\w+\s+to|prolong\w*|trigger\w*|fuel(?:l?ed|s)?|driven\s+by)\b"
    ),
    "trend": _rx(
        r"\b(?:r[oi]se[ns]?|rising|increas\w+|gr[eo]w[ns]?|growing|growth|f[ae]ll(?:en|s)?|"
        r"falling|declin\w+|drop(?:s|ped|ping)?|doubl\w+|tripl\w+|surg\w+|soar\w*|"
        r"plung\w+|plummet\w*|deteriorat\w+|improv\w+|worsen\w+|shr[au]nk|shrink\w*|"
        r"expand\w*|fared|recover\w*|slow(?:ed|ing)\s+down|since\s+(?:19|20)\d\d|"
        r"over\s+the\s+(?:past|last)|so\s+far\s+this)\b"
    ),
    "prediction": _rx(
        r"\b(?:will|won't|going\s+to|expected\s+to|forecast\w*|project(?:ed|ions?)|"
        r"(?:un)?likely\s+to|predict\w*|on\s+track\s+to|set\s+to|poised\s+to|by\s+20\d\d)\b"
    ),
    "attribution": _rx(
        r"\b(?:said|says|told|according\s+to|reported(?:ly)?|announc\w+|claim(?:s|ed)|"
        r"admit(?:s|ted)|acknowledg\w+|stated|estimat\w+|found\s+that|show(?:s|ed|n)|"
        r"data|survey|poll|study|studies|report|statistics|census|figures)\b"
    ),
    "event": _rx(
        r"\b(?:signed|voted|passed|launched|invaded|attacked|killed|died|met|visited|"
        r"threatened|promised|pledged|elected|won|lost|fired|appointed|vetoed|banned|"
        r"approved|imposed|sanctioned|arrested|charged|convicted|resigned|cut|raised|"
        r"spent|built|closed|opened|created|sent|deployed|seized|captured|withdrew)\b"
    ),
    "prescription": _rx(
        r"\b(?:should(?:n't)?|must|ought\s+to|need(?:s)?\s+to|has\s+to|have\s+to|"
        r"deserves?|let's|let\s+us|it\s+is\s+time|it's\s+time|we've\s+got\s+to|"
        r"got\s+to|had\s+better)\b"
    ),
    "opinion": _rx(
        r"\b(?:i|we)\s+(?:think|believe|feel|hope|want|wish|trust|support|oppose|like|"
        r"love|hate)\b|\bin\s+my\s+(?:opinion|view|judgment)\b|\b(?:frankly|obviously|"
        r"of\s+course|clearly|simply\s+put|i'm\s+(?:sure|convinced|proud))\b"
    ),
    "evaluative": _rx(
        r"\b(?:wonderful|terrible|disgrace\w*|shameful|outrageous|great|immense|"
        r"remarkabl\w+|admirabl\w+|deplorabl\w+|sad|tragic|disastrous|brilliant|"
        r"unacceptable|ridiculous|needless(?:ly)?|meaningful|important|critical)\b"
    ),
    "hedge": _rx(r"\b(?:may|might|could|perhaps|possibly|seem(?:s|ed)?|appear(?:s|ed)?)\b"),
    "first_person": _rx(r"\b(?:i|i'm|i've|i'd|we|we're|we've|my|our|me|us)\b"),
}
_WORD = re.compile(r"[A-Za-z][\w'’-]*|[0-9][0-9,.]*")
_CAPITALISED = re.compile(r"(?<=[\s(“\"'])[A-Z][a-z]+(?:[\s-][A-Z][a-z]+)*|\b[A-Z]{2,}\b")
_DIGIT_RUN = re.compile(r"[0-9]+")
_TERMINAL = re.compile(r"[.!?:;…\"'”’)\]]\s*$")
_MINOR_WORDS: frozenset[str] = _words(
    "a an the of for and or but in on at to by with from as is vs via nor"
)


def is_headline(text: str) -> bool:
    """Title Case with no closing punctuation: a headline, which the body restates."""
    if _TERMINAL.search(text):
        return False
    words = [w for w in text.split() if w[:1].isalpha() and w.lower() not in _MINOR_WORDS]
    if len(words) < 3:
        return False
    return sum(w[0].isupper() for w in words) / len(words) >= 0.7


# Feature names in a fixed order: the linear model's dense columns follow it.
RULE_FEATURES: tuple[str, ...] = (
    "statistic",
    "percent",
    "money",
    "ratio",
    "multiplier",
    "year",
    "comparison",
    "causal",
    "trend",
    "prediction",
    "attribution",
    "event",
    "named_entities",
    "prescription",
    "opinion",
    "evaluative",
    "hedge",
    "first_person",
    "question",
    "headline",
    "short",
    "long",
    "furniture",
)
# A sentence "carries a checkable fact" when one of these fired.
CHECKABLE: frozenset[str] = frozenset(
    {"statistic", "percent", "money", "ratio", "multiplier", "comparison", "causal", "trend"}
)


@dataclass(frozen=True, slots=True)
class SentenceFeatures:
    """Rule features (name -> value in [0, 1]) and the quantities they were read from."""

    values: dict[str, float]
    quantities: list[Quantity]

    def fired(self, name: str) -> bool:
        return self.values.get(name, 0.0) > 0.0

    @property
    def checkable(self) -> bool:
        return any(self.fired(name) for name in CHECKABLE)


def rule_features(text: str) -> SentenceFeatures:
    """All rule features of one sentence."""
    try:
        quantities = find_quantities(text)
    except (ValueError, ArithmeticError, IndexError):  # a parser bug must not lose a document
        log.warning("quantity parsing failed on %r", text[:80], exc_info=True)
        quantities = []
    kinds = {q.kind for q in quantities}
    words = _WORD.findall(text)
    values: dict[str, float] = dict.fromkeys(RULE_FEATURES, 0.0)
    values["statistic"] = float(bool(kinds & STATISTIC_KINDS))
    for kind in ("percent", "money", "ratio", "multiplier", "year"):
        values[kind] = float(kind in kinds)
    lowered = text.lower()
    for name, pattern in CUES.items():
        values[name] = float(pattern.search(lowered) is not None)
    values["named_entities"] = min(len(_CAPITALISED.findall(text)), 4) / 4.0
    values["question"] = float(text.rstrip("\"'”’) ").endswith("?"))
    values["headline"] = float(is_headline(text))
    values["short"] = float(len(words) < 7)
    values["long"] = float(len(words) > 40)
    values["furniture"] = float(is_furniture(text))
    return SentenceFeatures(values, quantities)


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens; digit runs become "0" so numbers share one shape."""
    return _WORD.findall(_DIGIT_RUN.sub("0", text.lower().replace("’", "'")))


def ngrams(text: str) -> list[str]:
    """Word unigrams and bigrams (with sentence start/end markers for the bigrams)."""
    toks = tokens(text)
    padded = ["<s>", *toks, "</s>"]
    return toks + [f"{a} {b}" for a, b in itertools.pairwise(padded)]


def hash_bucket(feature: str, n_buckets: int) -> int:
    """Stable bucket of an n-gram (crc32: the same in every process and Python version)."""
    return zlib.crc32(feature.encode("utf-8")) % n_buckets


def hashed(text: str, n_buckets: int) -> dict[int, float]:
    """Binary bag of hashed n-grams."""
    return dict.fromkeys((hash_bucket(g, n_buckets) for g in ngrams(text)), 1.0)


def categories_of(features: SentenceFeatures) -> list[str]:
    """The category set a reviewer sees, derived from the fired features."""
    cats: list[str] = []
    if features.fired("statistic") or features.fired("percent") or features.fired("money"):
        cats.append("statistic")
    if features.fired("ratio"):
        cats.append("ratio")
    if features.fired("comparison") or features.fired("multiplier"):
        cats.append("comparison")
    cats.extend(n for n in ("causal", "trend", "prediction", "attribution") if features.fired(n))
    if features.fired("event") and features.fired("named_entities"):
        cats.append("event")
    return cats


def dense_vector(features: SentenceFeatures, names: Iterable[str] = RULE_FEATURES) -> list[float]:
    """Rule features in `names` order (the linear model's dense columns)."""
    return [features.values.get(n, 0.0) for n in names]
