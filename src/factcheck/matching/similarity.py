"""The verification score of a candidate pair.

Word overlap (the mean of Dice and the overlap coefficient: a shorter restatement of a
longer claim still scores), then the things that make two similar sentences different
claims: other numbers (the hard case: "a 3–1 advantage" vs "a 5–1 advantage"), numbers on
one side only, and a negation on one side only.
"""

from __future__ import annotations

from factcheck.matching.fingerprint import Fingerprint

MATCH_THRESHOLD = 0.65  # chosen on tests/data/paraphrase_pairs.jsonl; docs/matching.md
NUMBERS_DIFFER = 0.3
NUMBERS_ONE_SIDED = 0.75
NEGATION_DIFFERS = 0.5
DIRECTION_DIFFERS = 0.5
NUMBERS_AGREE_BONUS = 0.1


def similarity(a: Fingerprint, b: Fingerprint) -> float:
    if not a.words or not b.words:
        return 0.0
    common = len(a.words & b.words)
    dice = 2 * common / (len(a.words) + len(b.words))
    overlap = common / min(len(a.words), len(b.words))
    score = (dice + overlap) / 2
    if a.numbers and b.numbers:
        if a.numbers == b.numbers:
            score = min(1.0, score + NUMBERS_AGREE_BONUS)
        else:
            score *= NUMBERS_DIFFER
    elif a.numbers or b.numbers:
        score *= NUMBERS_ONE_SIDED
    if a.negated != b.negated:
        score *= NEGATION_DIFFERS
    if a.direction * b.direction < 0:  # one says it rose, the other that it fell
        score *= DIRECTION_DIFFERS
    return round(score, 4)


def is_match(a: Fingerprint, b: Fingerprint, threshold: float = MATCH_THRESHOLD) -> bool:
    return similarity(a, b) >= threshold
