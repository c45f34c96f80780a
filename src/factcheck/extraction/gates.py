"""Rules that refuse a sentence as a claim, each with its reason in plain words.

A gate never changes a score; it keeps a sentence out of the claims (it stays in the
document's "all sentences" with the reason). Two levels:
- the block a sentence sits in: headings, captions and credits, bylines and datelines,
  standfirsts and pull quotes the page marks as such, links to other stories, teasers
  (also those cut off with an ellipsis), one-line labels without closing punctuation,
  ad and sponsored blocks, embedded social posts;
- the sentence itself: subscription, newsletter, contact and helpline lines, ad copy.
The cues are general page furniture of news sites (none names a site); they were chosen
by reading the furniture of the news dev pages and checked on all of them.
"""

from __future__ import annotations

import re

from factcheck.domain.limits import MAX_CLAIM_CHARS
from factcheck.extraction.clean import is_furniture
from factcheck.extraction.structure import (
    CAPTION,
    HEADING,
    PARAGRAPH,
    PULL_QUOTE,
    QUOTE,
    STANDFIRST,
    TABLE_CELL,
    Block,
)


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
SENTENCE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "a subscription or newsletter line",
        _rx(
            r"\b(?:un)?subscri(?:be|bed|ption)\b|\bnewsletters?\b|\bsign(?:ed)?[ -]up\b|"
            r"\bunlimited (?:digital )?access\b|\bbecome a (?:member|subscriber)\b|"
            r"\bsupport (?:our|independent|local) journalism\b|\bdonat(?:e|ion)s? (?:to|now)\b|"
            r"\bnever miss\b|\bdelivered (?:straight )?to your inbox\b|\bin your inbox\b"
        ),
    ),
    (
        "a contact or helpline line",
        _rx(
            r"\b(?:contact|email|e-mail|call|text|write to|reach) us\b|\bget in touch\b|"
            r"\b(?:helpline|hotline|crisis (?:line|cent(?:er|re)s?))\b|"
            r"\bcall\b[^.]{0,40}?\b(?:on|at)\s*\+?\d[\d ()-]{5,}|"
            # an address, its parts bounded (a local part is at most 64 characters): an
            # unbounded [\w.+-]+@ re-scanned a long run of digits from every position
            r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}\.[\w.]{2,}|\btip(?:s|line)? (?:to|at)\b.*@"
        ),
    ),
    (
        "advertising or sponsored copy",
        _rx(
            r"[®™]|\badvertisers?\b|\badvertisement\b|\badvertising (?:policy|disclosure)\b|"
            r"\bsponsored (?:content|post|by|links?)\b|\bpaid (?:post|content|partnership)\b|"
            r"\baffiliate (?:links?|commission)\b|"
            r"\bapply now\b|\bterms apply\b|\bwelcome offer\b|\bannual fee\b|\bpromo code\b|"
            r"\bshop now\b|\bbuy now\b|\blimited[- ]time offer\b|\bwe may (?:receive|earn) "
            r"(?:a )?(?:compensation|commission)\b"
        ),
    ),
    (
        "an embedded social media post",
        _rx(
            r"pic\.twitter\.com/|\bt\.co/\w|\(@\w{1,30}\)|\bview this post on instagram\b|"
            r"\ba post shared by\b"
        ),
    ),
    (
        "a teaser for another story",
        _rx(r"(?:\.\.\.|…)\s*(?:more|read more)\W*$|^(?:related|read more|see also|more)\s*:"),
    ),
    (
        "a description of an embedded video",
        _rx(r"^(?:this|the following|in this|watch(?: the| our)?)\b[^.]{0,40}\bvideos?\b"),
    ),
    ("a footnote or disclaimer", _rx(r"^\*+\s*[A-Za-z]")),
    (
        "a photo or video credit",
        _rx(
            r"^(?:featured |lead |top |main )?(?:image|photo(?:graph)?|picture|video|"
            r"illustration)s?\s*(?:by|:|credit)|^(?:credit|source|photo)\s*:|"
            r"\b(?:getty images|ap photo|shutterstock|afp via getty)\b"
        ),
    ),
    (
        "a byline or dateline",
        _rx(
            r"^(?:by|written by|reporting by|additional reporting by|edited by|editing by)\s+"
            r"[A-Z][\w.'’-]*(?:\s+[\w.'’-]+){0,6}\s*$|"
            rf"^(?:posted|published|updated|last updated)\b.{{0,60}}$|"
            rf"^[\w ,:.]{{0,25}}\b{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}[\w ,:.]{{0,25}}$|"
            r"^\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?\s*[A-Z]{0,4}\.?$"
        ),
    ),
)
BLOCK_KIND_REASONS: dict[str, str] = {
    HEADING: "a headline or sub-headline",
    CAPTION: "a caption, credit or byline",
    TABLE_CELL: "a table cell",
    STANDFIRST: "a standfirst (the article's own summary under the headline)",
    PULL_QUOTE: "a pull quote (a line of the article set off from it)",
}
_TEASER_END = _rx(r"(?:\.\.\.|…)\s*(?:more|read more)\W*$")
LINK_SHARE = 0.8  # a block that is mostly link text points to another page
_WORDS = re.compile(r"\w+")


TOO_LONG = f"longer than one claim can be ({MAX_CLAIM_CHARS:,} characters)"
BARE_LINE = "a headline, byline or caption (a line of its own without closing punctuation)"
_CLOSED = re.compile(r"[.!?:;…\"'”’)\]]\s*$")
_BULLET = re.compile(r"^\s*(?:[-–—•*·▪]|\d{1,2}[.)])\s")
BARE_LINE_MAX_WORDS = 25


def bare_line(text: str) -> bool:
    """Plain text: a paragraph of one short line with no closing punctuation is a heading,
    byline, dateline or caption (prose ends its sentences; list items are left alone)."""
    if _CLOSED.search(text) or _BULLET.match(text):
        return False
    return len(_WORDS.findall(text)) <= BARE_LINE_MAX_WORDS


def sentence_gate(text: str) -> str | None:
    """The plain-words reason `text` is page furniture, or None."""
    if len(text) > MAX_CLAIM_CHARS:
        return TOO_LONG
    if is_furniture(text):
        return "page navigation or sharing chrome"
    for reason, pattern in SENTENCE_RULES:
        if pattern.search(text):
            return reason
    return None


def block_gate(block: Block, text: str) -> str | None:
    """The reason the whole block (`text` is its text) is not article prose, or None."""
    if block.kind in BLOCK_KIND_REASONS:
        return BLOCK_KIND_REASONS[block.kind]
    if block.link_share >= LINK_SHARE and len(_WORDS.findall(text)) <= 40:
        return "a link to another page"
    if block.kind == QUOTE and SENTENCE_RULES[3][1].search(text):
        return "an embedded social media post"
    if _TEASER_END.search(text):
        return "a teaser for another story"
    return None


CUT_OFF = "a teaser for another story (cut off with an ellipsis)"
_CUT_OFF = re.compile(r"\w\s?(?:\.{3,}|…)$")


def page_gates(blocks: list[Block], texts: list[str]) -> list[str | None]:
    """Each block's reason, with what a block says in the context of its page: a paragraph
    of one short unpunctuated line among others is a headline, label or credit (as in plain
    text); a block cut off with an ellipsis is another story's teaser; ad and social-post
    cues spread over their list or quote (`group_gates`)."""
    alone = len(blocks) == 1
    own: list[str | None] = []
    for block, text in zip(blocks, texts, strict=True):
        reason = block_gate(block, text)
        if reason is None and block.kind == PARAGRAPH and not alone and "\n" not in text:
            reason = BARE_LINE if bare_line(text) else None
        if reason is None and _CUT_OFF.search(text):
            reason = CUT_OFF
        own.append(reason)
    return group_gates(blocks, own, texts)


SPREADING: frozenset[str] = frozenset(
    {"advertising or sponsored copy", "an embedded social media post"}
)


def group_gates(
    blocks: list[Block], reasons: list[str | None], texts: list[str]
) -> list[str | None]:
    """Spread an ad or social-post reason to its whole block and the rest of its list or
    quote: one "®" or "(@handle)" marks the unit it sits in, not just its own sentence."""
    own = [
        r or (_spreading_rule(t) if b.kind != PARAGRAPH else None)
        for b, r, t in zip(blocks, reasons, texts, strict=True)
    ]
    by_group: dict[int, str] = {}
    for block, reason in zip(blocks, own, strict=True):
        if reason in SPREADING and block.group and block.kind != PARAGRAPH:
            by_group.setdefault(block.group, reason)
    return [
        reason or (by_group.get(b.group) if b.kind != PARAGRAPH else None)
        for b, reason in zip(blocks, own, strict=True)
    ]


def _spreading_rule(text: str) -> str | None:
    for reason, pattern in SENTENCE_RULES:
        if reason in SPREADING and pattern.search(text):
            return reason
    return None
