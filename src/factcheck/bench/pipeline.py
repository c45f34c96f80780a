"""Pipeline throughput on the local stack: `POST /documents` -> claims `queued`.

200 generated articles (`corpus.articles`) are posted by 8 concurrent submitters to a
fresh local stack (started as `make run` starts it). The clock runs from the first POST
until both source queues are empty with nothing in flight, i.e. every document was
extracted and every claim stored; then each document's status and claim count are
checked against the table.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import boto3
import requests

from factcheck.bench.common import Deadline, latency_summary, progress
from factcheck.bench.corpus import Article, articles
from factcheck.bench.stackproc import CpuMeter, StackProcess

SUBMITTERS = 8
DEPTH_ATTRIBUTES = [
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesNotVisible",
    "ApproximateNumberOfMessagesDelayed",
]


@dataclass
class Submitted:
    ids: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)


def _post_all(stack: StackProcess, docs: list[Article]) -> Submitted:
    out = Submitted()
    headers = stack.headers("submitter")

    def post(doc: Article) -> tuple[int, float, str | None]:
        t0 = time.perf_counter()
        resp = requests.post(
            f"{stack.api}/documents",
            json={"title": doc.title, "text": doc.text},
            headers=headers,
            timeout=60,
        )
        elapsed = time.perf_counter() - t0
        return resp.status_code, elapsed, resp.json().get("id") if resp.ok else None

    with ThreadPoolExecutor(SUBMITTERS) as pool:
        for status, elapsed, doc_id in pool.map(post, docs):
            out.statuses[status] = out.statuses.get(status, 0) + 1
            out.latencies.append(elapsed)
            if doc_id:
                out.ids.append(doc_id)
    return out


def queue_depths(sqs: Any, urls: dict[str, str]) -> dict[str, int]:
    depths = {}
    for name, url in urls.items():
        attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=DEPTH_ATTRIBUTES)
        depths[name] = sum(int(v) for v in attrs["Attributes"].values())
    return depths


def wait_drained(stack: StackProcess, budget: float, *, every: float = 1.0) -> float | None:
    """Seconds until both source queues were empty twice in a row; None past the budget.

    Polled once a second: moto's GetQueueAttributes walks every message in the queue, so
    polling faster takes CPU from the pipeline under test (measured: 4 polls a second cost
    about a tenth of the emulator's time)."""
    settings = stack.settings()
    sqs = boto3.client("sqs", **settings.boto_kwargs())
    urls = {"documents": settings.documents_queue_url, "claims": settings.claims_queue_url}
    deadline = Deadline(budget)
    empty_since: float | None = None
    last_note = 0.0
    while not deadline.passed:
        depths = queue_depths(sqs, urls)
        now = time.monotonic()
        if not any(depths.values()):
            if empty_since is not None:
                return empty_since - deadline.started
            empty_since = now
        else:
            empty_since = None
        if now - last_note > 3:
            progress(f"pipeline: in queues {depths}")
            last_note = now
        time.sleep(every)
    return None


def verify(stack: StackProcess, ids: list[str]) -> dict[str, int]:
    """Every document extracted with as many stored claims as it reported."""
    from factcheck.storage.dynamo import DynamoRepository

    repo = DynamoRepository(stack.settings())
    counts = {
        "extracted": 0,
        "not_extracted": 0,
        "claims": 0,
        "claim_count_mismatch": 0,
        "complete": 0,
    }
    for doc_id in ids:
        doc = repo.get_document(doc_id)
        stored = len(repo.document_claims(doc_id))
        counts["claims"] += stored
        if doc.status.value == "extracted":
            counts["extracted"] += 1
        else:
            counts["not_extracted"] += 1
        if stored != (doc.claim_count or 0):
            counts["claim_count_mismatch"] += 1
        elif doc.status.value == "extracted":
            counts["complete"] += 1  # extracted, and every claim it reported is stored
    return counts


def run(stack: StackProcess, *, count: int = 200, budget: float = 240.0) -> dict[str, Any]:
    docs = articles(count)
    words = sum(d.words for d in docs)
    progress(f"pipeline: posting {count} articles ({words} words) with {SUBMITTERS} clients")
    t0 = time.monotonic()
    with CpuMeter(stack) as cpu:
        sent = _post_all(stack, docs)
        submitted_s = time.monotonic() - t0
        progress(f"pipeline: posted in {submitted_s:.1f}s, waiting for the queues to drain")
        drained = wait_drained(stack, max(10.0, budget - submitted_s))
    checks = verify(stack, sent.ids)  # not drained: counted up to the end of this check
    total_s = time.monotonic() - t0 if drained is None else submitted_s + drained
    if drained is None:
        progress(f"pipeline: budget spent; {checks['complete']} of {count} documents complete")
    report: dict[str, Any] = {
        "documents": count,
        "words": words,
        "submitters": SUBMITTERS,
        "post_statuses": {str(k): v for k, v in sent.statuses.items()},
        "post_latency": latency_summary(sent.latencies),
        "submit_s": round(submitted_s, 2),
        "drain_after_submit_s": round(drained, 2) if drained is not None else None,
        "total_s": round(total_s, 2),
        "completed": drained is not None,
        # documents whose claims were all queued by the end of the clock, per second
        "documents_per_s": round(checks["complete"] / total_s, 2),
        "claims_per_s": round(checks["claims"] / total_s, 1),
        # CPU of the stack's process (API, functions, extraction) and of the emulator
        "cpu_ms_per_document": cpu.per(checks["complete"]),
        **checks,
    }
    progress(
        f"pipeline: {report['documents_per_s']} documents/s, {checks['claims']} claims, "
        f"drain {report['drain_after_submit_s']}s after the last POST; "
        f"CPU ms a document {report['cpu_ms_per_document']}"
    )
    return report


def journal_cost(journalled: dict[str, Any], in_memory: dict[str, Any]) -> dict[str, Any]:
    """The same run on a stack with the emulator's journal and on one without it
    (`--no-journal`): throughput of each and their ratio (below 1: the journal's cost)."""
    out: dict[str, Any] = {}
    for key in ("documents_per_s", "claims_per_s", "total_s"):
        with_it, without = journalled.get(key), in_memory.get(key)
        out[key] = {"journal": with_it, "no_journal": without}
        if with_it and without:
            out[key]["ratio"] = round(float(with_it) / float(without), 3)
    out["both_completed"] = bool(journalled.get("completed") and in_memory.get("completed"))
    return out
