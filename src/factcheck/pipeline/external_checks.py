"""Index other publishers' ClaimReviews for matching, so a new claim that says the same
thing shows "checked before by <publisher>" (factcheck.publishing.external reads them)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from factcheck.domain.external import ExternalCheck
from factcheck.domain.models import MatchCandidate
from factcheck.matching import fingerprint, lsh_buckets
from factcheck.observability import logger
from factcheck.storage.external import EXTERNAL_DOCUMENT
from factcheck.storage.repository import ExternalCheckStore


@dataclass
class IndexReport:
    indexed: list[str] = field(default_factory=list)  # check ids
    errors: list[str] = field(default_factory=list)


def index_external_checks(repo: ExternalCheckStore, checks: Iterable[ExternalCheck]) -> IndexReport:
    """Store each check with its LSH items (one transaction each); errors say which failed."""
    report = IndexReport()
    for check in checks:
        fp = fingerprint(check.claim_reviewed)
        candidate = MatchCandidate(
            claim_id=check.id,
            document_id=EXTERNAL_DOCUMENT,
            words=sorted(fp.words),
            numbers=sorted(fp.numbers),
            negated=fp.negated,
            direction=fp.direction,
        )
        buckets = lsh_buckets(fp)
        if not buckets:
            report.errors.append(f"{check.url}: the claim has no words to match on")
            continue
        repo.put_external_check(check, buckets=buckets, candidate=candidate)
        report.indexed.append(check.id)
    logger.info("external checks indexed", extra={"indexed": len(report.indexed)})
    return report
