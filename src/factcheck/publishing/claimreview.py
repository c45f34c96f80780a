"""schema.org ClaimReview JSON-LD for published claims.

What each property carries (docs/claimreview.md has the full table and the reasons):

- `claimReviewed`: a short neutral statement of the claim, under 75 characters (the search
  engines' guideline) and without the verdict. The reviewer may give one with the verdict;
  otherwise it is the claim sentence shortened at a word boundary.
- `reviewRating`: a `Rating` whose `alternateName` is the text verdict (the scale's label).
  Labels on the numeric scale also carry `ratingValue` with `worstRating`/`bestRating`, the
  lowest and highest values of `settings.rating_scale` (default False=1 ... True=5, so a
  higher number is "more true", as the guideline asks). An outcome off the numeric scale
  (default "Unverifiable") carries `alternateName` only: any number would place it on the
  false..true line, which is exactly what it is not.
- `url`/`@id`: the public fact-check page (`/fact-checks/{id}`), the article a reader and a
  crawler land on, with this ClaimReview embedded; `author`: the organisation (settings);
  `datePublished`: when the editor approved it; `dateModified`: when its last correction
  was approved (only once corrected; `datePublished` never moves). While a correction is
  under review the callers pass the published version (`lifecycle.public_version`); a
  retracted check has no ClaimReview at all.
- `itemReviewed`: a `Claim` whose `author` is whom the sentence gives it to ("according to
  the statistics office", "Jane Doe said": factcheck.publishing.attribution), else the
  article's author (a `Person`: a byline), and none when the sentence gives it to someone
  unnamed; its `datePublished`, and `appearance`/`firstAppearance` (a `CreativeWork` at the
  article's URL, with the article's byline as its author), each only when known.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from factcheck.domain.models import Claim, ClaimStatus, Document
from factcheck.domain.rating import RatingScale
from factcheck.ids import normalise_text
from factcheck.publishing.attribution import UNNAMED, attribution
from factcheck.settings import Settings

SCHEMA_ORG = "https://schema.org"
CLAIM_REVIEWED_MAX = 74  # "under 75 characters"
_ELLIPSIS = "…"
_TRAILING = " \t,;:-–—(\"'“‘"


def shorten_claim(text: str, limit: int = CLAIM_REVIEWED_MAX) -> str:
    """The claim sentence, at most `limit` characters, cut at a word boundary with "…"."""
    text = normalise_text(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - len(_ELLIPSIS) + 1]
    # Cut at the last space that leaves a whole word; a single giant "word" is cut hard.
    space = cut.rfind(" ")
    cut = cut[:space] if space > limit // 3 else cut[: limit - len(_ELLIPSIS)]
    cut = cut.rstrip(_TRAILING)
    return cut + _ELLIPSIS


def iso(moment: datetime) -> str:
    """ISO 8601 with a Z for UTC (what crawlers parse most reliably)."""
    return moment.isoformat().replace("+00:00", "Z")


def rating(label: str, scale: RatingScale) -> dict[str, Any]:
    """schema.org Rating for a verdict label: the text verdict, and its number when on the scale."""
    canonical = scale.canonical(label)
    # `name` is what the search engines' guideline recommends; `alternateName` is what
    # fact-check explorers read. Both carry the text verdict.
    out: dict[str, Any] = {"@type": "Rating", "name": canonical, "alternateName": canonical}
    value = scale.value(canonical)
    if value is not None:
        out.update(ratingValue=value, bestRating=scale.best, worstRating=scale.worst)
    return out


def claim_review_url(settings: Settings, claim_id: str) -> str:
    """The ClaimReview as JSON-LD (the feed's and the API's view of it)."""
    return f"{settings.public_base_url.rstrip('/')}/claim-reviews/{claim_id}"


def fact_check_url(settings: Settings, claim_id: str) -> str:
    """The public fact-check page: the ClaimReview's `url`."""
    return f"{settings.public_base_url.rstrip('/')}/fact-checks/{claim_id}"


def _organisation(settings: Settings) -> dict[str, Any]:
    return {
        "@type": "Organization",
        "name": settings.organisation_name,
        "url": settings.organisation_url,
    }


def claim_author(sentence: str, document: Document | None) -> dict[str, Any] | None:
    """Who made the claim: whom the sentence names, else the article's author, else None.

    A claim the sentence gives to someone it does not name ("officials said") has no
    author here: the byline did not make it, and a wrong author is worse than none."""
    said = attribution(sentence)
    if said is UNNAMED:
        return None
    if said is not None:
        return {"@type": said.kind, "name": said.name}
    if document is not None and document.author:
        return {"@type": "Person", "name": document.author}
    return None


def _item_reviewed(claim: Claim, document: Document | None) -> dict[str, Any]:
    item: dict[str, Any] = {"@type": "Claim"}
    author = claim_author(claim.text, document)
    if author is not None:
        item["author"] = author
    if document is None:
        return item
    if document.published_at:
        item["datePublished"] = iso(document.published_at)
    if document.url:
        work: dict[str, Any] = {"@type": "CreativeWork", "url": document.url}
        if document.title:
            work["headline"] = document.title
        if document.published_at:
            work["datePublished"] = iso(document.published_at)
        if document.author:
            work["author"] = {"@type": "Person", "name": document.author}
        item["appearance"] = [work]
        item["firstAppearance"] = dict(work)
    return item


def claim_review(
    claim: Claim,
    document: Document | None,
    settings: Settings,
    scale: RatingScale | None = None,
    *,
    context: bool = True,
) -> dict[str, Any]:
    """The ClaimReview of one published claim. ValueError if it is not published."""
    if claim.status is not ClaimStatus.PUBLISHED or claim.verdict is None:
        raise ValueError(f"claim {claim.id} is not published")
    scale = scale or RatingScale(settings.rating_scale)
    verdict = claim.verdict
    url = fact_check_url(settings, claim.id)
    review: dict[str, Any] = {}
    if context:
        review["@context"] = SCHEMA_ORG
    review.update(
        {
            "@type": "ClaimReview",
            "@id": url,
            "url": url,
            "claimReviewed": verdict.claim_reviewed or shorten_claim(claim.text),
            "datePublished": iso(claim.published_at or claim.updated_at),
            **({"dateModified": iso(claim.modified_at)} if claim.modified_at else {}),
            "author": _organisation(settings),
            "reviewRating": rating(verdict.rating, scale),
            "reviewBody": verdict.summary,
            "itemReviewed": _item_reviewed(claim, document),
        }
    )
    return review


def claim_review_feed(reviews: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """A schema.org DataFeed of ClaimReviews (each without its own @context)."""
    elements = [{k: v for k, v in r.items() if k != "@context"} for r in reviews]
    dates = [r.get("dateModified") or r["datePublished"] for r in elements]
    return {
        "@context": SCHEMA_ORG,
        "@type": "DataFeed",
        "dateModified": max(dates) if dates else None,
        "dataFeedElement": elements,
    }


_WORD = re.compile(r"[\w’'-]+", re.UNICODE)


def verdict_words(scale: RatingScale) -> list[str]:
    """Words that make a `claimReviewed` non-neutral: the scale's labels and common verdicts."""
    return [*scale.labels, "misleading", "fake", "hoax", "debunked", "fact check", "fact-check"]


def neutrality_problem(statement: str, scale: RatingScale) -> str | None:
    """Why `statement` is not a neutral claimReviewed (it contains a verdict), or None."""
    folded = " ".join(_WORD.findall(statement.casefold()))
    for phrase in verdict_words(scale):
        words = " ".join(_WORD.findall(phrase.casefold()))
        if words and re.search(rf"(?:^| ){re.escape(words)}(?: |$)", folded):
            return f"claim_reviewed must state the claim neutrally, without a verdict ({phrase!r})"
    return None
