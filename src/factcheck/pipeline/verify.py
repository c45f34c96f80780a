"""`factcheck verify`: read the whole table once and report every item that disagrees with
the others; with `repair`, fix what can be derived again from the record of truth.

An admin's command: it Scans (through `Backup.export_items`, the export's Scan), like
`factcheck export`; no user's request path calls it.

What is checked (docs/storage.md, "Self-healing and the outbox"):
- a claim's index keys (review queue GSI1, published / assigned GSI2, document GSI3) are
  the ones its state gives; its document exists; its history ends at its version and status;
- a claim's matching (LSH) and search (WORD) items are all there, and no such item points
  at a claim (or another publisher's check) that does not exist;
- a document's GSI2 keys follow its status; an `extracted` document has every claim its
  extraction recorded; an `extracting` one whose claims are all stored is completed;
- an event belongs to a claim; an outbox event was queued (not left `pending`).

Repairs rewrite index keys (conditioned on the version or status read), write missing
index items, delete orphaned ones, complete a document whose claims are all stored,
re-drive a document that lacks claims, and queue pending outbox events. A history that
disagrees with its claim is reported, never rewritten: events are immutable.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from factcheck.domain.errors import IllegalTransition
from factcheck.domain.models import Claim, Document, DocumentStatus, Event, utcnow
from factcheck.matching import fingerprint, lsh_buckets
from factcheck.matching.terms import search_terms
from factcheck.pipeline.queues import Queues
from factcheck.pipeline.store import match_candidate
from factcheck.storage import keys
from factcheck.storage.codec import deserialise, to_model
from factcheck.storage.outbox import OutboxEntry
from factcheck.storage.ports import (
    Backup,
    ClaimIndex,
    ClaimReader,
    DocumentStore,
    EventOutbox,
    IntegrityRepair,
)
from factcheck.webhooks.events import dispatch

INDEX_KEYS = (keys.GSI1PK, keys.GSI1SK, keys.GSI2PK, keys.GSI2SK, keys.GSI3PK, keys.GSI3SK)
PENDING_AFTER_SECONDS = 60.0


class VerifiedStore(
    Backup, ClaimReader, ClaimIndex, DocumentStore, EventOutbox, IntegrityRepair, Protocol
):
    """What verify reads (one Scan) and what its repairs write."""


@dataclass
class Finding:
    kind: str  # claim, document, index, event, outbox
    id: str
    problem: str
    repair: str | None = None  # what --repair does about it; None: reported only
    repaired: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "id": self.id,
            "problem": self.problem,
            "repair": self.repair,
            "repaired": self.repaired,
        }


@dataclass
class VerifyReport:
    scanned: dict[str, int] = field(default_factory=dict)  # item type -> count
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(f.repaired for f in self.findings)

    def as_dict(self) -> dict[str, object]:
        return {
            "scanned": self.scanned,
            "findings": [f.as_dict() for f in self.findings],
            "problems": len(self.findings),
            "repaired": sum(f.repaired for f in self.findings),
        }

    def summary(self) -> str:
        """What a person reads: what was checked, then one line per problem."""
        counted = ", ".join(f"{n} {kind}" for kind, n in sorted(self.scanned.items()))
        lines = [f"checked {sum(self.scanned.values())} items ({counted or 'none'})"]
        if not self.findings:
            lines.append("everything agrees: no problem found")
            return "\n".join(lines)
        repaired = sum(f.repaired for f in self.findings)
        lines.append(f"{len(self.findings)} problem(s), {repaired} repaired:")
        for f in self.findings:
            if f.repaired:
                state = f"repaired: {f.repair}"
            elif f.repair:
                state = f"--repair would: {f.repair}"
            else:
                state = "not repairable: reported only"
            lines.append(f"  {f.kind} {f.id}: {f.problem} ({state})")
        return "\n".join(lines)


@dataclass
class _Items:
    documents: dict[str, tuple[Document, dict[str, Any]]] = field(default_factory=dict)
    claims: dict[str, tuple[Claim, dict[str, Any]]] = field(default_factory=dict)
    events: dict[str, list[Event]] = field(default_factory=lambda: defaultdict(list))
    index: dict[str, set[tuple[str, str]]] = field(default_factory=lambda: defaultdict(set))
    external: set[str] = field(default_factory=set)
    outbox: list[OutboxEntry] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def _read(items: Iterable[Mapping[str, Any]]) -> _Items:
    found = _Items()
    for raw in items:
        item = dict(raw)
        kind = str(item.get(keys.TYPE, {}).get("S", "unknown"))
        found.counts[kind] += 1
        attrs = deserialise(item)
        pk, sk = str(attrs[keys.PK]), str(attrs[keys.SK])
        if kind == "document":
            doc = to_model(Document, item)
            found.documents[doc.id] = (doc, attrs)
        elif kind == "claim":
            claim = to_model(Claim, item)
            found.claims[claim.id] = (claim, attrs)
        elif kind == "event":
            event = to_model(Event, item)
            found.events[event.claim_id].append(event)
        elif kind in ("lsh", "word"):
            found.index[sk].add((pk, sk))  # SK = the claim (or external check) id
        elif kind == "external":
            found.external.add(pk.removeprefix("EXT#"))
        elif kind == "outbox":
            found.outbox.append(OutboxEntry(attrs))
    return found


def _claim_findings(found: _Items) -> list[tuple[Finding, Claim | None]]:
    out: list[tuple[Finding, Claim | None]] = []
    for claim, attrs in found.claims.values():
        wanted = keys.claim_index_keys(claim)
        wrong = [k for k in INDEX_KEYS if attrs.get(k) != wanted.get(k)]
        if wrong:
            detail = "; ".join(
                f"{k} is {attrs.get(k)!r}, should be {wanted.get(k)!r}" for k in wrong
            )
            out.append(
                (Finding("claim", claim.id, detail, "set its index keys from its state"), claim)
            )
        if claim.document_id not in found.documents:
            out.append(
                (Finding("claim", claim.id, f"its document {claim.document_id} is missing"), None)
            )
        history = sorted(found.events.get(claim.id, []), key=lambda e: e.seq)
        if not history:
            out.append((Finding("claim", claim.id, "it has no history"), None))
        elif history[-1].seq != claim.version or history[-1].to_status != claim.status:
            last = history[-1]
            out.append(
                (
                    Finding(
                        "claim",
                        claim.id,
                        f"its history ends at seq {last.seq} ({last.to_status}), the claim is "
                        f"version {claim.version} ({claim.status.value})",
                    ),
                    None,
                )
            )
    for claim_id in sorted(set(found.events) - set(found.claims)):
        out.append((Finding("event", claim_id, "events of a claim that does not exist"), None))
    return out


def _expected_index(claim: Claim) -> set[tuple[str, str]]:
    fp = fingerprint(claim.text, claim.quantities)
    wanted = {(keys.lsh_pk(b), claim.id) for b in lsh_buckets(fp)}
    return wanted | {(keys.word_pk(t), claim.id) for t in search_terms(claim.text, fp)}


def verify(
    repo: VerifiedStore,
    queues: Queues | None = None,
    *,
    repair: bool = False,
    now: datetime | None = None,
) -> VerifyReport:
    """One Scan, every cross-check; with `repair` (and `queues` for re-drives and events),
    fix what can be derived again. Returns what was found and what was repaired."""
    found = _read(repo.export_items())
    report = VerifyReport(scanned=dict(found.counts))
    for finding, claim in _claim_findings(found):
        if repair and claim is not None:
            finding.repaired = repo.repair_claim_keys(claim)
        report.findings.append(finding)
    _check_index(repo, found, report, repair)
    _check_documents(repo, queues, found, report, repair)
    _check_outbox(repo, queues, found, report, repair, now or utcnow())
    return report


def _check_index(repo: VerifiedStore, found: _Items, report: VerifyReport, repair: bool) -> None:
    for owner, items in sorted(found.index.items()):
        if owner in found.claims or owner in found.external:
            continue
        for pk, sk in sorted(items):
            f = Finding(
                "index", f"{pk} / {sk}", "points at a claim that does not exist", "delete it"
            )
            f.repaired = repair and repo.delete_index_item(pk, sk)
            report.findings.append(f)
    for claim, _ in found.claims.values():
        missing = _expected_index(claim) - found.index.get(claim.id, set())
        if not missing:
            continue
        names = ", ".join(sorted(pk for pk, _ in missing)[:3])
        f = Finding(
            "index",
            claim.id,
            f"{len(missing)} matching/search item(s) missing ({names}...)",
            "write the claim's index items again",
        )
        if repair:
            fp = fingerprint(claim.text, claim.quantities)
            repo.index_claim(
                claim,
                buckets=lsh_buckets(fp),
                candidate=match_candidate(claim, fp),
                terms=search_terms(claim.text, fp),
            )
            f.repaired = True
        report.findings.append(f)


def _check_documents(
    repo: VerifiedStore, queues: Queues | None, found: _Items, report: VerifyReport, repair: bool
) -> None:
    for doc, attrs in found.documents.values():
        wanted = {
            keys.GSI2PK: keys.document_status_pk(doc.status.value),
            keys.GSI2SK: keys.iso(doc.updated_at),
        }
        wrong = [k for k, v in wanted.items() if attrs.get(k) != v]
        if wrong:
            detail = "; ".join(f"{k} is {attrs.get(k)!r}, should be {wanted[k]!r}" for k in wrong)
            f = Finding("document", doc.id, detail, "set its GSI2 keys from its status")
            f.repaired = repair and repo.repair_document_keys(doc)
            report.findings.append(f)
        if doc.claim_ids is None:
            continue
        stored = {c for c in doc.claim_ids if c in found.claims}
        missing = len(doc.claim_ids) - len(stored)
        if doc.status is DocumentStatus.EXTRACTED and missing:
            f = Finding(
                "document",
                doc.id,
                f"extracted, but {missing} of its {len(doc.claim_ids)} claims are not stored",
                "re-drive it (back to received, queued for extraction)",
            )
            if repair and queues is not None:
                try:
                    repo.set_document_status(
                        doc.id, DocumentStatus.RECEIVED, expected=[DocumentStatus.EXTRACTED]
                    )
                except IllegalTransition:
                    pass
                else:
                    queues.send_document(doc.id)
                    f.repaired = True
            report.findings.append(f)
        elif doc.status is DocumentStatus.EXTRACTING and not missing:
            f = Finding(
                "document",
                doc.id,
                "extracting, but every claim it recorded is stored",
                "mark it extracted (with its document.extracted event)",
            )
            if repair:
                for claim_id in doc.claim_ids:
                    repo.claim_stored(doc.id, claim_id)  # idempotent; the last one completes
                f.repaired = repo.get_document(doc.id).status is DocumentStatus.EXTRACTED
            report.findings.append(f)


def _check_outbox(
    repo: VerifiedStore,
    queues: Queues | None,
    found: _Items,
    report: VerifyReport,
    repair: bool,
    now: datetime,
) -> None:
    cutoff = keys.iso(now - timedelta(seconds=PENDING_AFTER_SECONDS))
    for entry in found.outbox:
        if entry.state != "pending" or entry.created_at >= cutoff:
            continue
        f = Finding(
            "outbox",
            entry.event.id,
            f"{entry.event.type.value} event never queued for its webhooks",
            "queue it",
        )
        if repair and queues is not None:
            dispatch(repo, queues, entry.event.id)
            got = repo.get_outbox(entry.event.id)
            f.repaired = got is not None and got.state != "pending"
        report.findings.append(f)
