"""Sentence gates: contact lines are recognised by their address, and a sentence longer
than any claim can be is refused by length before any pattern is tried (a long run of
digits once took a pattern minutes: it re-scanned the run from every position)."""

from __future__ import annotations

import pytest

from factcheck.domain.limits import MAX_CLAIM_CHARS
from factcheck.extraction.gates import TOO_LONG, sentence_gate

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "sentence",
    [
        "Email us at tips@example.com for more.",
        "Write to jane.doe+news@bbc.co.uk with your story.",
        "Send your tips to news@paper.example.",
    ],
)
def test_a_line_giving_an_email_address_is_a_contact_line(sentence: str) -> None:
    assert sentence_gate(sentence) == "a contact or helpline line"


@pytest.mark.parametrize(
    "sentence",
    [
        "Exports grew by 40% in 2023, the statistics office said.",
        "The rate rose from 3.5 to 4.25 per cent @ the central bank.",
    ],
)
def test_prose_without_an_address_is_not_a_contact_line(sentence: str) -> None:
    assert sentence_gate(sentence) is None


@pytest.mark.parametrize("text", ["1234567890" * 10_000, "word " * (MAX_CLAIM_CHARS // 4)])
def test_a_sentence_longer_than_a_claim_can_be_is_refused_by_its_length(text: str) -> None:
    assert len(text) > MAX_CLAIM_CHARS
    assert sentence_gate(text) == TOO_LONG


def test_a_sentence_of_the_longest_claim_length_is_still_read() -> None:
    text = ("The deficit grew by 3% in 2023. " * 200)[:MAX_CLAIM_CHARS]
    assert sentence_gate(text) != TOO_LONG
