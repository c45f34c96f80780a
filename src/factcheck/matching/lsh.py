"""MinHash signatures and LSH bands: candidate matches by key lookup, not by comparison.

Two term sets with Jaccard similarity J share at least one of `BANDS` bands of `ROWS`
MinHash values with probability 1 - (1 - J**ROWS)**BANDS: with 24 bands of 2 rows that is
0.88 at J = 0.3 and 0.99 at J = 0.5, while the per-band keys stay specific enough that a
bucket holds few unrelated claims. The verification (`similarity`) then decides.
"""

from __future__ import annotations

import hashlib
import random
import struct
from collections.abc import Iterable

from factcheck.matching.fingerprint import Fingerprint

BANDS = 24
ROWS = 2
_PRIME = (1 << 61) - 1
_MAX = (1 << 61) - 1
_rng = random.Random(20240609)  # fixed: signatures must be stable across processes
_PERMUTATIONS = [
    (_rng.randrange(1, _PRIME), _rng.randrange(0, _PRIME)) for _ in range(BANDS * ROWS)
]


def _h(term: str) -> int:
    digest = hashlib.blake2b(term.encode("utf-8"), digest_size=8).digest()
    return int(struct.unpack("<Q", digest)[0])


def minhash(terms: Iterable[str]) -> list[int]:
    hashes = [_h(t) for t in set(terms)]
    if not hashes:
        return []
    return [min((a * h + b) % _PRIME for h in hashes) for a, b in _PERMUTATIONS]


def lsh_buckets(fp: Fingerprint) -> list[str]:
    """One `<band>#<bucket>` per band (empty for a claim with no terms)."""
    signature = minhash(fp.terms)
    if not signature:
        return []
    buckets = []
    for band in range(BANDS):
        rows = signature[band * ROWS : (band + 1) * ROWS]
        digest = hashlib.blake2b(
            b"".join(struct.pack("<Q", v & _MAX) for v in rows), digest_size=8
        ).hexdigest()
        buckets.append(f"{band:02d}#{digest}")
    return buckets
