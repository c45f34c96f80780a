"""Search terms of a text: what a claim is indexed under and what a search query looks up.

Here, beside the fingerprint it is built from, so the store step (which indexes a claim)
and the API (which searches) share it without either importing the other.
"""

from __future__ import annotations

from factcheck.matching.fingerprint import NEGATIONS, Fingerprint, fingerprint, words


def search_terms(text: str, fp: Fingerprint | None = None) -> list[str]:
    """The terms a claim is indexed under for search: content words and numbers (`#n`)."""
    fp = fp or fingerprint(text)
    terms = [w for w in words(text) if w not in NEGATIONS]
    return list(dict.fromkeys([*terms, *(f"#{n}" for n in sorted(fp.numbers))]))
