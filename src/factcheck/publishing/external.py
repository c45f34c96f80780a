"""Read other publishers' ClaimReview JSON-LD: files, arrays, `@graph`s and HTML pages.

Each ClaimReview found becomes an `ExternalCheck`, or an error that says which item and
why; nothing half-read is returned. HTML is read with extruct (what crawlers use), so a
fact-check page's embedded markup is read the way search tools read it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from factcheck.domain.external import ExternalCheck
from factcheck.ids import normalise_text

SUFFIXES = (".json", ".jsonld", ".html", ".htm")
MAX_CLAIM_CHARS = 2_000
MAX_FILE_BYTES = 10 * 1024 * 1024


@dataclass
class ImportReport:
    """What an import found: the checks, and one line per item that could not be read."""

    checks: list[ExternalCheck] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def extend(self, other: ImportReport) -> None:
        self.checks.extend(other.checks)
        self.errors.extend(other.errors)


def external_check_id(url: str) -> str:
    return "x" + hashlib.sha256(url.strip().encode("utf-8")).hexdigest()[:16]


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type", [])
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).rsplit("/", 1)[-1] for k in kinds}


def _nodes(value: Any) -> Iterator[dict[str, Any]]:
    """Every JSON-LD node object in a document: top level, in arrays and in `@graph`s."""
    if isinstance(value, list):
        for item in value:
            yield from _nodes(item)
    elif isinstance(value, dict):
        if "@graph" in value:
            yield from _nodes(value["@graph"])
        if "@type" in value:
            yield value


def _text(value: Any) -> str | None:
    """A plain string from a JSON-LD value (a string, a number, or an object's name)."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        text = normalise_text(str(value))
        return text or None
    return None


def _number(value: Any) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _date(value: Any) -> datetime | None:
    text = _text(value)
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _url(value: Any) -> str | None:
    text = value.get("url") or value.get("@id") if isinstance(value, dict) else value
    text = _text(text)
    return text if text and text.startswith(("http://", "https://")) else None


def check_from_node(node: dict[str, Any]) -> ExternalCheck:
    """One ClaimReview node as an ExternalCheck; ValueError says what is missing."""
    url = _url(node)
    if url is None:
        raise ValueError("has no http(s) url")
    claim = _text(node.get("claimReviewed"))
    if not claim:
        raise ValueError("has no claimReviewed")
    if len(claim) > MAX_CLAIM_CHARS:
        raise ValueError(f"claimReviewed is over {MAX_CLAIM_CHARS} characters")
    rating_node = node.get("reviewRating")
    rating_node = rating_node[0] if isinstance(rating_node, list) and rating_node else rating_node
    if not isinstance(rating_node, dict):
        raise ValueError("has no reviewRating")
    label = _text(rating_node.get("alternateName")) or _text(rating_node.get("name"))
    if not label:
        raise ValueError("reviewRating has neither alternateName nor name")
    author = node.get("author")
    publisher = _text(author)
    if not publisher:
        raise ValueError("has no author (the publishing organisation)")
    reviewed = node.get("itemReviewed")
    item: dict[str, Any] = reviewed if isinstance(reviewed, dict) else {}
    try:
        return ExternalCheck(
            id=external_check_id(url),
            url=url,
            claim_reviewed=claim,
            publisher=publisher,
            publisher_url=_url(author) if isinstance(author, dict) else None,
            rating=label,
            rating_value=_number(rating_node.get("ratingValue")),
            best_rating=_number(rating_node.get("bestRating")),
            worst_rating=_number(rating_node.get("worstRating")),
            claim_author=_text(item.get("author")),
            date_published=_date(node.get("datePublished")),
        )
    except ValidationError as e:
        raise ValueError(str(e.errors()[0]["msg"])) from None


def read_markup(data: Any, origin: str) -> ImportReport:
    """Every ClaimReview in parsed JSON-LD; `origin` names the input in error lines."""
    report = ImportReport()
    reviews = [n for n in _nodes(data) if "ClaimReview" in _types(n)]
    if not reviews:
        report.errors.append(f"{origin}: no ClaimReview found")
    for n, node in enumerate(reviews, 1):
        try:
            report.checks.append(check_from_node(node))
        except ValueError as e:
            report.errors.append(f"{origin}: ClaimReview {n} {e}")
    return report


def read_html(html: str, origin: str, base_url: str | None = None) -> ImportReport:
    """ClaimReviews embedded in an HTML page (JSON-LD and microdata, as extruct reads them)."""
    import extruct  # only the importer needs it, not the Lambda functions

    found = extruct.extract(
        html, base_url=base_url, syntaxes=["json-ld", "microdata"], uniform=True
    )
    return read_markup([*found.get("json-ld", []), *found.get("microdata", [])], origin)


def read_file(path: Path) -> ImportReport:
    if path.stat().st_size > MAX_FILE_BYTES:
        return ImportReport(errors=[f"{path}: over {MAX_FILE_BYTES // 1024 // 1024} MB, skipped"])
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix.lower() in (".html", ".htm"):
        return read_html(text, str(path))
    try:
        return read_markup(json.loads(text), str(path))
    except json.JSONDecodeError as e:
        return ImportReport(errors=[f"{path}: not JSON ({e.msg} at line {e.lineno})"])


def read_paths(paths: Iterable[Path]) -> ImportReport:
    """Every ClaimReview in the files, and in the folders' files with a known suffix."""
    report = ImportReport()
    for path in paths:
        files = (
            sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES)
            if path.is_dir()
            else [path]
        )
        for file in files:
            report.extend(read_file(file))
    # The same review in two files (a page and its feed) is one check: the first one read.
    unique: dict[str, ExternalCheck] = {}
    for check in report.checks:
        unique.setdefault(check.id, check)
    report.checks = list(unique.values())
    return report
