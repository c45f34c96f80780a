"""HTML keeps its structure: furniture never becomes a claim, sentences never cross blocks."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.extraction.extractor import NO_TEXT, OK, UNSUPPORTED_LANGUAGE, extract_document
from factcheck.extraction.gates import sentence_gate
from factcheck.extraction.scorer import Scorer
from factcheck.extraction.structure import HEADING, LIST_ITEM, structured_text

pytestmark = pytest.mark.unit

BODY = [
    "Unemployment in the county rose to 7.4 percent in March, the highest rate since 2010, "
    "according to figures the state labour department published on Friday.",
    "The county lost 3,200 jobs in manufacturing over the year, twice as many as in 2019, "
    "and the number of people claiming benefits grew by 18 percent.",
    "The mayor said the city would spend $40 million on a retraining programme, the largest "
    "such programme in the state's history.",
    "Economists at the state university said the rise was driven by the closure of two "
    "plants that together employed 1,900 people.",
]
PAGE = f"""<html><head><title>Jobless rate hits decade high | The Daily Ledger</title>
<meta name="author" content="Jane Reporter">
<meta property="article:published_time" content="2024-03-08T10:00:00Z">
<link rel="canonical" href="https://ledger.example.com/news/jobless-rate">
<meta property="og:site_name" content="The Daily Ledger"></head><body>
<article><h1>Jobless Rate Hits Its Highest Level In A Decade As Plants Close</h1>
<p>By Jane Reporter</p>
<p>{BODY[0]}</p>
<figure><img src="x.jpg"><figcaption>Workers leave the plant, which closed in 2023.
</figcaption></figure>
<p>{BODY[1]}</p>
<p>Sign up for our newsletter to get the latest jobs news delivered to your inbox.</p>
<p>{BODY[2]}</p>
<blockquote class="twitter-tweet"><p>Jobless rate up, 7.4% in March. pic.twitter.com/abc1</p>
<p>&mdash; Local Reporter (@localreporter) March 8, 2024</p></blockquote>
<p>{BODY[3]}</p>
<p>Contact us at news@ledger.example.com or call us at 555-0100.</p>
<p>Featured image by John Photographer/The Daily Ledger.</p>
</article></body></html>"""


def test_only_article_prose_becomes_claims_and_each_claim_is_one_sentence(linear: Scorer) -> None:
    result = extract_document(PAGE, scorer=linear, threshold=0.0)
    assert result.status == OK
    texts = [c.text for c in result.claims]
    assert texts and set(texts) <= set(BODY)
    for furniture in (
        "Jobless Rate Hits",
        "By Jane",
        "newsletter",
        "@localreporter",
        "Contact us",
        "Featured image",
        "pic.twitter",
    ):
        assert not any(furniture in t for t in texts), furniture
    assert all("\n" not in t for t in texts)


def test_refused_sentences_stay_available_with_a_reason_in_words(linear: Scorer) -> None:
    result = extract_document(PAGE, scorer=linear, threshold=0.0)
    gated = {s.text: s.gate for s in result.sentences if s.gate}
    assert any("newsletter" in t for t in gated)
    assert all(reason and " " in reason for reason in gated.values())
    assert all(result.source[s.start : s.end] == s.text for s in result.sentences)


def test_the_page_metadata_comes_back_with_the_result(linear: Scorer) -> None:
    meta = extract_document(PAGE, scorer=linear).metadata
    assert meta.authors == ["Jane Reporter"]
    assert meta.date == "2024-03-08"
    assert meta.url == "https://ledger.example.com/news/jobless-rate"
    assert meta.title is not None and "Jobless" in meta.title
    assert meta.site_name == "The Daily Ledger"


def test_headings_and_list_items_are_their_own_blocks() -> None:
    doc = structured_text(
        "<html><body><article><h2>Budget Plans</h2><p>The council approved a budget of "
        "$2 billion for 2025 on Tuesday after a long debate.</p><ul><li>Schools get 40 "
        "percent more.</li><li>Roads get less.</li></ul></article></body></html>"
    )
    kinds = [b.kind for b in doc.blocks]
    assert HEADING in kinds and kinds.count(LIST_ITEM) == 2
    for b in doc.blocks:
        assert "\n\n" not in doc.source[b.start : b.end]


@pytest.mark.parametrize(
    "line",
    [
        "You can unsubscribe from this service at any time.",
        "Contact us at desk@example.com or call us at 501-601-0315.",
        "Kaieteur News – The only president since Independence was David Granger.... more",
        "Featured image by Alberto Riva/The Points Guy.",
        "Related: Airline delays full membership to early 2021",
        "She is the first justice of her heritage. pic.twitter.com/CIHDX5qmux",
        "Earn points on travel when you redeem through Ultimate Rewards®.",
        "Posted: Thursday, April 21, 2022.",
        "By Aaron Humes",
        "This City Limits video delves into the complexities of a vote.",
        "*Bonus value is an estimated value calculated by the site, not the card issuer.",
    ],
)
def test_furniture_lines_are_refused_by_general_rules(line: str) -> None:
    assert sentence_gate(line) is not None


@pytest.mark.parametrize(
    "sentence",
    [
        "The company said its advertising revenue rose 20 percent to $3 billion in 2023.",
        "Police said they called the family at 9 p.m. on Sunday.",
        "More than 1,000 people signed the petition by Friday.",
        "The video shows officers striking the man 12 times, prosecutors said.",
    ],
)
def test_article_sentences_that_mention_furniture_words_are_not_refused(sentence: str) -> None:
    assert sentence_gate(sentence) is None


def test_a_page_in_another_language_gets_no_claims_and_says_which(linear: Scorer) -> None:
    html = (
        "<html><body><article><p>Die Bundesregierung hat am Mittwoch beschlossen, die Steuern "
        "im kommenden Jahr um zehn Prozent zu senken.</p><p>Die Opposition kritisierte den "
        "Plan scharf und kündigte Widerstand im Bundestag an.</p></article></body></html>"
    )
    result = extract_document(html, scorer=linear)
    assert (result.status, result.language) == (UNSUPPORTED_LANGUAGE, "de")
    assert result.claims == [] and result.sentences == []


@pytest.mark.parametrize("html", ["<html><body><nav>Home</nav></body></html>", "<p></p>"])
def test_a_page_without_article_text_is_no_text(html: str, linear: Scorer) -> None:
    result = extract_document(html, scorer=linear, html=True)
    assert result.status == NO_TEXT and result.claims == []


_WORDS = st.text(st.sampled_from("abcdefghij klmnop.,!?\"'"), min_size=1, max_size=80)


@given(st.lists(st.tuples(st.sampled_from(["h2", "p", "li", "figcaption"]), _WORDS), max_size=8))
@settings(max_examples=60, deadline=None)
def test_rendered_blocks_and_sentences_always_slice_the_source(
    blocks: list[tuple[str, str]],
) -> None:
    inner = "".join(
        f"<ul><li>{t}</li></ul>" if tag == "li" else f"<{tag}>{t}</{tag}>" for tag, t in blocks
    )
    doc = structured_text(f"<html><body><article>{inner}</article></body></html>")
    for b in doc.blocks:
        piece = doc.source[b.start : b.end]
        assert piece == piece.strip() and piece


def test_plain_text_headlines_and_bylines_without_punctuation_are_not_claims(
    linear: Scorer,
) -> None:
    text = (
        "Coronavirus: New York ramps up mass burials amid outbreak\n\n"
        "By Nada Tawfik, BBC News, New York\n\n"
        "The state's confirmed caseload of Covid-19 is nearly 162,000, of whom 7,844 have died.\n"
    )
    result = extract_document(text, scorer=linear, threshold=0.0)
    assert [c.text for c in result.claims] == [
        "The state's confirmed caseload of Covid-19 is nearly 162,000, of whom 7,844 have died."
    ]
    assert all(text[s.start : s.end] == s.text for s in result.sentences)


def test_a_one_line_claim_without_a_full_stop_is_still_a_claim(linear: Scorer) -> None:
    result = extract_document("Unemployment rose 40 percent in 2020", scorer=linear, threshold=0.0)
    assert len(result.claims) == 1
