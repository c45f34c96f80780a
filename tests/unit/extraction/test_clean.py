"""Page furniture is masked, never rewritten: the spans still index the original text."""

from __future__ import annotations

import pytest

from factcheck.extraction.clean import content_spans, html_to_text, is_furniture, looks_like_html

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "line",
    [
        "Source link",
        "Related Posts",
        "Load More Posts Loading...No More Posts.",
        "Loading...",
        "Share this:",
        "Share this article",
        "Subscribe",
        "Subscribe to our newsletter",
        "Advertisement",
        "Read more",
        "Continue reading",
        "By Jane Smith",
        "By Jane Smith and John Doe",
        "We use cookies to improve your experience. Accept all cookies",
        "Accept all",
        "Facebook Twitter Email",
        "Previous article",
        "https://example.com/story",
        "© 2025 Example Media. All rights reserved.",
    ],
)
def test_furniture_lines_are_recognised(line: str) -> None:
    assert is_furniture(line)


@pytest.mark.parametrize(
    "line",
    [
        "Russia now has an undeniable military edge.",
        "By 2030, emissions will fall by half.",
        "Share prices fell 3% on Monday.",
        "Subscribers to the service rose by 40 percent last year.",
        "The related posts were deleted by the moderators after the vote.",
        "Read more carefully, the law says otherwise.",
        "",
    ],
)
def test_prose_lines_are_kept(line: str) -> None:
    assert not is_furniture(line)


def test_content_spans_skip_furniture_and_index_the_original() -> None:
    text = "Headline here\n\nA claim: 40% rose.\nShare this\nSource link\nLast line."
    spans = content_spans(text)
    pieces = [text[a:b] for a, b in spans]
    assert pieces == ["Headline here", "A claim: 40% rose.", "Last line."]


def test_content_spans_of_empty_text_are_empty() -> None:
    assert content_spans("") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<!DOCTYPE html><html><body><p>Hi</p></body></html>", True),
        ("<div class='x'>Hello</div>", True),
        ("Plain text with a < sign and a > sign.", False),
    ],
)
def test_html_is_detected_from_markup(text: str, expected: bool) -> None:
    assert looks_like_html(text) is expected


def test_html_goes_through_the_boilerplate_remover() -> None:
    body = " ".join(
        f"<p>Paragraph {i}: the city spent $1.2 billion on {i} new bridges last year.</p>"
        for i in range(1, 6)
    )
    html = (
        "<html><head><title>T</title></head><body><nav>Home | Share this</nav>"
        f"<article><h1>Bridges</h1>{body}</article><footer>Related Posts</footer></body></html>"
    )
    text = html_to_text(html)
    assert "spent $1.2 billion" in text
    assert "<p>" not in text
