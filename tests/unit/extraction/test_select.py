"""Selection: calibrated threshold, per-article budget, repeats; every sentence stays listed."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factcheck.extraction.select import REPEAT, Selection, repeats, select

pytestmark = pytest.mark.unit


@dataclass(frozen=True)
class S:
    text: str
    score: float
    logit: float
    gate: str | None = None
    selected: bool = False


def _s(i: int, score: float, gate: str | None = None) -> S:
    return S(f"Sentence number {i} reports {i * 7} new cases in district {i}.", score, score, gate)


def test_the_budget_keeps_the_best_scores_per_thousand_words() -> None:
    sentences = [_s(i, 0.5 + i / 100) for i in range(20)]
    chosen = select(sentences, Selection(threshold=0.4, per_1000_words=5, min_claims=2), 1000)
    kept = [s for s in chosen if s.selected]
    assert len(kept) == 5
    assert {s.score for s in kept} == {0.5 + i / 100 for i in range(15, 20)}
    assert len(chosen) == 20  # nothing is dropped from "all sentences"


def test_a_short_article_still_gets_its_minimum() -> None:
    sentences = [_s(i, 0.9) for i in range(6)]
    rule = Selection(threshold=0.4, per_1000_words=5, min_claims=3)
    assert sum(s.selected for s in select(sentences, rule, 120)) == 3


def test_gated_and_below_threshold_sentences_are_never_selected() -> None:
    sentences = [_s(0, 0.99, gate="a headline or sub-headline"), _s(1, 0.2), _s(2, 0.7)]
    chosen = select(sentences, Selection(threshold=0.5), 300)
    assert [s.selected for s in chosen] == [False, False, True]


def test_a_standfirst_restated_by_the_body_is_the_repeat() -> None:
    standfirst = "Microsoft will invest $1 billion over four years in carbon removal"
    body = "Microsoft Corp. will invest $1 billion over the next four years in carbon removal."
    assert repeats([standfirst, "Other words entirely here.", body]) == {0}
    chosen = select([S(standfirst, 0.9, 2.0), S(body, 0.8, 1.5)], Selection(threshold=0.5), 50)
    assert chosen[0].gate == REPEAT and chosen[1].selected


@given(
    st.lists(st.tuples(st.floats(0, 1), st.booleans()), max_size=40),
    st.floats(0, 1),
    st.one_of(st.none(), st.floats(1, 30)),
    st.integers(0, 5000),
)
def test_selection_respects_threshold_gates_and_budget(
    rows: list[tuple[float, bool]], threshold: float, per: float | None, words: int
) -> None:
    sentences = [_s(i, p, "gated" if g else None) for i, (p, g) in enumerate(rows)]
    rule = Selection(threshold=threshold, per_1000_words=per, min_claims=3)
    chosen = select(sentences, rule, words)
    kept = [s for s in chosen if s.selected]
    assert len(chosen) == len(sentences)
    assert all(s.gate is None and s.score >= threshold for s in kept)
    limit = rule.budget(words)
    assert limit is None or len(kept) <= limit
    rejected = [s for s in chosen if not s.selected and s.gate is None and s.score >= threshold]
    assert not rejected or (limit is not None and len(kept) == limit)
    if rejected and kept:
        assert max(r.score for r in rejected) <= min(k.score for k in kept)
