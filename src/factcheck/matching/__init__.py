"""Claim matching: has this claim been checked before? Pure Python, no AWS.

- `fingerprint(text, quantities)`: the claim's normalised content words (light stemming,
  a few synonyms folded), its numbers (from the normalised quantities) and its negation.
- `lsh_buckets(fp)`: MinHash over the fingerprint's terms, cut into LSH bands; the storage
  keeps one index item per band (`LSH#<band>#<bucket>`), so the candidates for a new claim
  are found by a few Queries, never a Scan.
- `similarity(a, b)`: the verification score in [0, 1] of two fingerprints; a pair at or
  above `MATCH_THRESHOLD` says the same thing. The threshold and the LSH shape were chosen
  on `tests/data/paraphrase_pairs.jsonl` (see docs/matching.md for the measured figures).
"""

from factcheck.matching.fingerprint import Fingerprint, fingerprint
from factcheck.matching.lsh import BANDS, ROWS, lsh_buckets, minhash
from factcheck.matching.similarity import MATCH_THRESHOLD, is_match, similarity

__all__ = [
    "BANDS",
    "MATCH_THRESHOLD",
    "ROWS",
    "Fingerprint",
    "fingerprint",
    "is_match",
    "lsh_buckets",
    "minhash",
    "similarity",
]
