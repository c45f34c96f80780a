"""Held load: 16 reviewers racing for the same claims through the API of the local stack.

GIVEN the local stack (a subprocess, as `make run` starts it) with claims in the queue,
WHEN 16 clients, each a distinct reviewer, lease and release claims drawn from a small hot
set for FACTCHECK_TEST_RELIABILITY_SECONDS (default 30 s),
THEN no claim is ever held by two reviewers at once (checked on the clients' clocks and in
the claims' histories), every lease a client was granted is in the history, and every
lease in the history was granted to a client.
"""

from __future__ import annotations

import itertools
import random
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

import requests

from factcheck.bench.corpus import articles
from factcheck.bench.stackproc import StackProcess, claim_ids, reviewer_tokens
from factcheck.storage.dynamo import DynamoRepository

from .conftest import Tally, load_seconds

CLIENTS = 16
HOT_SET = 24  # few claims for 16 clients: most attempts collide
SEED_ARTICLES = 6


@dataclass
class Hold:
    claim_id: str
    actor: str
    version: int
    granted: float  # lease response received
    released: float  # release request about to be sent


@dataclass
class Outcomes:
    holds: list[Hold] = field(default_factory=list)
    conflicts: int = 0
    unexpected: list[str] = field(default_factory=list)
    client_errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _seed(stack: StackProcess, timeout: float = 120) -> None:
    for article in articles(SEED_ARTICLES, seed=303):
        resp = requests.post(
            f"{stack.api}/documents",
            json={"title": article.title, "text": article.text},
            headers=stack.headers("submitter"),
            timeout=30,
        )
        assert resp.status_code in (200, 201), resp.text
    deadline = time.monotonic() + timeout
    while len(claim_ids(stack)) < HOT_SET and time.monotonic() < deadline:
        time.sleep(0.5)


def _client(
    stack: StackProcess,
    actor: str,
    token: str,
    hot: list[str],
    stop: threading.Event,
    out: Outcomes,
    seed: int,
) -> None:
    rng = random.Random(seed)
    headers = {"Authorization": f"Bearer {token}"}
    with requests.Session() as session:
        while not stop.is_set():
            claim = rng.choice(hot)
            url = f"{stack.api}/claims/{claim}/lease"
            try:
                lease = session.post(url, headers=headers, timeout=30)
                if lease.status_code == 409:
                    with out.lock:
                        out.conflicts += 1
                    continue
                if lease.status_code != 200:
                    with out.lock:
                        out.unexpected.append(f"lease {lease.status_code} {lease.text[:200]}")
                    continue
                granted = time.monotonic()
                version = int(lease.json()["version"])
                time.sleep(rng.uniform(0, 0.02))  # a reviewer holds it a moment
                released = time.monotonic()
                release = session.delete(url, headers=headers, timeout=30)
                with out.lock:
                    out.holds.append(Hold(claim, actor, version, granted, released))
                    if release.status_code != 200:
                        out.unexpected.append(f"release {release.status_code} {release.text[:200]}")
            except requests.RequestException:
                with out.lock:
                    out.client_errors += 1


def _overlaps(holds: list[Hold]) -> int:
    """Pairs of holds of one claim whose client-observed intervals intersect."""
    by_claim: dict[str, list[Hold]] = defaultdict(list)
    for hold in holds:
        by_claim[hold.claim_id].append(hold)
    found = 0
    for claim_holds in by_claim.values():
        ordered = sorted(claim_holds, key=lambda h: h.granted)
        for before, after in itertools.pairwise(ordered):
            if after.granted < before.released:
                found += 1
    return found


def _history_check(repo: DynamoRepository, hot: list[str], holds: list[Hold]) -> dict[str, int]:
    """Replay each claim's events: one holder at a time; leases match the clients' grants."""
    granted = {(h.claim_id, h.version, h.actor) for h in holds}
    seen: set[tuple[str, int, str]] = set()
    result = {"double_leases": 0, "bad_releases": 0, "gaps": 0, "phantom": 0, "still_held": 0}
    for claim_id in hot:
        events = sorted(repo.history(claim_id), key=lambda e: e.seq)
        result["gaps"] += [e.seq for e in events] != list(range(len(events)))
        holder: str | None = None
        for event in events:
            if event.action == "leased":
                result["double_leases"] += holder is not None
                holder = event.actor
                key = (claim_id, event.seq, event.actor)
                seen.add(key)
                result["phantom"] += key not in granted
            elif event.action == "released":
                result["bad_releases"] += holder != event.actor
                holder = None
        result["still_held"] += repo.get_claim(claim_id).status.value != "queued"
    result["unaccounted"] = len(granted - seen)
    return result


def test_sixteen_reviewers_never_hold_one_claim_at_once(
    shared_stack: StackProcess, tally: Tally
) -> None:
    # GIVEN queued claims and 16 distinct reviewers
    _seed(shared_stack)
    hot = claim_ids(shared_stack)[:HOT_SET]
    assert len(hot) >= CLIENTS // 2, f"too few claims to race for: {len(hot)}"
    tokens = reviewer_tokens(shared_stack, CLIENTS, prefix="load")
    out = Outcomes()
    stop = threading.Event()

    # WHEN they lease and release claims of the hot set concurrently for the duration
    threads = [
        threading.Thread(
            target=_client,
            args=(shared_stack, f"load-{i:02d}", tokens[i], hot, stop, out, i),
            daemon=True,
        )
        for i in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    seconds = load_seconds()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)

    # THEN no two holds of one claim overlapped, and the histories agree with the clients
    overlaps = _overlaps(out.holds)
    checks = _history_check(DynamoRepository(shared_stack.settings()), hot, out.holds)
    tally.add(
        leases=len(out.holds),
        lease_conflicts=out.conflicts,
        double_leases=overlaps + checks["double_leases"],
        unaccounted_leases=checks["unaccounted"] + checks["phantom"],
    )
    tally.note(
        "load",
        seconds=seconds,
        clients=CLIENTS,
        hot_claims=len(hot),
        leases=len(out.holds),
        conflicts=out.conflicts,
        client_errors=out.client_errors,
        overlaps=overlaps,
        **checks,
        leases_per_s=round(len(out.holds) / seconds, 1),
    )
    assert not out.unexpected, out.unexpected[:5]
    assert out.holds and out.conflicts, "the clients never raced for a claim"
    assert overlaps == 0
    assert checks == {
        **checks,
        "double_leases": 0,
        "bad_releases": 0,
        "gaps": 0,
        "still_held": 0,
        "unaccounted": 0,
        "phantom": 0,
    }
