"""A document's sentences are stored compactly in one item and read back as they were; a
document too long for the item limit loses its explanations first, then trailing rows."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factcheck.domain.sentences import ScoredSentence
from factcheck.storage.dynamo import DynamoRepository
from factcheck.storage.sentences import decode, encode

pytestmark = pytest.mark.unit

SOURCE = "x" * 2_000
PHRASES = st.sampled_from(["has a number", "names a source", "a headline", "ad copy", "é ✓"])


@st.composite
def sentences(draw: st.DrawFn) -> list[ScoredSentence]:
    out = []
    for start in sorted(draw(st.sets(st.integers(0, 1_900), max_size=40))):
        out.append(
            ScoredSentence(
                start=start,
                end=start + draw(st.integers(1, 99)),
                score=draw(st.floats(0, 1)),
                logit=draw(st.floats(-20, 20)),
                selected=draw(st.booleans()),
                gate=draw(st.none() | PHRASES),
                explanation=draw(st.lists(PHRASES, max_size=3)),
            )
        )
    return out


@given(sentences())
def test_encoding_keeps_every_field_to_the_stored_precision(items: list[ScoredSentence]) -> None:
    text, truncated = encode(items)
    back = decode("d1", text, truncated, SOURCE).items
    assert not truncated and len(back) == len(items)
    for got, want in zip(back, items, strict=True):
        assert (got.start, got.end, got.selected, got.gate) == (
            want.start,
            want.end,
            want.selected,
            want.gate,
        )
        assert got.explanation == want.explanation and got.text == SOURCE[want.start : want.end]
        assert got.score == pytest.approx(want.score, abs=5e-5)
        assert got.logit == pytest.approx(want.logit, abs=5e-4)


def test_over_the_limit_explanations_go_first_then_trailing_rows() -> None:
    many = [
        ScoredSentence(
            start=i,
            end=i + 1,
            score=0.5,
            logit=0.0,
            selected=False,
            gate="a headline",
            explanation=[f"reason {i}"],
        )
        for i in range(2_000)
    ]
    full, _ = encode(many)
    text, truncated = encode(many, limit=len(full) // 2)
    back = decode("d1", text, truncated, SOURCE).items
    assert truncated and len(text.encode()) <= len(full) // 2
    assert all(s.explanation == [] and s.gate == "a headline" for s in back)
    assert [s.start for s in back] == list(range(len(back)))  # the first ones, in order
    small, cut = encode(many, limit=20_000)
    assert cut and 0 < len(decode("d1", small, cut, SOURCE).items) < len(back)


def test_a_stored_documents_sentences_read_back_and_a_rewrite_replaces_them(
    repo: DynamoRepository,
) -> None:
    one = ScoredSentence(start=0, end=5, score=0.9, logit=2.0, selected=True)
    assert repo.document_sentences("d0123456789abcdef", SOURCE) is None
    assert repo.put_sentences("d0123456789abcdef", [one, one]) is False
    assert repo.put_sentences("d0123456789abcdef", [one]) is False
    found = repo.document_sentences("d0123456789abcdef", "Hello world")
    assert found is not None and [s.text for s in found.items] == ["Hello"]
