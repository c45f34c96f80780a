"""The emulator's journal: how long a start-up takes after N writes, with and without a snapshot.

1. A child process runs the journalled emulator app in-process (no sockets, so the figure is
   the journal's and moto's, not HTTP's) and sends it `writes` requests shaped like the
   pipeline's: per document a conditional PutItem, two status UpdateItems, and per claim a
   TransactWriteItems (claim + event) and a BatchWriteItem of 25 index items, with the SQS
   sends, receives and deletes that carry them. Compaction is off, so the journal holds
   every record, and it is not fsynced (only the records matter here; what fsync costs is
   the pipeline and API phases' with/without-journal comparison). The child then exits
   without any clean-up, as a crash would.
2. An emulator is started on that journal (`start_moto(journal=...)`): seconds until it
   answers, and the seconds its replay took (its `/_factcheck/status`).
3. The journal is compacted (`/_factcheck/compact`), the emulator SIGKILLed and started
   again: the same two figures when it starts from the snapshot.
4. `write_cost`: the per-request time of the same writes with the journal (fsynced) and
   without it, in alternating rounds: what the journal adds to every write.

`python -m factcheck.bench.journal [--writes 100000]`; `make bench` runs it as the
`journal` phase.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from factcheck.bench.common import progress

TABLE = "bench-journal"
CLAIMS_PER_DOCUMENT = 6
INDEX_ITEMS = 25
NEVER = 10**12  # compact_every: never during the build
_AUTH = (
    "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/{service}/aws4_request, "
    "SignedHeaders=host, Signature=0"
)


class Writer:
    """Sends DynamoDB and SQS JSON requests straight into a WSGI app."""

    def __init__(self, app: Any) -> None:
        from werkzeug.test import Client

        self.client = Client(app)
        self.requests = 0

    def call(self, service: str, target: str, body: dict[str, Any]) -> dict[str, Any]:
        resp = self.client.post(
            "/",
            data=json.dumps(body),
            headers={
                "Host": f"{service}.us-east-1.amazonaws.com",
                "X-Amz-Target": target,
                "Content-Type": "application/x-amz-json-1.0",
                "Authorization": _AUTH.format(service=service),
            },
        )
        self.requests += 1
        if resp.status_code >= 300:
            raise RuntimeError(f"{target}: {resp.status_code} {resp.get_data(as_text=True)}")
        return dict(json.loads(resp.get_data() or b"{}"))

    def ddb(self, operation: str, body: dict[str, Any]) -> dict[str, Any]:
        return self.call("dynamodb", f"DynamoDB_20120810.{operation}", body)

    def sqs(self, operation: str, body: dict[str, Any]) -> dict[str, Any]:
        return self.call("sqs", f"AmazonSQS.{operation}", body)


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _document(writer: Writer, queues: dict[str, str], n: int) -> None:
    """The writes one document causes, roughly as the pipeline makes them."""
    doc = f"DOC#{n:08d}"
    text = f"Article {n}. " + "Unemployment fell to 4.1 percent last year. " * 45
    writer.ddb(
        "PutItem",
        {
            "TableName": TABLE,
            "Item": {"PK": _s(doc), "SK": _s("DOCUMENT"), "text": _s(text), "status": _s("r")},
            "ConditionExpression": "attribute_not_exists(PK)",
        },
    )
    writer.sqs("SendMessage", {"QueueUrl": queues["documents"], "MessageBody": doc})
    got = writer.sqs("ReceiveMessage", {"QueueUrl": queues["documents"]})
    for status in ("extracting", "extracted"):
        writer.ddb(
            "UpdateItem",
            {
                "TableName": TABLE,
                "Key": {"PK": _s(doc), "SK": _s("DOCUMENT")},
                "UpdateExpression": "SET #s = :s",
                "ExpressionAttributeNames": {"#s": "status"},
                "ExpressionAttributeValues": {":s": _s(status)},
            },
        )
    for message in got.get("Messages", []):
        writer.sqs(
            "DeleteMessage",
            {"QueueUrl": queues["documents"], "ReceiptHandle": message["ReceiptHandle"]},
        )
    for c in range(CLAIMS_PER_DOCUMENT):
        claim = f"CLAIM#{n:08d}{c}"
        writer.sqs("SendMessage", {"QueueUrl": queues["claims"], "MessageBody": claim})
        item = {"PK": _s(claim), "SK": _s("CLAIM"), "text": _s(text[:160]), "v": {"N": "0"}}
        event = {"PK": _s(claim), "SK": _s("EVENT#00000000"), "action": _s("queued")}
        writer.ddb(
            "TransactWriteItems",
            {
                "TransactItems": [
                    {"Put": {"TableName": TABLE, "Item": item}},
                    {"Put": {"TableName": TABLE, "Item": event}},
                ]
            },
        )
        index = [
            {"PutRequest": {"Item": {"PK": _s(f"LSH#{b:02d}#{n % 997}"), "SK": _s(claim)}}}
            for b in range(INDEX_ITEMS)
        ]
        writer.ddb("BatchWriteItem", {"RequestItems": {TABLE: index}})
    got = writer.sqs("ReceiveMessage", {"QueueUrl": queues["claims"], "MaxNumberOfMessages": 10})
    for message in got.get("Messages", []):
        writer.sqs(
            "DeleteMessage",
            {"QueueUrl": queues["claims"], "ReceiptHandle": message["ReceiptHandle"]},
        )


def build(directory: Path, writes: int, mode: str = "bench") -> dict[str, Any]:
    """Child process: `writes` state-changing requests into a journalled app, then exit."""
    from factcheck.local.emulator import moto_app

    # not fsynced: what is measured is the replay; the records are the same either way
    if mode == "memory":  # the same requests, no journal: what the journal adds per write
        app = moto_app(serialise=True)
    else:
        app = moto_app(
            serialise=True, journal=directory, compact_every=NEVER, fsync=mode == "durable"
        )
    writer = Writer(app)
    key = [{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}]
    writer.ddb(
        "CreateTable",
        {
            "TableName": TABLE,
            "KeySchema": key,
            "AttributeDefinitions": [
                {"AttributeName": "PK", "AttributeType": "S"},
                {"AttributeName": "SK", "AttributeType": "S"},
            ],
            "BillingMode": "PAY_PER_REQUEST",
        },
    )
    queues = {
        name: writer.sqs("CreateQueue", {"QueueName": f"bench-{name}"})["QueueUrl"]
        for name in ("documents", "claims")
    }
    t0 = time.perf_counter()
    n = 0
    while writer.requests < writes:
        _document(writer, queues, n)
        n += 1
    seconds = time.perf_counter() - t0
    size = sum(p.stat().st_size for p in directory.glob("*.log")) if directory.exists() else 0
    return {
        "requests": writer.requests,
        "documents": n,
        "build_s": round(seconds, 1),
        "per_request_ms": round(seconds / writer.requests * 1000, 3),
        "journal_mb": round(size / 1e6, 1),
    }


def _status(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{url}/_factcheck/status", timeout=60) as resp:
        return dict(json.loads(resp.read()))


def _start(directory: Path) -> tuple[Any, float, dict[str, Any]]:
    from factcheck.local.moto_process import start_moto

    t0 = time.perf_counter()
    server = start_moto(journal=directory, compact_every=NEVER, timeout=600)
    return server, time.perf_counter() - t0, _status(server.endpoint_url)


def _build(directory: Path, writes: int) -> dict[str, Any]:
    progress(f"journal: building a journal of {writes} writes (in-process emulator)")
    command = [sys.executable, "-m", "factcheck.bench.journal", "--build", str(directory)]
    child = subprocess.run(
        [*command, "--writes", str(writes)],
        capture_output=True,
        text=True,
        timeout=3600,
        check=True,
    )
    built = dict(json.loads(child.stdout.strip().splitlines()[-1]))
    (directory / "built.json").write_text(json.dumps(built))
    return built


def write_cost(writes: int = 2_000, rounds: int = 3) -> dict[str, Any]:
    """Per-request time of the same writes into the app with the journal (fsynced) and
    without it, alternating rounds so a change in the machine's load hits both alike."""
    times: dict[str, list[float]] = {"durable": [], "memory": []}
    for _ in range(rounds):
        for mode in times:
            with tempfile.TemporaryDirectory(prefix="factcheck-bench-cost-") as tmp:
                command = [sys.executable, "-m", "factcheck.bench.journal"]
                command += ["--build", str(Path(tmp) / "j"), "--mode", mode]
                child = subprocess.run(
                    [*command, "--writes", str(writes)],
                    capture_output=True,
                    text=True,
                    timeout=1800,
                    check=True,
                )
                got = json.loads(child.stdout.strip().splitlines()[-1])
                times[mode].append(float(got["per_request_ms"]))
    durable, memory = min(times["durable"]), min(times["memory"])
    return {
        "writes_per_round": writes,
        "per_request_ms_journal": durable,
        "per_request_ms_no_journal": memory,
        "journal_adds_ms": round(durable - memory, 3),
        "rounds_ms": times,
    }


def run(
    writes: int = 100_000, keep: Path | None = None, cost_writes: int = 2_000
) -> dict[str, Any]:
    """`keep`: build the journal there and keep a copy of it (`journal.orig/`); a later run
    with the same folder measures the same journal again without building it."""
    with tempfile.TemporaryDirectory(prefix="factcheck-bench-journal-") as tmp:
        directory = Path(tmp) / "journal"
        original = keep / "journal.orig" if keep else None
        if original is not None and (original / "built.json").exists():
            shutil.copytree(original, directory)
            built = json.loads((directory / "built.json").read_text())
        else:
            built = _build(directory, writes)
            if original is not None:
                shutil.copytree(directory, original)
        progress(f"journal: built {built}; starting an emulator on it")
        server, ready_s, info = _start(directory)
        items = sum(info["items"].values())
        report: dict[str, Any] = {
            **built,
            "items": items,
            "replay_journal": {
                "records": info["replay"]["records"],
                "replay_s": info["replay"]["seconds"],
                "ready_s": round(ready_s, 2),
            },
        }
        progress(f"journal: replayed in {info['replay']['seconds']}s; compacting")
        t0 = time.perf_counter()
        req = urllib.request.Request(f"{server.endpoint_url}/_factcheck/compact", method="POST")
        with urllib.request.urlopen(req, timeout=600):
            pass
        report["compact_s"] = round(time.perf_counter() - t0, 2)  # the child's writing too
        report["compaction_pause_s"] = _status(server.endpoint_url).get("last_compaction_pause_s")
        report["snapshot_mb"] = round(
            sum(p.stat().st_size for p in directory.glob("snapshot-*.log")) / 1e6, 1
        )
        server.process.send_signal(signal.SIGKILL)
        server.process.wait(timeout=30)
        server, ready_s, info = _start(directory)
        report["replay_snapshot"] = {
            "records": info["replay"]["records"],
            "replay_s": info["replay"]["seconds"],
            "ready_s": round(ready_s, 2),
            "items_after": sum(info["items"].values()),
        }
        server.process.send_signal(signal.SIGKILL)
        server.process.wait(timeout=30)
    report["ready_under_30s"] = {
        "from_journal": report["replay_journal"]["ready_s"] < 30.0,
        "from_snapshot": report["replay_snapshot"]["ready_s"] < 30.0,
    }
    if cost_writes:
        progress(f"journal: cost of a write, {cost_writes} writes x 3 rounds each way")
        report["write_cost"] = write_cost(cost_writes)
    progress(
        f"journal: {writes} writes -> start-up {report['replay_journal']['ready_s']}s from the "
        f"journal, {report['replay_snapshot']['ready_s']}s from its snapshot"
    )
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m factcheck.bench.journal")
    parser.add_argument("--writes", type=int, default=100_000)
    parser.add_argument("--build", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="bench", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help="write the JSON report here")
    parser.add_argument("--keep", type=Path, help="keep (or reuse) the built journal here")
    parser.add_argument("--cost-writes", type=int, default=2_000, help="0: skip write_cost")
    args = parser.parse_args(argv)
    if args.build is not None:
        print(json.dumps(build(args.build, args.writes, args.mode)), flush=True)
        os._exit(0)  # no clean-up: the journal is left as a crash leaves it
    report = run(args.writes, args.keep, args.cost_writes)
    text = json.dumps(report, indent=2)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
