"""What the pipeline can process: the limits an accepted document and its claims must keep.

"Accepted" must mean "processable": a document the API takes is one the extract and store
steps can finish. These pure functions state the limits once; the API applies the
document-level ones before anything is written (a 422 naming the limit and the number),
the extract step applies the claim-level ones before a claim is queued (a skipped claim is
counted, and the document says why: `skip_note`).

- Text fields: no control characters (NUL, C0 and C1 controls except tab, line feed and
  carriage return), and never only invisible characters (zero-width spaces, joiners, BOMs).
- A document must read as prose: at least half of its words that carry letters or digits
  carry letters (a list of bare numbers, a table dumped as text, is not an article).
- A claim is at most MAX_CLAIM_CHARS characters, carries at most MAX_CLAIM_QUANTITIES
  quantities and MAX_CONTEXT_CHARS characters of context each side, and has a word in it.
- A document yields at most `claim_budget(len(text))` claims: CLAIMS_BASE plus one per
  CHARS_PER_CLAIM characters, never more than MAX_CLAIMS_PER_DOCUMENT. (Measured on the
  59 real news pages in shared/eval/news: the densest page has one claim per 109
  characters, most one per 200-400; the budget is about twice the densest.)
- Index terms become DynamoDB key parts (`WORD#<term>`); a key part may have 2,048 bytes
  at most, so a term over MAX_TERM_BYTES is replaced by a fixed-length digest of itself
  (`key_safe_term`): the same long word still finds the same claims.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")

MAX_CLAIM_CHARS = 4_000
MAX_CLAIM_QUANTITIES = 50
MAX_CONTEXT_CHARS = 1_000
CLAIMS_BASE = 10
CHARS_PER_CLAIM = 100
MAX_CLAIMS_PER_DOCUMENT = 250
MIN_PROSE_SHARE = 0.5
MAX_TERM_BYTES = 200  # well under DynamoDB's 2,048 bytes for a partition key, prefix included

_ALLOWED_CONTROLS = frozenset("\t\n\r")
_LETTERS = re.compile(r"[^\W\d_]")
_DIGITS = re.compile(r"\d")
_WORD = re.compile(r"[^\W\d_]{2,}")  # two letters in a row: a word, not a unit or an initial


def control_characters(value: str) -> list[str]:
    """The distinct control characters in `value` (as U+XXXX), tab and newlines allowed."""
    found = {ch for ch in value if unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS}
    return [f"U+{ord(ch):04X}" for ch in sorted(found)]


def only_invisible(value: str) -> bool:
    """True for a non-empty text of only whitespace and format characters (zero-width...)."""
    return (
        bool(value)
        and all(ch.isspace() or unicodedata.category(ch) == "Cf" for ch in value)
        and any(unicodedata.category(ch) == "Cf" for ch in value)
    )


def visible_text(value: str) -> str:
    """`value` without format characters (zero-width, BOM, bidi marks) and outer spaces."""
    return "".join(ch for ch in value if unicodedata.category(ch) != "Cf").strip()


@dataclass(frozen=True, slots=True)
class ProseShare:
    """How many whitespace-separated words carry letters, and how many only digits."""

    lettered: int
    numeric: int

    @property
    def share(self) -> float:
        counted = self.lettered + self.numeric
        return self.lettered / counted if counted else 0.0

    @property
    def is_prose(self) -> bool:
        return self.lettered > 0 and self.share >= MIN_PROSE_SHARE


def prose_share(text: str) -> ProseShare:
    """Words with letters vs words of digits (punctuation and emoji count as neither)."""
    lettered = numeric = 0
    for token in text.split():
        if _LETTERS.search(token):
            lettered += 1
        elif _DIGITS.search(token):
            numeric += 1
    return ProseShare(lettered, numeric)


def claim_budget(text_chars: int) -> int:
    """The most claims a document of `text_chars` characters yields."""
    return min(
        MAX_CLAIMS_PER_DOCUMENT, CLAIMS_BASE + math.ceil(max(0, text_chars) / CHARS_PER_CLAIM)
    )


def claim_problem(text: str) -> str | None:
    """Why a claim's text cannot be a claim (a skip reason), or None when it can."""
    if len(text) > MAX_CLAIM_CHARS:
        return "too_long"
    if not _WORD.search(text):
        return "no_words"
    return None


def trim_context(before: str, after: str) -> tuple[str, str]:
    """The context nearest the claim: the end of the text before, the start of the after."""
    return before[-MAX_CONTEXT_CHARS:], after[:MAX_CONTEXT_CHARS]


def key_safe_term(term: str) -> str:
    """`term` if it fits a key part, else a prefix and a digest of it (deterministic)."""
    if len(term.encode("utf-8")) <= MAX_TERM_BYTES:
        return term
    digest = hashlib.sha256(term.encode("utf-8")).hexdigest()[:32]
    return f"{term[:16]}~{digest}"


def key_safe_terms(terms: Iterable[str]) -> list[str]:
    """Each term made key-safe, duplicates removed, order kept."""
    return list(dict.fromkeys(key_safe_term(t) for t in terms))


_SKIP_REASONS = {
    "too_long": f"longer than {MAX_CLAIM_CHARS:,} characters",
    "no_words": "no words (only numbers or symbols)",
    "over_budget": "over the document's claim budget",
}


def skip_note(skipped: dict[str, int], *, budget: int, text_chars: int) -> str | None:
    """One sentence for the document saying which check-worthy sentences were not queued."""
    parts = []
    for reason, count in skipped.items():
        if not count:
            continue
        what = _SKIP_REASONS[reason]
        if reason == "over_budget":
            what = (
                f"over the claim budget of {budget:,} for a {text_chars:,}-character document "
                f"({CLAIMS_BASE} plus one per {CHARS_PER_CLAIM} characters, at most "
                f"{MAX_CLAIMS_PER_DOCUMENT:,}); the highest-scoring were kept"
            )
        parts.append(f"{count:,} {what}")
    if not parts:
        return None
    total = sum(skipped.values())
    noun = "sentence was" if total == 1 else "sentences were"
    return f"{total:,} check-worthy {noun} not queued: " + "; ".join(parts) + "."


@dataclass(frozen=True)
class Admitted(Generic[T]):
    """The claims to queue (text order kept), what was skipped and why, and the note."""

    kept: list[T]
    skipped: dict[str, int] = field(default_factory=dict)
    note: str | None = None


def admit_claims(
    claims: Sequence[T],
    *,
    text_chars: int,
    text_of: Callable[[T], str],
    score_of: Callable[[T], float],
) -> Admitted[T]:
    """Drop claims that cannot be claims, then keep the budget's best by score, in order."""
    skipped = dict.fromkeys(_SKIP_REASONS, 0)
    fit: list[T] = []
    for claim in claims:
        problem = claim_problem(text_of(claim))
        if problem:
            skipped[problem] += 1
        else:
            fit.append(claim)
    budget = claim_budget(text_chars)
    if len(fit) > budget:
        ranked = sorted(range(len(fit)), key=lambda i: (-score_of(fit[i]), i))
        keep = set(ranked[:budget])
        skipped["over_budget"] = len(fit) - budget
        fit = [c for i, c in enumerate(fit) if i in keep]
    note = skip_note(skipped, budget=budget, text_chars=text_chars)
    return Admitted(fit, {k: v for k, v in skipped.items() if v}, note)
