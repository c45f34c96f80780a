"""The local stack SIGKILLed mid-ingest and started again: nothing lost, nothing doubled.

GIVEN the local stack (a subprocess) ingesting articles posted by 4 clients,
WHEN it is killed with SIGKILL half-way (no clean-up: its emulator, a separate process in
its own session, keeps the data) and started again on the same home (which ADOPTS the
still-running emulator), and the clients re-send what was not acknowledged,
THEN every document ends `extracted` with all its claims, each exactly once.

Recovery takes seconds, not the visibility timeout: the restarted stack knows the messages
in flight belonged to its dead predecessor (the owner recorded in <home>/emulator.json) and
has the emulator make them visible at once, so RECOVERY_TIMEOUT stays below the claims
queue's 180 s visibility timeout (template.yaml), and the time it took is reported. A
document caught `received`/`extracting` is still re-queued by the sweeper too (stuck after
FACTCHECK_STUCK_AFTER_SECONDS, 10 s here), as on AWS.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import boto3

from factcheck.bench.corpus import Article, articles
from factcheck.bench.stackproc import StackProcess, emulator_pid, pid_alive, start_stack
from factcheck.ids import document_id
from factcheck.storage.dynamo import DynamoRepository

from .conftest import (
    Tally,
    assert_exactly_once,
    ensure_emulator_gone,
    exactly_once,
    expected_claims,
    posted,
)

DOCUMENTS = 12
CLIENTS = 4
RECOVERY_TIMEOUT = 150.0  # generous for a loaded machine, below the 180 s visibility timeout
STACK_ENV = {"FACTCHECK_STUCK_AFTER_SECONDS": "10"}


def _ingest(
    stack: StackProcess, docs: list[Article], acked: set[str], lock: threading.Lock
) -> None:
    """4 clients post the articles; the ids acknowledged (2xx) are recorded."""

    def client(share: list[Article]) -> None:
        for article in share:
            if posted(stack, article):
                with lock:
                    acked.add(document_id(article.text))
            time.sleep(0.4)  # a steady stream, still arriving when the kill comes

    threads = [
        threading.Thread(target=client, args=(docs[i::CLIENTS],), daemon=True)
        for i in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)


def _claims_in_flight(stack: StackProcess) -> int:
    settings = stack.settings()
    sqs = boto3.client("sqs", **settings.boto_kwargs())
    attrs = sqs.get_queue_attributes(
        QueueUrl=str(settings.claims_queue_url),
        AttributeNames=["ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return int(attrs["ApproximateNumberOfMessagesNotVisible"])


def _wait_mid_ingest(stack: StackProcess, acked: set[str], lock: threading.Lock) -> None:
    """Until half the articles were acknowledged and a store batch is in flight."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        with lock:
            half = len(acked) >= DOCUMENTS // 2
        if half and _claims_in_flight(stack):
            return
        time.sleep(0.02)


def _complete(repo: DynamoRepository, expected: dict[str, set[str]]) -> bool:
    for doc_id, want in expected.items():
        if repo.get_document(doc_id).status.value != "extracted":
            return False
        if len(repo.document_claims(doc_id)) < len(want):
            return False
    return True


def test_stack_killed_mid_ingest_and_restarted_loses_and_duplicates_nothing(
    tmp_path: Path, tally: Tally
) -> None:
    home = tmp_path / "home"
    docs = articles(DOCUMENTS, seed=404)
    texts = {document_id(a.text): a.text for a in docs}
    expected = expected_claims(texts)
    stack = start_stack(home, env_extra=STACK_ENV, fresh=True)
    pid = emulator_pid(home)
    restarted: StackProcess | None = None
    try:
        # GIVEN the stack ingesting articles from 4 clients
        acked: set[str] = set()
        lock = threading.Lock()
        ingest = threading.Thread(target=_ingest, args=(stack, docs, acked, lock), daemon=True)
        ingest.start()
        _wait_mid_ingest(stack, acked, lock)

        # WHEN it is SIGKILLed half-way and started again on the same home
        stack.kill()
        killed_after = len(acked)
        ingest.join(timeout=120)
        assert pid is not None and pid_alive(pid), "the emulator died with the stack"
        restarted = start_stack(home, env_extra=STACK_ENV)
        assert emulator_pid(home) == pid, "the restart did not adopt the running emulator"

        # AND the clients re-send every article that was not acknowledged
        unacked = [a for a in docs if document_id(a.text) not in acked]
        resent = sum(posted(restarted, a) for a in unacked)
        assert resent == len(unacked)

        # THEN every document is extracted with all its claims, each once
        repo = DynamoRepository(restarted.settings())
        started = time.monotonic()
        while not _complete(repo, expected):
            assert time.monotonic() - started < RECOVERY_TIMEOUT, "not recovered in time"
            time.sleep(2)
        recovered_s = time.monotonic() - started
        time.sleep(3)  # late redeliveries (sweeper, visibility timeouts) must change nothing
        result = exactly_once(repo, expected)
    finally:
        if restarted is not None:
            restarted.stop()
        stack.kill()
        ensure_emulator_gone(home, pid)

    tally.add(
        documents=result["documents"],
        claims=result["claims"],
        faults_injected=1,
        duplicates=result["duplicates"],
        lost=result["lost"],
    )
    tally.note(
        "sigkill_restart",
        acked_before_kill=killed_after,
        resent=len(unacked),
        recovered_after_restart_s=round(recovered_s, 1),
        **result,
    )
    assert_exactly_once(result)
