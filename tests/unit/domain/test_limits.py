"""The processing limits as pure rules: what a text field, a document and a claim may be."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factcheck.domain import limits

pytestmark = pytest.mark.unit

DYNAMODB_KEY_BYTES = 2048


@pytest.mark.parametrize(
    ("value", "found"),
    [
        ("plain text", []),
        ("tabs\tand\nnew lines\r\n are fine", []),
        ("a NUL\x00 here", ["U+0000"]),
        ("bell\x07 and escape\x1b", ["U+0007", "U+001B"]),
        ("DEL\x7f and a C1 control\x85", ["U+007F", "U+0085"]),
        ("zero\u200bwidth is not a control", []),
    ],
)
def test_control_characters_are_named_and_tabs_and_newlines_are_not(
    value: str, found: list[str]
) -> None:
    assert limits.control_characters(value) == found


@pytest.mark.parametrize(
    ("value", "invisible"),
    [
        ("\u200b", True),
        ("\u200b\u200c\u200d\ufeff \n", True),
        ("\u2060\u200e\u200f", True),
        ("", False),
        ("   ", False),  # blank, not invisible: the schema's own rule
        ("a\u200b", False),
        ("40%", False),
    ],
)
def test_a_text_of_only_zero_width_characters_is_recognised(value: str, invisible: bool) -> None:
    assert limits.only_invisible(value) is invisible


@pytest.mark.parametrize(
    ("text", "prose"),
    [
        ("307756. 593667. 118213. 774104. 902331.", False),
        ("3.1.4.1.5.9.2.6. " * 50, False),
        ("?!.,;:…—–-'\"()[]{} " * 20, False),
        ("Exports grew 40% in 2023, three times as fast as wages.", True),
        ("👨‍👩‍👧‍👦 prices rose 5% 🏳️‍🌈. " * 10, True),
        ("出口增长了40%。 الصادرات نمت 40٪.", True),
        ("Revenue 1,204 1,388 1,590 1,702 1,911 2,034", False),
    ],
)
def test_a_list_of_numbers_is_not_prose_and_an_article_is(text: str, prose: bool) -> None:
    assert limits.prose_share(text).is_prose is prose


@pytest.mark.parametrize(
    ("chars", "budget"),
    [
        (0, 10),
        (1, 11),
        (100, 11),
        (870, 19),
        (15_000, 160),
        (150_000, limits.MAX_CLAIMS_PER_DOCUMENT),
    ],
)
def test_the_claim_budget_grows_with_the_length_up_to_a_ceiling(chars: int, budget: int) -> None:
    assert limits.claim_budget(chars) == budget


@given(st.integers(min_value=0, max_value=10_000_000))
def test_the_claim_budget_is_never_below_the_base_nor_above_the_ceiling(chars: int) -> None:
    assert limits.CLAIMS_BASE <= limits.claim_budget(chars) <= limits.MAX_CLAIMS_PER_DOCUMENT


@given(st.text(min_size=0, max_size=3000))
def test_a_key_safe_term_always_fits_a_dynamodb_key_and_is_deterministic(term: str) -> None:
    safe = limits.key_safe_term(term)
    assert len(f"WORD#{safe}".encode()) < DYNAMODB_KEY_BYTES
    assert safe == limits.key_safe_term(term)
    if len(term.encode()) <= limits.MAX_TERM_BYTES:
        assert safe == term


def test_two_long_terms_with_the_same_start_stay_distinct() -> None:
    a, b = "x" * 3000, "x" * 2999 + "y"
    assert limits.key_safe_term(a) != limits.key_safe_term(b)
    assert limits.key_safe_terms([a, "budget", a]) == [limits.key_safe_term(a), "budget"]


@dataclass(frozen=True)
class Found:
    text: str
    score: float


def _admit(claims: list[Found], chars: int) -> limits.Admitted[Found]:
    return limits.admit_claims(
        claims, text_chars=chars, text_of=lambda c: c.text, score_of=lambda c: c.score
    )


def test_claims_that_cannot_be_claims_are_skipped_and_counted() -> None:
    claims = [
        Found("Exports grew 40% in 2023.", 0.9),
        Found("307756.", 0.8),
        Found("Prices rose " + "very " * 1000 + "fast.", 0.7),
    ]
    admitted = _admit(claims, chars=100_000)
    assert admitted.kept == claims[:1]
    assert admitted.skipped == {"no_words": 1, "too_long": 1}
    assert admitted.note is not None
    assert "2 check-worthy sentences were not queued" in admitted.note
    assert f"longer than {limits.MAX_CLAIM_CHARS:,} characters" in admitted.note


def test_over_the_budget_the_best_scored_are_kept_in_text_order() -> None:
    claims = [Found(f"Claim number {i} says {i}%.", score=(i % 7) / 7) for i in range(40)]
    admitted = _admit(claims, chars=50)  # budget 11
    assert len(admitted.kept) == limits.claim_budget(50) == 11
    assert admitted.skipped == {"over_budget": 29}
    kept_scores = sorted((c.score for c in admitted.kept), reverse=True)
    assert min(kept_scores) >= sorted((c.score for c in claims), reverse=True)[10]
    assert admitted.kept == [c for c in claims if c in admitted.kept]  # text order
    assert admitted.note and "claim budget of 11 for a 50-character document" in admitted.note


def test_a_document_within_every_limit_gets_no_note() -> None:
    claims = [Found("Exports grew 40% in 2023.", 0.9)]
    assert _admit(claims, chars=1000) == limits.Admitted(claims, {}, None)


def test_the_context_kept_is_the_part_nearest_the_claim() -> None:
    before, after = "a" * 5000 + "NEAR", "NEAR" + "b" * 5000
    kept_before, kept_after = limits.trim_context(before, after)
    assert kept_before.endswith("NEAR") and len(kept_before) == limits.MAX_CONTEXT_CHARS
    assert kept_after.startswith("NEAR") and len(kept_after) == limits.MAX_CONTEXT_CHARS


_CONTROLS = [chr(c) for c in [*range(0, 9), 11, 12, *range(14, 32), *range(127, 160)]]


@given(
    before=st.text(st.characters(blacklist_categories=["Cc", "Cs"]), max_size=50),
    control=st.sampled_from(_CONTROLS),
    after=st.text(st.characters(blacklist_categories=["Cc", "Cs"]), max_size=50),
)
def test_any_control_character_anywhere_is_found_and_text_without_one_is_clean(
    before: str, control: str, after: str
) -> None:
    assert limits.control_characters(before + after + "\t\n\r") == []
    assert limits.control_characters(before + control + after) == [f"U+{ord(control):04X}"]


@given(st.text(st.characters(whitelist_categories=["Lu", "Ll", "Lo"]), min_size=2, max_size=20))
def test_adding_words_to_a_text_never_makes_it_less_prose(word: str) -> None:
    numbers = "1 2 3 4"
    assert (
        limits.prose_share(f"{numbers} {word}").share
        <= limits.prose_share(f"{numbers} {word} {word}").share
    )
