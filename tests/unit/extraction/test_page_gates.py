"""Furniture that only the page's structure gives away: a standfirst or pull quote the page
marks as such, another story's teaser cut off with an ellipsis, and a one-line label with no
closing punctuation ("BONUS VALUATION*: $1,600") never become claims; the article's own
sentences next to them still do."""

from __future__ import annotations

import pytest

from factcheck.extraction.extractor import extract_document
from factcheck.extraction.scorer import Scorer
from factcheck.extraction.structure import PULL_QUOTE, STANDFIRST, structured_text

pytestmark = pytest.mark.unit

LEAD = (
    "The city council voted 7 to 2 on Tuesday to raise the minimum wage to $18 an hour by "
    "2026, the highest rate in the state."
)
BODY = (
    "The increase will cover about 41,000 workers, according to the council's budget office, "
    "and will cost the city $12 million a year in higher wages for its own staff."
)
QUOTED = "“We cannot keep paying people less than it costs to live here,” the mayor said."


def _page(*parts: str) -> str:
    inner = "\n".join(parts)
    return (
        f"<html><body><article><h1>Council raises the wage</h1>\n{inner}\n</article></body></html>"
    )


def _gates(html: str, linear: Scorer) -> dict[str, str | None]:
    result = extract_document(html, scorer=linear, threshold=0.0, html=True)
    return {s.text: s.gate for s in result.sentences}


@pytest.mark.parametrize(
    "marked",
    [
        '<p class="dek">{}</p>',
        '<p class="article__standfirst">{}</p>',
        '<div class="story-summary"><p>{}</p></div>',
        '<p class="intro">{}</p>',
    ],
)
def test_a_paragraph_the_page_marks_as_its_standfirst_is_not_a_claim(
    marked: str, linear: Scorer
) -> None:
    standfirst = "Workers across the city will earn at least $18 an hour within two years."
    page = _page(marked.format(standfirst), f"<p>{LEAD}</p>", f"<p>{BODY}</p>")
    assert STANDFIRST in {b.kind for b in structured_text(page).blocks}
    gates = _gates(page, linear)
    assert gates[standfirst] is not None and "standfirst" in str(gates[standfirst])
    assert gates[LEAD] is None and gates[BODY] is None


def test_a_class_that_only_contains_the_word_is_not_a_mark(linear: Scorer) -> None:
    # "introduction", "decker" are other words: the paragraph stays article text
    page = _page(f'<p class="introduction">{LEAD}</p>', f'<p class="decker">{BODY}</p>')
    assert STANDFIRST not in {b.kind for b in structured_text(page).blocks}
    gates = _gates(page, linear)
    assert gates[LEAD] is None and gates[BODY] is None


def test_a_pull_quote_marked_by_a_data_attribute_is_not_a_claim_but_its_article_line_is(
    linear: Scorer,
) -> None:
    pull = "“More than 30,000 people here work full time and earn under $15 an hour,” she said."
    page = _page(
        f"<p>{LEAD}</p>",
        f'<blockquote class="stylized pull-right" data-shortcode-type="pullquote">{pull}'
        "</blockquote>",
        f"<p>{BODY} Councillor Ana Ruiz, who wrote the bill, was blunter. {pull}</p>",
    )
    kinds = [b.kind for b in structured_text(page).blocks]
    assert PULL_QUOTE in kinds
    result = extract_document(page, scorer=linear, threshold=0.0, html=True)
    copies = [s for s in result.sentences if s.text == pull]
    assert [c.gate is not None for c in copies] == [True, False]  # the article's copy stays


def test_another_storys_teaser_cut_off_with_an_ellipsis_is_not_a_claim(linear: Scorer) -> None:
    teaser = (
        "Third round matches in the county cricket competition were badly affected by rain. "
        "The competition which is for teams in the..."
    )
    page = _page(f"<p>{LEAD}</p>", f"<p>{teaser}</p>", f"<p>{BODY}</p>")
    gates = _gates(page, linear)
    cut = [t for t in gates if t.startswith("Third round") or t.startswith("The competition")]
    assert len(cut) == 2 and all(gates[t] for t in cut)
    assert gates[LEAD] is None and gates[BODY] is None


def test_a_one_line_label_without_closing_punctuation_is_not_a_claim(linear: Scorer) -> None:
    page = _page(
        f"<p>{LEAD}</p>",
        "<p>BONUS VALUATION*: $1,600</p>",
        "<ul><li>Earn 80,000 bonus points after you spend $4,000 in three months</li></ul>",
        f"<p>{BODY}</p>",
        f"<p>{QUOTED}</p>",
    )
    gates = _gates(page, linear)
    assert gates["BONUS VALUATION*: $1,600"] is not None
    assert gates["Earn 80,000 bonus points after you spend $4,000 in three months"] is None
    assert gates[LEAD] is None and gates[BODY] is None and gates[QUOTED] is None


def test_a_page_of_one_unpunctuated_line_is_still_read(linear: Scorer) -> None:
    line = "Council raises the minimum wage to $18 an hour by 2026"
    page = f"<html><body><article><p>{line}</p></article></body></html>"
    assert _gates(page, linear) == {line: None}
