"""API latency and throughput with 16 concurrent clients on 127.0.0.1 (local stack).

Two bounded runs: `GET /claims` (the review queue's first page), then a lease/release
cycle (`POST` then `DELETE /claims/{id}/lease`), each client a distinct reviewer working
its own share of the queued claims. Latency is measured at the client (requests, one
keep-alive session per client thread), so it includes the client's own overhead.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests

from factcheck.bench.common import latency_summary, progress
from factcheck.bench.stackproc import CpuMeter, StackProcess, claim_ids, reviewer_tokens

CLIENTS = 16

# One operation of a client: returns [(name, seconds, HTTP status)]
Operation = Callable[[int, requests.Session], list[tuple[str, float, int]]]


@dataclass
class Samples:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[str, dict[int, int]] = field(default_factory=dict)
    errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, results: list[tuple[str, float, int]]) -> None:
        with self.lock:
            for name, seconds, status in results:
                self.latencies.setdefault(name, []).append(seconds)
                by_status = self.statuses.setdefault(name, {})
                by_status[status] = by_status.get(status, 0) + 1


def _timed(method: Callable[..., requests.Response], url: str, **kw: Any) -> tuple[float, int]:
    t0 = time.perf_counter()
    resp = method(url, timeout=30, **kw)
    return time.perf_counter() - t0, resp.status_code


def run_clients(clients: int, seconds: float, operation: Operation) -> tuple[Samples, float]:
    """`clients` threads repeat `operation` until `seconds` pass; (samples, wall seconds)."""
    samples = Samples()
    stop = threading.Event()
    start = threading.Barrier(clients + 1)

    def client(i: int) -> None:
        with requests.Session() as session:
            start.wait()
            while not stop.is_set():
                try:
                    samples.add(operation(i, session))
                except requests.RequestException:
                    with samples.lock:
                        samples.errors += 1

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    t0 = time.perf_counter()
    stop.wait(seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    return samples, time.perf_counter() - t0


def _summary(samples: Samples, wall: float, cpu: CpuMeter, unit: str) -> dict[str, Any]:
    """Latency per operation; `cpu_ms_per_op`: stack and emulator CPU per `unit`."""
    out: dict[str, Any] = {"seconds": round(wall, 2), "client_errors": samples.errors}
    for name, values in samples.latencies.items():
        out[name] = {
            **latency_summary(values),
            "per_s": round(len(values) / wall, 1),
            "statuses": {str(k): v for k, v in samples.statuses[name].items()},
        }
    out["cpu_ms_per_op"] = cpu.per(len(samples.latencies.get(unit, [])))
    return out


def bench_list(stack: StackProcess, seconds: float, clients: int = CLIENTS) -> dict[str, Any]:
    headers = stack.headers("reviewer")
    url = f"{stack.api}/claims"

    def list_claims(_: int, session: requests.Session) -> list[tuple[str, float, int]]:
        elapsed, status = _timed(session.get, url, headers=headers)
        return [("get_claims", elapsed, status)]

    with CpuMeter(stack) as cpu:
        samples, wall = run_clients(clients, seconds, list_claims)
    return _summary(samples, wall, cpu, "get_claims")


def bench_lease_cycle(
    stack: StackProcess, seconds: float, clients: int = CLIENTS
) -> dict[str, Any]:
    tokens = reviewer_tokens(stack, clients)
    pool = claim_ids(stack)
    if len(pool) < clients:
        raise RuntimeError(f"only {len(pool)} queued claims for {clients} clients")
    shares = [pool[i::clients] for i in range(clients)]
    turns = [0] * clients

    def cycle(i: int, session: requests.Session) -> list[tuple[str, float, int]]:
        claim = shares[i][turns[i] % len(shares[i])]
        turns[i] += 1
        url = f"{stack.api}/claims/{claim}/lease"
        headers = {"Authorization": f"Bearer {tokens[i]}"}
        lease_s, lease_status = _timed(session.post, url, headers=headers)
        release_s, release_status = _timed(session.delete, url, headers=headers)
        return [
            ("lease", lease_s, lease_status),
            ("release", release_s, release_status),
            ("cycle", lease_s + release_s, max(lease_status, release_status)),
        ]

    with CpuMeter(stack) as cpu:
        samples, wall = run_clients(clients, seconds, cycle)
    return {"claims_in_pool": len(pool), **_summary(samples, wall, cpu, "cycle")}


def run(stack: StackProcess, *, seconds: float = 15.0) -> dict[str, Any]:
    progress(f"api: GET /claims, {CLIENTS} clients, {seconds:.0f}s")
    listing = bench_list(stack, seconds)
    progress(f"api: lease/release cycle, {CLIENTS} clients, {seconds:.0f}s")
    leasing = bench_lease_cycle(stack, seconds)
    report = {"clients": CLIENTS, "get_claims": listing, "lease_cycle": leasing}
    g = listing.get("get_claims", {})
    c = leasing.get("cycle", {})
    progress(
        f"api: GET /claims p95 {g.get('p95_ms')} ms at {g.get('per_s')}/s "
        f"(CPU ms a request {listing.get('cpu_ms_per_op')}); "
        f"lease+release p95 {c.get('p95_ms')} ms at {c.get('per_s')} cycles/s "
        f"(CPU ms a cycle {leasing.get('cpu_ms_per_op')})"
    )
    return report


def journal_cost(journalled: dict[str, Any], in_memory: dict[str, Any]) -> dict[str, Any]:
    """`GET /claims` and the lease cycle with the emulator's journal and without it: each
    latency side by side and the ratio (above 1 for latency: what the journal costs)."""
    out: dict[str, Any] = {}
    for run_name, op in (("get_claims", "get_claims"), ("lease_cycle", "cycle")):
        with_it = journalled.get(run_name, {}).get(op, {})
        without = in_memory.get(run_name, {}).get(op, {})
        for key in ("p50_ms", "p95_ms", "p99_ms", "per_s"):
            pair: dict[str, Any] = {"journal": with_it.get(key), "no_journal": without.get(key)}
            if with_it.get(key) and without.get(key):
                pair["ratio"] = round(float(with_it[key]) / float(without[key]), 3)
            out[f"{op}_{key}"] = pair
    return out
