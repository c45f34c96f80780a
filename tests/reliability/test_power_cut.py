"""Power cut: every process of the stack, emulator included, SIGKILLed at a random moment.

GIVEN the local stack (its own process group; the emulator journals to <home>/journal),
WHEN, in each trial, articles are being posted by 2 clients while a reviewer leases claims
and gives verdicts and an editor approves them, and at a random moment the emulator and
the stack's whole process group are SIGKILLed (nothing gets to save anything), and the
stack is started again on the same home (a new emulator, which replays the journal),
and the clients re-send the articles that got no answer,
THEN every request that got a 2xx is there (each document; each lease, verdict and
approval as the event at the version the response reported), every submitted document
ends `extracted` with exactly the claims the extractor finds in its text, each once, and
a webhook receiver (in the test's process, so never killed) got every event the table
records (each document's `document.extracted`, each verdict's and approval's event),
nothing else, each acknowledged once; raw redeliveries of an event the receiver had
already answered (a kill between its 204 and the stack's record of it) are counted: they
carry the same `X-Factcheck-Delivery`, which receivers de-duplicate on (docs/storage.md).

The trials share one home, so later trials also replay what earlier ones wrote (and the
journal's snapshots). FACTCHECK_TEST_POWER_CUT_TRIALS (default 10) and
FACTCHECK_TEST_POWER_CUT_ARTICLES (articles per trial, default 30) size it;
FACTCHECK_TEST_POWER_CUT_SEED makes the kill moments repeatable.
"""

from __future__ import annotations

import os
import random
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from factcheck.bench.corpus import Article, articles
from factcheck.bench.stackproc import StackProcess, start_stack
from factcheck.domain.errors import NotFound
from factcheck.domain.outbox import TRANSITION_EVENTS, document_event, event_id
from factcheck.ids import document_id
from factcheck.storage.dynamo import DynamoRepository
from webhook_receiver import Receiver

from .conftest import (
    Tally,
    assert_exactly_once,
    ensure_emulator_gone,
    exactly_once,
    post_article,
    posted,
)
from .conftest import expected_claims as claims_of

TRIALS = int(os.environ.get("FACTCHECK_TEST_POWER_CUT_TRIALS", "10"))
ARTICLES = int(os.environ.get("FACTCHECK_TEST_POWER_CUT_ARTICLES", "30"))
SEED = int(os.environ.get("FACTCHECK_TEST_POWER_CUT_SEED", str(int(time.time()))))
CLIENTS = 2
# Recovery is the pipeline working off the trial's articles again (the journal brings the
# queues back at once): on a loaded 2-core machine 30 articles took up to 141 s. The wait
# fails when no document completes for STALL_TIMEOUT, or after RECOVERY_TIMEOUT in all.
STALL_TIMEOUT = 180.0
RECOVERY_TIMEOUT = 120.0 + 15.0 * ARTICLES
RESEND_BOUND_S = 120.0  # a client re-sending what got no answer, after the restart
# The journal keeps every queued message, so recovery never waits for the sweeper; a short
# stuck time would only have it re-queue (and after 3 times fail) documents that a loaded
# machine is merely slow to extract.
STACK_ENV = {
    "FACTCHECK_STUCK_AFTER_SECONDS": "120",
    "FACTCHECK_WEBHOOKS_ALLOW_PRIVATE": "true",  # the receiver is on 127.0.0.1
    "FACTCHECK_WEBHOOKS_BACKOFF_SECONDS": "1",
    "FACTCHECK_WEBHOOKS_BACKOFF_MAX_SECONDS": "5",
}
# The sweeper's queries read a status index, which the emulator (moto) answers by reading
# the whole table: every 2 s (the test stacks' default) they slowed later trials, whose
# table holds every earlier trial's items. The journal brings the queues back, so recovery
# does not wait for the sweeper; it re-sends undelivered outbox events after 60 s.
SWEEP_INTERVAL = 15.0
DELIVERY_TIMEOUT = 180.0  # seconds after the last trial for every event to reach the receiver
LEASE_ACTIONS = {"leased", "lease_renewed"}
WORK_AFTER_INGEST_S = 4.0


@dataclass
class Acks:
    """What the stack acknowledged (a 2xx) in one trial."""

    documents: set[str] = field(default_factory=set)
    events: list[tuple[str, int, frozenset[str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def event(self, response: requests.Response, actions: set[str]) -> None:
        claim = response.json()
        with self.lock:
            self.events.append((claim["id"], int(claim["version"]), frozenset(actions)))

    @property
    def count(self) -> int:
        return len(self.documents) + len(self.events)


def _resend(stack: StackProcess, article: Article, bound: float = RESEND_BOUND_S) -> bool:
    """Re-send an article that got no answer, as a client would: until it is acknowledged,
    for at most `bound` seconds (a just-restarted stack on a loaded machine can be slow).
    False when the API refuses it for good (a 4xx such as a control character in the text:
    the generated corpus has a few); such an article is not part of the trial."""
    deadline = time.monotonic() + bound
    last = "no answer"
    while time.monotonic() < deadline:
        try:
            resp = post_article(stack, article, timeout=30)
            if resp.status_code in (200, 201):
                return True
            if 400 <= resp.status_code < 500 and resp.status_code != 429:
                return False  # a refusal that a retry cannot change
            last = f"{resp.status_code} {resp.text[:300]}"
        except requests.RequestException as e:
            last = repr(e)
        time.sleep(1)
    raise AssertionError(f"a re-sent article was not acknowledged in {bound:.0f} s: {last}")


def _ingest(stack: StackProcess, docs: list[Article], acks: Acks) -> None:
    def client(share: list[Article]) -> None:
        for article in share:
            if posted(stack, article):
                with acks.lock:
                    acks.documents.add(document_id(article.text))
            time.sleep(0.2)

    threads = [threading.Thread(target=client, args=(docs[i::CLIENTS],)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)


def _first(stack: StackProcess, role: str, status: str) -> str | None:
    resp = requests.get(
        f"{stack.api}/claims",
        params={"status": status, "limit": 5},
        headers=stack.headers(role),
        timeout=5,
    )
    items = resp.json().get("items", []) if resp.ok else []
    return str(items[0]["id"]) if items else None


def _review(stack: StackProcess, acks: Acks, stop: threading.Event) -> None:
    """A reviewer leases the top queued claim and gives a verdict; an editor approves."""
    reviewer, editor = stack.headers("reviewer"), stack.headers("editor")
    verdict = {"rating": "Mostly true", "summary": "Checked against the sources."}
    while not stop.is_set():
        try:
            claim = _first(stack, "reviewer", "queued")
            if claim is not None:
                url = f"{stack.api}/claims/{claim}"
                resp = requests.post(f"{url}/lease", headers=reviewer, timeout=5)
                if resp.ok:
                    acks.event(resp, LEASE_ACTIONS)
                    resp = requests.post(
                        f"{url}/verdict", json=verdict, headers=reviewer, timeout=5
                    )
                    if resp.ok:
                        acks.event(resp, {"verdict_given"})
            reviewed = _first(stack, "editor", "reviewed")
            if reviewed is not None:
                resp = requests.post(
                    f"{stack.api}/claims/{reviewed}/approve", headers=editor, timeout=5
                )
                if resp.ok:
                    acks.event(resp, {"approved"})
        except requests.RequestException:
            pass  # the stack is being killed: what got no answer was not acknowledged
        stop.wait(0.05)


def _exists(repo: DynamoRepository, doc_id: str) -> bool:
    try:
        repo.get_document(doc_id)
    except NotFound:
        return False
    return True


def _complete(repo: DynamoRepository, expected: dict[str, set[str]], done: set[str]) -> bool:
    """Whether every expected document is extracted with all its claims; `done` remembers
    the ones already seen complete (documents are never re-extracted once they are), so
    polling does not load the emulator with reads of hundreds of finished documents."""
    for doc_id, want in expected.items():
        if doc_id in done:
            continue
        if repo.get_document(doc_id).status.value != "extracted":
            return False
        if len(repo.document_claims(doc_id)) < len(want):
            return False
        done.add(doc_id)
    return True


def _lost_events(repo: DynamoRepository, acks: Acks) -> tuple[int, int]:
    """(acknowledged transitions whose event is missing, events stored twice)."""
    lost = 0
    duplicated = 0
    by_claim: dict[str, list[Any]] = {}
    for claim_id, version, actions in acks.events:
        history = by_claim.setdefault(claim_id, repo.history(claim_id))
        if not any(e.seq == version and e.action in actions for e in history):
            lost += 1
    for history in by_claim.values():
        seqs = [e.seq for e in history]
        duplicated += len(seqs) - len(set(seqs))
    return lost, duplicated


def _subscribe(stack: StackProcess, receiver: Receiver) -> str:
    resp = requests.post(
        f"{stack.api}/webhooks",
        json={
            "url": receiver.url,
            "secret": "power-cut-trials-secret",
            "events": ["document.extracted", "claim.reviewed", "claim.published"],
        },
        headers=stack.headers("admin"),
        timeout=30,
    )
    assert resp.status_code == 201, resp.text
    return str(resp.json()["id"])


def _events_recorded(repo: DynamoRepository, documents: set[str]) -> set[str]:
    """The id of every webhook event the table says happened: each document's extraction,
    each claim transition that causes one (verdict, approval) at its version."""
    ids: set[str] = set()
    for doc_id in documents:
        ids.add(document_event(repo.get_document(doc_id)).id)
        for claim in repo.document_claims(doc_id):
            for e in repo.history(claim.id):
                if e.action in TRANSITION_EVENTS:
                    ids.add(event_id(TRANSITION_EVENTS[e.action], claim.id, e.seq))
    return ids


def _deliveries(
    repo: DynamoRepository, receiver: Receiver, webhook_id: str, documents: set[str]
) -> dict[str, int]:
    """Wait until the receiver has every recorded event; what it got, compared."""
    want = _events_recorded(repo, documents)
    deadline = time.monotonic() + DELIVERY_TIMEOUT
    while not want <= set(receiver.received()):
        missing = len(want - set(receiver.received()))
        assert time.monotonic() < deadline, f"{missing} of {len(want)} events never delivered"
        time.sleep(0.5)
    got = receiver.received()
    return {
        "events_acknowledged": sum(repo.is_delivered(webhook_id, e) for e in want),
        "events": len(want),
        "events_missing": len(want - set(got)),
        "events_unexpected": len(set(got) - want),
        "redeliveries": sum(n - 1 for n in got.values()),
    }


def test_every_acknowledged_request_survives_sigkill_of_the_whole_stack(tally: Tally) -> None:
    rng = random.Random(SEED)
    # not under pytest's tmp_path: other pytest sessions on the machine rotate those away
    # while this test runs; kept (and named in the failure) if the test fails
    home = Path(tempfile.mkdtemp(prefix="factcheck-power-cut-")) / "home"
    docs = articles(TRIALS * ARTICLES, seed=SEED % 10_000)
    texts = {document_id(a.text): a.text for a in docs}
    expected = claims_of(texts)
    receiver = Receiver()
    receiver.start()
    stack = start_stack(
        home, sweep_interval=SWEEP_INTERVAL, env_extra=STACK_ENV, fresh=True, new_session=True
    )
    webhook_id = _subscribe(stack, receiver)
    figures: dict[str, Any] = {"seed": SEED, "articles_per_trial": ARTICLES, "trials": TRIALS}
    recover_s: list[float] = []
    restart_s: list[float] = []
    acked = lost = duplicated = 0
    submitted: dict[str, set[str]] = {}
    complete: set[str] = set()
    refused = 0
    try:
        for trial in range(TRIALS):
            batch = docs[trial * ARTICLES : (trial + 1) * ARTICLES]
            acks = Acks()
            stop = threading.Event()
            workers = [
                threading.Thread(target=_ingest, args=(stack, batch, acks), daemon=True),
                threading.Thread(target=_review, args=(stack, acks, stop), daemon=True),
            ]
            started = time.monotonic()
            for worker in workers:
                worker.start()
            # WHEN everything is SIGKILLed at a random moment of the work
            # (the posts take about 0.1 s an article; later moments fall in review work only)
            time.sleep(rng.uniform(0.2, 0.2 + 0.1 * ARTICLES + WORK_AFTER_INGEST_S))
            killed_at = time.monotonic()
            stack.kill_everything()
            stop.set()
            for worker in workers:
                worker.join(timeout=60)

            t0 = time.monotonic()
            stack = start_stack(
                home, sweep_interval=SWEEP_INTERVAL, env_extra=STACK_ENV, new_session=True
            )
            restart_s.append(time.monotonic() - t0)
            accepted = [a for a in batch if document_id(a.text) in acks.documents]
            for article in batch:  # the clients re-send what got no answer
                if document_id(article.text) not in acks.documents and _resend(stack, article):
                    accepted.append(article)
            refused += len(batch) - len(accepted)
            submitted.update({document_id(a.text): expected[document_id(a.text)] for a in accepted})

            # THEN every acknowledged request is there and the pipeline completes
            repo = DynamoRepository(stack.settings())
            missing = [d for d in acks.documents if not _exists(repo, d)]
            events_lost, events_doubled = _lost_events(repo, acks)
            progress = (len(complete), time.monotonic())
            while not _complete(repo, submitted, complete):
                now = time.monotonic()
                if len(complete) > progress[0]:
                    progress = (len(complete), now)
                left = len(submitted) - len(complete)
                assert now - progress[1] < STALL_TIMEOUT, (
                    f"no progress for {STALL_TIMEOUT:.0f} s, {left} documents left"
                )
                assert now - killed_at < RECOVERY_TIMEOUT, (
                    f"not recovered in {RECOVERY_TIMEOUT:.0f} s, {left} documents left"
                )
                time.sleep(0.5)
            recover_s.append(time.monotonic() - killed_at)
            print(
                f"trial {trial}: killed {killed_at - started:.1f}s in, {len(acks.documents)}"
                f" documents and {len(acks.events)} transitions acknowledged, restart"
                f" {restart_s[-1]:.1f}s, recovered {recover_s[-1]:.1f}s after the kill"
            )
            acked += acks.count
            lost += len(missing) + events_lost
            duplicated += events_doubled
            assert not missing, f"trial {trial}: acknowledged documents lost: {missing}"
            assert not events_lost, f"trial {trial}: {events_lost} acknowledged transitions lost"

        time.sleep(3)  # late redeliveries (sweeper, released messages) must change nothing
        repo = DynamoRepository(stack.settings())
        result = exactly_once(repo, submitted)
        delivered = _deliveries(repo, receiver, webhook_id, set(submitted))
    except BaseException:
        print(f"\npower cut: seed {SEED}, stack home kept in {home}")
        raise
    finally:
        stack.stop()
        receiver.stop()
        ensure_emulator_gone(home, None)
    shutil.rmtree(home.parent, ignore_errors=True)

    figures.update(
        documents=result["documents"],
        claims=result["claims"],
        requests_acknowledged=acked,
        lost=lost + result["lost"],
        duplicated=duplicated + result["duplicates"],
        restart_s_max=round(max(restart_s), 1),
        recover_s_mean=round(sum(recover_s) / len(recover_s), 1),
        recover_s_max=round(max(recover_s), 1),
        refused_by_validation=refused,
        **delivered,
    )
    print(f"\npower cut: {figures}")
    tally.add(
        documents=result["documents"],
        claims=result["claims"],
        faults_injected=TRIALS,
        duplicates=duplicated + result["duplicates"],
        lost=lost + result["lost"],
    )
    tally.note("power_cut", **figures, **{k: v for k, v in result.items() if k not in figures})
    assert_exactly_once(result)
    assert duplicated == 0
    # every event the table records reached the receiver, and nothing else did
    assert delivered["events_missing"] == 0 and delivered["events_unexpected"] == 0, delivered
    assert delivered["events_acknowledged"] == delivered["events"], delivered
