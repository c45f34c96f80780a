"""End to end on text: the seed article's claims, offsets, de-duplication, context."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.extraction.clean import looks_like_html
from factcheck.extraction.extractor import extract, extract_document, extract_html
from factcheck.extraction.linear import ARTIFACT
from factcheck.extraction.scorer import Scorer
from factcheck.ids import claim_id, document_id

pytestmark = pytest.mark.unit


def _find(claims: list, needle: str):  # type: ignore[no-untyped-def]
    hits = [c for c in claims if needle in c.text]
    assert hits, f"no claim contains {needle!r}"
    return hits[0]


def test_seed_article_yields_the_checkable_claims_and_no_furniture(
    seed_source: str, linear: Scorer
) -> None:
    claims = extract(seed_source, scorer=linear)
    manpower = _find(claims, "manpower advantage")
    assert any(q.kind == "ratio" and q.low == q.high == 3 for q in manpower.quantities)
    ammunition = _find(claims, "two to three times as much ammunition")
    assert any(q.kind == "multiplier" and (q.low, q.high) == (2, 3) for q in ammunition.quantities)
    _find(claims, "unlikely to change Putin’s calculus")
    _find(claims, "its economy has fared remarkably well")
    for furniture in ("Source link", "Related Posts", "Load More Posts"):
        assert not any(furniture in c.text for c in claims)
    assert len(claims) <= 15


def test_seed_article_prescriptions_without_facts_do_not_pass(
    seed_source: str, linear: Scorer
) -> None:
    claims = extract(seed_source, scorer=linear)
    assert not any(c.text.startswith(("Trump should", "First, Trump should")) for c in claims)
    assert not any("deserves immense credit" in c.text for c in claims)


def test_every_claim_slices_the_original_text(seed_source: str, linear: Scorer) -> None:
    for claim in extract(seed_source, scorer=linear, include_all=True):
        assert seed_source[claim.start : claim.end] == claim.text


def test_claims_carry_ids_context_and_sensible_scores(seed_source: str, linear: Scorer) -> None:
    everything = extract(seed_source, scorer=linear, include_all=True)
    texts = [c.text for c in everything]
    for claim in extract(seed_source, scorer=linear):
        assert claim.id == claim_id(document_id(seed_source), claim.start, claim.text)
        assert 0.0 < claim.score < 1.0 and claim.selected and claim.gate is None
        i = texts.index(claim.text)
        assert claim.context_before == (texts[i - 1] if i else "")
        assert claim.context_after == (texts[i + 1] if i + 1 < len(texts) else "")


def test_repeated_sentences_are_kept_once(linear: Scorer) -> None:
    sentence = "Unemployment rose 40 percent in 2020, the biggest rise on record."
    claims = extract(f"{sentence}\n\nOther words here.\n\n{sentence}", scorer=linear)
    assert [c.text for c in claims] == [sentence]


def test_threshold_and_include_all_control_what_is_kept(seed_source: str, linear: Scorer) -> None:
    everything = extract(seed_source, scorer=linear, include_all=True)
    assert len(extract(seed_source, scorer=linear, threshold=0.0)) <= len(everything)
    assert extract(seed_source, scorer=linear, threshold=1.0) == [] or all(
        c.score == 1.0 for c in extract(seed_source, scorer=linear, threshold=1.0)
    )


def test_the_doc_id_given_is_used_for_claim_ids(linear: Scorer) -> None:
    text = "Unemployment rose 40 percent in 2020, the biggest rise on record."
    claim = extract(text, doc_id="d123", scorer=linear)[0]
    assert claim.id == claim_id("d123", 0, text)


def test_html_offsets_index_the_extracted_text(linear: Scorer) -> None:
    paragraphs = "".join(
        f"<p>In {2010 + i}, the city spent $1.{i} billion on {i + 2} new bridges, "
        f"{10 * i} percent more than the year before.</p>"
        for i in range(1, 6)
    )
    html = f"<html><body><nav>Share this</nav><article>{paragraphs}</article></body></html>"
    result = extract_html(html, scorer=linear)
    assert result.claims
    for claim in result.claims:
        assert result.source[claim.start : claim.end] == claim.text


@pytest.mark.parametrize("text", ["", "   \n\n  ", "Source link\nRelated Posts"])
def test_text_without_sentences_has_no_claims(text: str, linear: Scorer) -> None:
    assert extract(text, scorer=linear) == []


def test_claims_serialise_to_the_cli_shape(seed_source: str, linear: Scorer) -> None:
    claim = extract(seed_source, scorer=linear)[0].to_dict()
    json.dumps(claim)
    assert {
        "id",
        "text",
        "start",
        "end",
        "score",
        "reasons",
        "categories",
        "quantities",
        "context_before",
        "context_after",
    } <= set(claim)


def test_the_shipped_model_is_small_and_carries_its_threshold() -> None:
    assert ARTIFACT.stat().st_size < 3 * 1024 * 1024
    artifact = json.loads(ARTIFACT.read_text(encoding="utf-8"))
    assert 0.0 < artifact["threshold"] < 1.0


@settings(max_examples=150, deadline=None, database=None)
@given(st.text(max_size=600))
def test_extractor_never_raises_and_offsets_slice_the_input(text: str) -> None:
    from factcheck.extraction.scorer import linear_scorer

    result = extract_document(text, scorer=linear_scorer(), include_all=True)
    if not looks_like_html(text):
        assert result.source == text
    for claim in result.claims:
        assert result.source[claim.start : claim.end] == claim.text
        assert 0.0 <= claim.score <= 1.0


def test_seed_article_with_the_shipped_scorer_yields_the_named_claims(seed_source: str) -> None:
    from factcheck.extraction.scorer import default_scorer

    result = extract_document(seed_source, scorer=default_scorer())
    assert result.status == "ok"
    claims = result.claims
    manpower = _find(claims, "manpower advantage")
    assert any(q.kind == "ratio" and q.low == q.high == 3 for q in manpower.quantities)
    assert any(q.kind == "multiplier" and (q.low, q.high) == (2, 3) for q in manpower.quantities)
    _find(claims, "unlikely to change Putin’s calculus")
    _find(claims, "its economy has fared remarkably well")
    assert not any(
        f in c.text for c in claims for f in ("Source link", "Related Posts", "Load More")
    )
    scores = [c.score for c in claims]
    assert len(set(scores)) == len(scores)
