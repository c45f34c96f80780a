"""Search terms of a text: what a claim is indexed under and what a search query looks up.

Here, beside the fingerprint it is built from, so the store step (which indexes a claim)
and the API (which searches) share it without either importing the other.
"""

from __future__ import annotations

from factcheck.domain.limits import key_safe_terms
from factcheck.matching.fingerprint import NEGATIONS, Fingerprint, fingerprint, words


def search_terms(text: str, fp: Fingerprint | None = None) -> list[str]:
    """The terms a claim is indexed under for search: content words and numbers (`#n`).

    A term too long for a key is replaced by a digest of itself (`key_safe_term`), the same
    for the claim and for the query, so a search for a 3,000-character word still finds it.
    """
    fp = fp or fingerprint(text)
    terms = [w for w in words(text) if w not in NEGATIONS]
    # key-safe: each term becomes part of a DynamoDB key (at most 2,048 bytes)
    return key_safe_terms([*terms, *(f"#{n}" for n in sorted(fp.numbers))])
