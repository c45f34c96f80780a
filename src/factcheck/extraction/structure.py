"""HTML -> article text that keeps its structure: blocks with a kind, and the page's metadata.

trafilatura's flattened text writes one paragraph or heading per line, and nothing tells a
headline from a sentence that wraps; its structured body (`bare_extraction(...).body`: head,
p, list/item, quote, table, with `<lb/>` and `<ref>` inside) does. We render that body to
our own text, one block per paragraph (blocks separated by a blank line, `<lb/>` kept as a
line break), and remember each block's span, kind and share of link text. That rendered
text is the document's source: every offset the extractor returns slices it. The blocks
travel with the stored text as a compact layout (`layout_rows`), so the pipeline reads the
stored text with the same structure without parsing the HTML again (`blocks_from_layout`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

HEADING = "heading"
PARAGRAPH = "paragraph"
LIST_ITEM = "list_item"
QUOTE = "quote"
CAPTION = "caption"
TABLE_CELL = "table_cell"
STANDFIRST = "standfirst"  # the article's own summary under the headline (dek, intro)
PULL_QUOTE = "pull_quote"  # a quote set off from the text, repeating a line of it
KINDS = frozenset(
    {HEADING, PARAGRAPH, LIST_ITEM, QUOTE, CAPTION, TABLE_CELL, STANDFIRST, PULL_QUOTE}
)

_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u2009\u200b]+")
_CAPTION_CLASS = re.compile(r"caption|credit|byline|dateline|figure|photo|image", re.I)
_NESTED_BLOCKS = frozenset({"p", "head", "list", "item", "quote", "div", "table", "row", "cell"})
_BYLINE_CLASS = re.compile(r"byline|author|dateline|timestamp|credit", re.I)
# What pages call these in class, id or data-* attributes, as whole words of the name
# ("article__dek", "p.intro", data-shortcode-type="pullquote"); trafilatura drops them.
_MARKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (PULL_QUOTE, re.compile(r"(?<![a-z])pull-?quote(?![a-z])", re.I)),
    (
        STANDFIRST,
        re.compile(r"(?<![a-z])(?:dek|deck|standfirst|strapline|summary|intro)(?![a-z])", re.I),
    ),
)
_WORD = re.compile(r"\w+")
MIN_MARKED_WORDS = 4


@dataclass(frozen=True, slots=True)
class Block:
    """One structural unit of the article; `source[start:end]` is its text."""

    start: int
    end: int
    kind: str
    link_share: float = 0.0
    group: int = 0  # blocks of one list or one quote share a group number


# A block as stored with a document (`Document.layout`): (start, end, kind, link share, group).
LayoutRow = tuple[int, int, str, float, int]


def layout_rows(blocks: list[Block]) -> list[LayoutRow]:
    """The blocks as compact rows, for storing next to the rendered text."""
    return [(b.start, b.end, b.kind, b.link_share, b.group) for b in blocks]


def blocks_from_layout(source: str, rows: Sequence[Sequence[Any]]) -> list[Block] | None:
    """The blocks of a stored layout, or None when it does not fit `source` (an unknown
    kind, a span out of range, out of order or overlapping, or with edge whitespace): the
    caller then reads `source` as plain text rather than trusting a layout that lies."""
    blocks: list[Block] = []
    previous_end = 0
    try:
        for start, end, kind, share, group in rows:
            start, end, share, group = int(start), int(end), float(share), int(group)
            piece = source[start:end]
            if kind not in KINDS or not previous_end <= start < end <= len(source):
                return None
            if piece != piece.strip():
                return None
            blocks.append(Block(start, end, str(kind), share, group))
            previous_end = end
    except (TypeError, ValueError):
        return None
    return blocks


@dataclass(frozen=True, slots=True)
class Metadata:
    """What the page says about itself (trafilatura's metadata); any field may be missing."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None
    site_name: str | None = None
    url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "authors": list(self.authors),
            "date": self.date,
            "site_name": self.site_name,
            "url": self.url,
        }


@dataclass(frozen=True, slots=True)
class StructuredText:
    source: str
    blocks: list[Block]
    metadata: Metadata


def _render(el: Any, links: list[int], in_link: bool = False) -> str:
    """Text of an element with `<lb/>` as a line break; counts link characters in `links`."""
    parts: list[str] = []
    inside = in_link or el.tag == "ref"
    if el.text:
        parts.append(el.text)
        if inside:
            links[0] += len(el.text.strip())
    for child in el:
        if child.tag == "lb":
            parts.append("\n")
        elif child.tag in _NESTED_BLOCKS:  # a paragraph inside a paragraph: its own line
            parts.append("\n" + _render(child, links, inside) + "\n")
        elif child.tag not in ("graphic",):
            parts.append(_render(child, links, inside))
        if child.tail:
            parts.append(child.tail)
            if inside:
                links[0] += len(child.tail.strip())
    return "".join(parts)


def _clean(text: str) -> str:
    lines = (_SPACE.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _kind(el: Any, default: str) -> str:
    if el.tag == "head":
        return HEADING
    css = f"{el.get('class', '')} {el.get('rend', '')}"
    if _CAPTION_CLASS.search(css) or _BYLINE_CLASS.search(css):
        return CAPTION
    return default


def _units(body: Any) -> list[tuple[Any, str, int]]:
    """(element, kind, group) for each renderable unit of the body, in order."""
    out: list[tuple[Any, str, int]] = []
    group = 0
    for el in body:
        group += 1
        if el.tag == "list":
            out.extend((item, LIST_ITEM, group) for item in el.iter("item"))
        elif el.tag == "quote":
            paras = [p for p in el if p.tag in ("p", "head", "list")]
            if paras:
                out.extend((p, QUOTE, group) for p in paras)
            else:
                out.append((el, QUOTE, group))
        elif el.tag == "table":
            out.extend((cell, TABLE_CELL, group) for cell in el.iter("cell"))
        elif el.tag in ("graphic", "lb"):
            continue
        else:
            out.append((el, _kind(el, PARAGRAPH), group))
    return out


def _words(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _marked(html: str) -> dict[str, str]:
    """Texts (as `_words`) of the page's elements that their attributes mark as a
    standfirst or a pull quote, with the kind they get."""
    import lxml.html

    try:
        try:
            tree = lxml.html.fromstring(html)
        except ValueError:  # a str with an encoding declaration
            tree = lxml.html.fromstring(html.encode("utf-8"))
    except Exception:  # lxml raises several kinds on junk: then nothing is marked
        return {}
    found: dict[str, str] = {}
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in ("html", "body", "article", "main"):
            continue
        names = " ".join(
            str(v) for k, v in el.attrib.items() if k in ("class", "id") or k.startswith("data-")
        )
        kind = next((kind for kind, rx in _MARKS if names and rx.search(names)), None)
        if kind is not None:
            text = _words(el.text_content())
            if len(text.split()) >= MIN_MARKED_WORDS:
                found.setdefault(text, kind)
    return found


def _authors(raw: str | None) -> list[str]:
    if not raw:
        return []
    return [a.strip() for a in re.split(r";|\band\b", raw) if a.strip()]


def structured_text(html: str) -> StructuredText:
    """The article of `html` as blocks of our own rendered text, plus its metadata.

    Comments and tables are left out (not prose), as in `clean.html_to_text`; an empty
    source when trafilatura finds no article.
    """
    import trafilatura  # heavy (lxml); imported only for HTML input

    doc: Any = trafilatura.bare_extraction(
        html,
        include_comments=False,
        include_tables=False,
        include_links=True,
        include_images=False,
        include_formatting=False,
        favor_precision=True,
        with_metadata=True,
    )
    if doc is None or getattr(doc, "body", None) is None:
        return StructuredText("", [], Metadata())
    meta = Metadata(
        title=doc.title or None,
        authors=_authors(doc.author),
        date=doc.date or None,
        site_name=doc.sitename or None,
        url=doc.url or None,
    )
    pieces: list[str] = []
    blocks: list[Block] = []
    cursor = 0
    marked = _marked(html)
    for el, unit_kind, group in _units(doc.body):
        links = [0]
        text = _clean(_render(el, links))
        if not text:
            continue
        kind = unit_kind
        if kind in (PARAGRAPH, QUOTE):
            kind = marked.get(_words(text), kind)
        if pieces:
            pieces.append("\n\n")
            cursor += 2
        visible = sum(1 for ch in text if not ch.isspace())
        share = min(1.0, links[0] / visible) if visible else 0.0
        blocks.append(Block(cursor, cursor + len(text), kind, round(share, 3), group))
        pieces.append(text)
        cursor += len(text)
    return StructuredText("".join(pieces), blocks, meta)
