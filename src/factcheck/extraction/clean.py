"""Page furniture out, by masking: offsets must keep indexing the text the caller gave us.

Plain text is never rewritten. `content_spans` returns the (start, end) spans of the lines
worth reading; furniture lines ("Source link", "Related Posts", share bars, cookie banners,
bylines...) are simply left out of the spans, so a sentence found inside a span is still
`text[start:end]` of the original. HTML is different: its "original" is the text that
trafilatura extracts (`html_to_text`), and offsets index that text.
"""

from __future__ import annotations

import re

# One furniture "phrase"; a line made only of these (and punctuation) is furniture.
_FURNITURE_PHRASES: tuple[str, ...] = (
    r"source\s+link",
    r"related\s+(?:posts?|articles?|stories|content|reading)",
    r"load\s+more(?:\s+(?:posts?|stories|articles?|comments?))?",
    r"loading",
    r"no\s+more\s+(?:posts?|stories|articles?|comments?)",
    r"share\s+(?:this|on\s+\w+|via\s+\w+)(?:\s+(?:article|story|post|page))?",
    r"share",
    r"tweet(?:\s+this)?",
    r"(?:follow\s+us|like\s+us)(?:\s+on\s+\w+)?",
    r"(?:facebook|twitter|x|linkedin|whatsapp|pinterest|reddit|email|e-mail|print|telegram)",
    r"subscribe(?:\s+(?:now|today|here|to\s+(?:our|the)\s+newsletter))?",
    r"sign\s+up(?:\s+for\s+(?:our|the)\s+newsletter)?",
    r"(?:read|see|show)\s+(?:more|less|next|full\s+(?:article|story))",
    r"(?:continue|keep)\s+reading",
    r"advertisement",
    r"sponsored(?:\s+content)?",
    r"(?:skip|jump)\s+to\s+(?:main\s+)?content",
    r"(?:previous|next)\s+(?:post|article|story|page)",
    r"(?:back\s+to\s+)?top",
    r"(?:leave\s+a\s+)?comments?",
    r"\d+\s+comments?",
    r"(?:accept|reject|manage)(?:\s+all)?(?:\s+cookies)?",
    r"cookie\s+(?:settings|preferences|policy)",
    r"privacy\s+policy",
    r"terms\s+(?:of\s+(?:use|service)|and\s+conditions)",
    r"all\s+rights\s+reserved",
    r"copyright",
    r"(?:image|photo|video)\s+(?:credit|source)",
    r"click\s+here",
    r"you\s+may\s+also\s+like",
    r"recommended(?:\s+for\s+you)?",
    r"most\s+(?:read|popular)",
    r"trending(?:\s+now)?",
    r"menu",
    r"home",
    r"search",
)
_PHRASE = "|".join(_FURNITURE_PHRASES)
_FURNITURE_LINE = re.compile(
    rf"^[\W_]*(?:(?:{_PHRASE})[\s\W_]*)+$",
    re.IGNORECASE,
)
# Whole lines that are furniture by their shape rather than their words.
_FURNITURE_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(
        r"^(?i:by|written\s+by|posted\s+by|words\s+by)\s+"
        r"[A-Z][\w.'’\-]*(?:\s+(?:[A-Z][\w.'’\-]*|and|&|de|van|von|al))*$"
    ),
    re.compile(r"^(?:updated|published|posted)\s*:?\s*[\w,:. ]{0,40}\d[\w,:. ]{0,30}$", re.I),
    re.compile(r"^(?:©|\(c\)|copyright\b).{0,150}$", re.I),
    re.compile(
        r"\b(?:we|this\s+(?:site|website))\s+uses?\s+cookies\b.{0,300}$|"
        r"^.{0,150}\bcookies?\b.{0,150}\b(?:accept|consent|agree|preferences)\b.{0,80}$",
        re.I,
    ),
    re.compile(r"^https?://\S+$", re.I),
    re.compile(r"^[\W_]+$"),
)
_HTML_HINT = re.compile(
    r"<\s*(?:!doctype\s+html|html|head|body|article|div|p|span|section|main|br|a\s)[\s>/]",
    re.I,
)
_LINE = re.compile(r"[^\n]*(?:\n|$)")


def is_furniture(line: str) -> bool:
    """True for a line that is navigation, sharing, cookie or byline chrome, not prose."""
    stripped = line.strip()
    if not stripped:
        return False
    if len(stripped) <= 120 and _FURNITURE_LINE.match(stripped):
        return True
    return any(p.search(stripped) for p in _FURNITURE_PATTERNS)


def content_spans(text: str) -> list[tuple[int, int]]:
    """Spans of `text` to read: each non-blank, non-furniture line, in order.

    Lines are not joined here; the sentence splitter decides whether a line break ends
    a sentence. Spans exclude the line break itself.
    """
    spans: list[tuple[int, int]] = []
    for match in _LINE.finditer(text):
        start, end = match.span()
        if start == end:
            break
        line_end = end - 1 if text[end - 1 : end] == "\n" else end
        line = text[start:line_end]
        if line.strip() and not is_furniture(line):
            spans.append((start, line_end))
    return spans


def looks_like_html(text: str) -> bool:
    """Heuristic: markup near the start or many tags overall means HTML, not prose."""
    head = text[:4096]
    if _HTML_HINT.search(head):
        return True
    return text.count("</") >= 5 and text.count(">") >= 10


def html_to_text(html: str) -> str:
    """Main text of an HTML page, one block (paragraph, heading, list item) per paragraph.

    The same text `extract_html` returns as its source (`structure.structured_text`), so
    offsets computed on either agree. Comments and tables are left out (not prose). An
    empty string when nothing is found.
    """
    from factcheck.extraction.structure import structured_text

    return structured_text(html).source
