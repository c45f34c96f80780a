"""The reliability suite (`make test-reliability`): held load, survived faults, bad input.

Every test adds what it did to one tally (documents, claims, faults injected, duplicates,
lost...), printed at the end of the run and written to bench/results/reliability.json.
The tests run when selected (`-m reliability` or a path under tests/reliability); a plain
`pytest` skips them, since they take minutes. FACTCHECK_TEST_RELIABILITY_SECONDS sets the load
test's duration (default 30; CI may use 10).
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from factcheck.bench.corpus import Article
from factcheck.bench.stackproc import StackProcess, kill_emulator, pid_alive, start_stack

REPO_ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
RESULTS = REPO_ROOT / "bench" / "results" / "reliability.json"
DURATION_ENV = "FACTCHECK_TEST_RELIABILITY_SECONDS"


def load_seconds() -> float:
    return float(os.environ.get(DURATION_ENV, "30"))


class Tally:
    """Counters shared by the suite's tests (thread-safe)."""

    KEYS = (
        "documents",
        "claims",
        "faults_injected",
        "duplicates",
        "lost",
        "leases",
        "lease_conflicts",
        "double_leases",
        "unaccounted_leases",
        "fuzz_requests",
        "server_errors",
        "nasty_inputs",
    )

    def __init__(self) -> None:
        self.counts: dict[str, int] = dict.fromkeys(self.KEYS, 0)
        self.notes: dict[str, Any] = {}
        self._lock = threading.Lock()

    def add(self, **counts: int) -> None:
        with self._lock:
            for key, value in counts.items():
                self.counts[key] = self.counts.get(key, 0) + int(value)

    def note(self, test: str, **facts: Any) -> None:
        with self._lock:
            self.notes.setdefault(test, {}).update(facts)


TALLY = Tally()


@pytest.fixture(scope="session")
def tally() -> Tally:
    return TALLY


def _selected(config: pytest.Config) -> bool:
    markexpr = str(config.getoption("markexpr") or "")
    if "reliability" in markexpr and "not reliability" not in markexpr:
        return True
    return any("reliability" in str(arg) for arg in config.args)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip = pytest.mark.skip(reason="reliability suite: run `make test-reliability`")
    selected = _selected(config)
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.reliability)
            item.add_marker(pytest.mark.slow)
            if not selected:
                item.add_marker(skip)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not any(TALLY.counts.values()):
        return
    c = TALLY.counts
    terminalreporter.section("reliability figures")
    terminalreporter.write_line(
        f"documents {c['documents']}, claims {c['claims']}, faults injected "
        f"{c['faults_injected']}, duplicates found {c['duplicates']}, lost {c['lost']}"
    )
    terminalreporter.write_line(
        f"leases {c['leases']} (conflicts refused {c['lease_conflicts']}, double leases "
        f"{c['double_leases']}, unaccounted {c['unaccounted_leases']}); fuzz requests "
        f"{c['fuzz_requests']} (5xx {c['server_errors']}); nasty inputs {c['nasty_inputs']}"
    )
    for test, facts in TALLY.notes.items():
        terminalreporter.write_line(f"  {test}: {json.dumps(facts, default=str)}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "time_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                **TALLY.counts,
                "notes": TALLY.notes,
            },
            indent=2,
            default=str,
        )
        + "\n"
    )


@pytest.fixture(scope="module")
def shared_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackProcess]:
    """A fresh local stack (subprocess) for the tests of one module."""
    home = tmp_path_factory.mktemp("reliability") / "home"
    stack = start_stack(home, fresh=True)
    pid = _emulator_pid(home)
    try:
        yield stack
    finally:
        stack.stop()
        ensure_emulator_gone(home, pid)


def _emulator_pid(home: Path) -> int | None:
    from factcheck.bench.stackproc import emulator_pid

    return emulator_pid(home)


def ensure_emulator_gone(home: Path, pid: int | None) -> None:
    """No emulator may outlive a test: kill it by the pid the stack recorded."""
    if pid is not None and pid_alive(pid):
        kill_emulator(home, pid)
    assert pid is None or not pid_alive(pid), f"emulator {pid} still running"


# --- shared checks ------------------------------------------------------------------------


def post_article(stack: StackProcess, article: Article, timeout: float = 10.0) -> requests.Response:
    """POST one article to the stack as its submitter (raises on no answer)."""
    return requests.post(
        f"{stack.api}/documents",
        json={"title": article.title, "text": article.text},
        headers=stack.headers("submitter"),
        timeout=timeout,
    )


def posted(stack: StackProcess, article: Article) -> bool:
    """Whether the stack acknowledged (a 2xx) one POST of the article."""
    try:
        resp = post_article(stack, article)
    except requests.RequestException:
        return False
    return resp.status_code in (200, 201)


def expected_claims(texts: dict[str, str]) -> dict[str, set[str]]:
    """Document id -> the claim ids the pipeline must store (the same extractor, in-process)."""
    from factcheck.extraction.extractor import extract

    return {doc_id: {c.id for c in extract(text, doc_id=doc_id)} for doc_id, text in texts.items()}


def exactly_once(repo: Any, expected: dict[str, set[str]]) -> dict[str, int]:
    """Compare the table with `expected`: every document extracted, each claim stored once.

    duplicates: a claim id listed twice, the same sentence stored under two ids, or a claim
    whose history has more than one `queued` event; lost: an expected claim not stored;
    unexpected: a stored claim the extractor would not produce.
    """
    from collections import Counter

    out = dict.fromkeys(
        ("documents", "claims", "duplicates", "lost", "unexpected", "not_extracted", "count_off"),
        0,
    )
    for doc_id, want in expected.items():
        doc = repo.get_document(doc_id)
        stored = repo.document_claims(doc_id)
        ids = [c.id for c in stored]
        spans = Counter((c.start, c.text) for c in stored)
        out["documents"] += 1
        out["claims"] += len(set(ids))
        out["duplicates"] += len(ids) - len(set(ids))
        out["duplicates"] += sum(n - 1 for n in spans.values())
        out["lost"] += len(want - set(ids))
        out["unexpected"] += len(set(ids) - want)
        out["not_extracted"] += doc.status.value != "extracted"
        out["count_off"] += (doc.claim_count or 0) != len(want)
        for claim_id in set(ids):
            queued = [e for e in repo.history(claim_id) if e.action == "queued"]
            out["duplicates"] += max(0, len(queued) - 1)
    return out


def assert_exactly_once(result: dict[str, int]) -> None:
    problems = {k: v for k, v in result.items() if k not in ("documents", "claims") and v}
    assert not problems, f"pipeline guarantees broken: {problems} (of {result})"
