"""The rendered text of a page plus its stored block layout reads exactly as the HTML did (the
pipeline's path); without a layout, or with one that does not fit the text, the text is read
as plain text, as documents stored before layouts were kept always were."""

from __future__ import annotations

from typing import Any

import pytest

from factcheck.extraction.extractor import ExtractedClaim, extract_document
from factcheck.extraction.scorer import Scorer
from factcheck.extraction.structure import (
    HEADING,
    LIST_ITEM,
    PARAGRAPH,
    blocks_from_layout,
    layout_rows,
    structured_text,
)

pytestmark = pytest.mark.unit

PAGE = """<html><head><title>Jobless rate hits decade high</title></head><body><article>
<h1>County jobless rate hits 7.4 percent as two plants close.</h1>
<p>Unemployment in the county rose to 7.4 percent in March, the highest rate since 2010,
according to figures the state labour department published on Friday.</p>
<p>The county lost 3,200 jobs in manufacturing over the year, twice as many as in 2019, and
the number of people claiming benefits grew by 18 percent.</p>
<ul><li>Our card earns 5 points per dollar on travel.</li>
<li>Card issuer® offers 60,000 bonus points after you spend $4,000 in three months.</li></ul>
<h2>Retraining will cost the city $40 million, twice the 2019 budget.</h2>
<p>The mayor said the city would spend $40 million on a retraining programme, the largest
such programme in the state's history.</p>
</article></body></html>"""


def _spans(claims: list[ExtractedClaim]) -> list[tuple[Any, ...]]:
    return [(c.id, c.start, c.end, c.text, c.score, c.gate, c.selected) for c in claims]


@pytest.fixture(scope="module")
def rendered() -> tuple[str, list[tuple[int, int, str, float, int]]]:
    page = structured_text(PAGE)
    return page.source, layout_rows(page.blocks)


def test_the_stored_text_with_its_layout_gives_exactly_the_claims_and_sentences_of_the_html(
    linear: Scorer, rendered: tuple[str, list[tuple[int, int, str, float, int]]]
) -> None:
    source, layout = rendered
    from_html = extract_document(PAGE, scorer=linear, threshold=0.0, html=True)
    stored = extract_document(source, scorer=linear, threshold=0.0, html=False, layout=layout)
    assert from_html.source == source
    assert _spans(stored.claims) == _spans(from_html.claims)
    assert _spans(stored.sentences) == _spans(from_html.sentences)
    gated = {s.text: s.gate for s in stored.sentences if s.gate}
    assert any(t.startswith("County jobless rate hits") for t in gated)
    assert any(t.startswith("Retraining will cost the city") for t in gated)
    assert any("Card issuer®" in t for t in gated) and any("5 points" in t for t in gated)


def test_without_its_layout_the_same_text_loses_its_headlines(
    linear: Scorer, rendered: tuple[str, list[tuple[int, int, str, float, int]]]
) -> None:
    # the plain-text path (documents stored before layouts were kept) is unchanged: these
    # headlines end with a full stop, so nothing in the text tells them from prose
    source, _ = rendered
    plain = extract_document(source, scorer=linear, threshold=0.0, html=False)
    unset = extract_document(source, scorer=linear, threshold=0.0, html=False, layout=None)
    assert _spans(plain.sentences) == _spans(unset.sentences)
    ungated = {s.text for s in plain.sentences if s.gate is None}
    assert any(t.startswith("Retraining will cost the city") for t in ungated)
    assert any(t.startswith("County jobless rate hits") for t in ungated)


@pytest.mark.parametrize(
    "broken",
    [
        [],
        [(0, 10_000, "paragraph", 0.0, 1)],
        [(5, 3, "paragraph", 0.0, 1)],
        [(0, 20, "paragraph", 0.0, 1), (10, 30, "paragraph", 0.0, 2)],
        [(0, 20, "sidebar", 0.0, 1)],
        [(0, 20, "paragraph")],
        [("a", 20, "paragraph", 0.0, 1)],
    ],
    ids=["empty", "past-the-end", "backwards", "overlapping", "unknown-kind", "short", "not-int"],
)
def test_a_layout_that_does_not_fit_the_text_is_ignored_and_the_text_read_as_plain(
    linear: Scorer,
    rendered: tuple[str, list[tuple[int, int, str, float, int]]],
    broken: list[tuple[Any, ...]],
) -> None:
    source, _ = rendered
    plain = extract_document(source, scorer=linear, threshold=0.0, html=False)
    got = extract_document(source, scorer=linear, threshold=0.0, html=False, layout=broken)
    assert _spans(got.sentences) == _spans(plain.sentences)


def test_layout_rows_round_trip_to_the_same_blocks(
    rendered: tuple[str, list[tuple[int, int, str, float, int]]],
) -> None:
    source, layout = rendered
    blocks = structured_text(PAGE).blocks
    assert blocks_from_layout(source, layout) == blocks
    # as read back from the store: lists, and an integral share as an int
    read_back = [[s, e, k, int(sh) if sh.is_integer() else sh, g] for s, e, k, sh, g in layout]
    assert blocks_from_layout(source, read_back) == blocks
    assert {b.kind for b in blocks} >= {HEADING, LIST_ITEM, PARAGRAPH}
