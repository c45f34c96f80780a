"""Differential: the same transactions, queries and receives give the same results patched
and unpatched.

Two moto servers run `serve_moto.py`, serialised alike; only one has the speed patches. A
seeded random workload (puts, conditional updates and deletes, transactions that commit or
are cancelled, table and index Queries paged to the end, gets; SQS sends, receives that
redrive to a DLQ, deletes, attribute reads) is sent to both, operation by operation, and
every answer (result or error code, cancellation reasons included) must be equal.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from factcheck.local import moto_patches
from factcheck.local.moto_process import free_port
from factcheck.local.resources import create_table
from factcheck.settings import Settings
from factcheck.template import load_template

pytestmark = [pytest.mark.integration, pytest.mark.slow]

SERVE = Path(__file__).with_name("serve_moto.py")
SEEDS = (1, 2, 3)
OPERATIONS = 160
PKS = ("P0", "P1", "P2")
SKS = tuple(f"{i:02d}" for i in range(10))
QUEUE_PARTITIONS = ("QUEUE#a", "QUEUE#b", "QUEUE#c")
# Differ between two servers by construction (ids, handles, clocks), not by behaviour.
VOLATILE = frozenset(
    {
        "ResponseMetadata",
        "MessageId",
        "ReceiptHandle",
        "SentTimestamp",
        "ApproximateFirstReceiveTimestamp",
        "CreatedTimestamp",
        "LastModifiedTimestamp",
    }
)


@dataclass
class Server:
    url: str
    installed: list[str]
    process: subprocess.Popen[str]


def _serve(patched: bool) -> Server:
    port = free_port()
    cmd = [sys.executable, str(SERVE), "--port", str(port), *(["--patched"] if patched else [])]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    installed = json.loads(proc.stdout.readline() or "null")
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60  # a cold moto import on a busy machine takes seconds
    while True:  # wait for: the server answering moto's own API
        try:
            with urllib.request.urlopen(f"{url}/moto-api/", timeout=2):
                break
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"moto server on {url} did not start") from None
            time.sleep(0.1)
    return Server(url, installed, proc)


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[Server, Server]]:
    patched, plain = _serve(patched=True), _serve(patched=False)
    try:
        yield patched, plain
    finally:
        for server in (patched, plain):
            server.process.terminate()
            server.process.wait(timeout=30)


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _outcome(call: Callable[[], Any]) -> Any:
    """What a caller can observe: the cleaned result, or the error code and reasons."""
    try:
        return ("ok", _clean(call()))
    except ClientError as err:
        reasons = [r.get("Code") for r in err.response.get("CancellationReasons", [])]
        return ("error", err.response["Error"]["Code"], reasons)


class Both:
    """Sends each call to the patched and the unpatched server; the answers must match."""

    def __init__(self, service: str, patched: Server, plain: Server) -> None:
        self.clients = [
            boto3.client(service, **Settings(endpoint_url=s.url).boto_kwargs())
            for s in (patched, plain)
        ]
        self.outcomes: Counter[str] = Counter()

    def call(self, label: str, method: str, **kwargs: Any) -> Any:
        patched, plain = (_outcome(lambda c=c: getattr(c, method)(**kwargs)) for c in self.clients)
        assert patched == plain, f"{label}: {method}({kwargs})"
        self.outcomes[f"{method}:{patched[0]}"] += 1
        return patched


def test_the_tested_moto_gets_every_patch(servers: tuple[Server, Server]) -> None:
    patched, plain = servers
    assert patched.installed == [p.module for p in moto_patches.PATCHES]
    assert plain.installed == []


# --- DynamoDB ---------------------------------------------------------------------------
def _key(rng: random.Random) -> dict[str, Any]:
    return {"PK": {"S": rng.choice(PKS)}, "SK": {"S": rng.choice(SKS)}}


def _item(rng: random.Random) -> dict[str, Any]:
    item = {**_key(rng), "v": {"N": str(rng.randint(0, 9))}}
    if rng.random() < 0.7:
        item["GSI1PK"] = {"S": rng.choice(QUEUE_PARTITIONS)}
        item["GSI1SK"] = {"S": f"{rng.randint(0, 99):02d}"}
    if rng.random() < 0.3:
        item["note"] = {"S": rng.choice(["a", "b", 'quote "x"', "é – ü"])}
    return item


def _condition(rng: random.Random) -> dict[str, Any]:
    choice = rng.randrange(4)
    if choice == 0:
        return {"ConditionExpression": "attribute_not_exists(PK)"}
    if choice == 1:
        return {"ConditionExpression": "attribute_exists(PK)"}
    if choice == 2:
        return {
            "ConditionExpression": "v < :limit",
            "ExpressionAttributeValues": {":limit": {"N": str(rng.randint(0, 9))}},
        }
    return {}


def _update(rng: random.Random, table: str) -> dict[str, Any]:
    op: dict[str, Any] = {"TableName": table, "Key": _key(rng), **_condition(rng)}
    values = dict(op.pop("ExpressionAttributeValues", {}))
    if rng.random() < 0.5:
        op["UpdateExpression"] = "SET v = if_not_exists(v, :zero) + :one"
        values |= {":zero": {"N": "0"}, ":one": {"N": "1"}}
    elif rng.random() < 0.7:
        op["UpdateExpression"] = "SET GSI1PK = :g, GSI1SK = :s"
        values |= {":g": {"S": rng.choice(QUEUE_PARTITIONS)}, ":s": {"S": f"{rng.randint(0, 99)}"}}
    else:
        op["UpdateExpression"] = "REMOVE GSI1PK, GSI1SK"
    if values:
        op["ExpressionAttributeValues"] = values
    return op


def _transaction(rng: random.Random, table: str) -> list[dict[str, Any]]:
    keys = rng.sample([(p, s) for p in PKS for s in SKS], rng.randint(2, 4))
    items = []
    for pk, sk in keys:
        key = {"PK": {"S": pk}, "SK": {"S": sk}}
        kind = rng.choice(["Put", "Update", "Delete", "ConditionCheck"])
        if kind == "Put":
            op: dict[str, Any] = {"TableName": table, "Item": {**_item(rng), **key}}
            op |= _condition(rng)
        elif kind == "Update":
            op = {**_update(rng, table), "Key": key}
        else:
            op = {"TableName": table, "Key": key, **_condition(rng)}
            if kind == "ConditionCheck" and "ConditionExpression" not in op:
                op["ConditionExpression"] = "attribute_exists(PK)"
        items.append({kind: op})
    return items


def _query_all_pages(both: Both, label: str, **kwargs: Any) -> int:
    """Pages the Query to the end on both servers; the number of pages."""
    pages = 0
    while True:
        outcome = both.call(label, "query", **kwargs)
        pages += 1
        if outcome[0] != "ok" or "LastEvaluatedKey" not in outcome[1]:
            return pages
        kwargs["ExclusiveStartKey"] = outcome[1]["LastEvaluatedKey"]


def _query(rng: random.Random, table: str) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"TableName": table, "ScanIndexForward": rng.random() < 0.5}
    if rng.random() < 0.4:
        kwargs |= {
            "IndexName": "GSI1",
            "KeyConditionExpression": "GSI1PK = :p",
            "ExpressionAttributeValues": {":p": {"S": rng.choice(QUEUE_PARTITIONS)}},
        }
    else:
        kwargs |= {
            "KeyConditionExpression": "PK = :p",
            "ExpressionAttributeValues": {":p": {"S": rng.choice(PKS)}},
        }
        if rng.random() < 0.5:
            kwargs["KeyConditionExpression"] += " AND SK BETWEEN :lo AND :hi"
            lo, hi = sorted(rng.sample(SKS, 2))
            kwargs["ExpressionAttributeValues"] |= {":lo": {"S": lo}, ":hi": {"S": hi}}
    if rng.random() < 0.6:
        kwargs["Limit"] = rng.randint(1, 4)
    if rng.random() < 0.3:
        kwargs["FilterExpression"] = "v >= :min"
        kwargs["ExpressionAttributeValues"][":min"] = {"N": str(rng.randint(0, 9))}
    if rng.random() < 0.2:
        kwargs["Select"] = "COUNT"
    return kwargs


@pytest.mark.parametrize("seed", SEEDS)
def test_dynamodb_answers_alike_patched_and_unpatched(
    servers: tuple[Server, Server], seed: int
) -> None:
    # GIVEN the template's table on both servers
    patched, plain = servers
    table = f"diff-{seed}"
    for server in servers:
        create_table(Settings(endpoint_url=server.url, table_name=table), load_template())
    both = Both("dynamodb", patched, plain)
    rng = random.Random(seed)
    multi_page = 0

    # WHEN the same random workload runs on both, THEN every answer is the same
    for n in range(OPERATIONS):
        label = f"seed {seed} op {n}"
        kind = rng.choices(["put", "update", "delete", "transact", "query", "get", "batch"],
                           weights=[4, 3, 1, 4, 5, 2, 1])[0]  # fmt: skip
        if kind == "put":
            both.call(label, "put_item", TableName=table, Item=_item(rng), **_condition(rng))
        elif kind == "update":
            both.call(label, "update_item", **_update(rng, table))
        elif kind == "delete":
            both.call(label, "delete_item", TableName=table, Key=_key(rng), **_condition(rng))
        elif kind == "transact":
            both.call(label, "transact_write_items", TransactItems=_transaction(rng, table))
        elif kind == "query":
            multi_page += _query_all_pages(both, label, **_query(rng, table)) > 1
        elif kind == "get":
            both.call(label, "get_item", TableName=table, Key=_key(rng))
        else:
            keys = {json.dumps(_key(rng), sort_keys=True) for _ in range(rng.randint(1, 5))}
            request = {table: {"Keys": [json.loads(k) for k in sorted(keys)]}}
            both.call(label, "batch_get_item", RequestItems=request)
    scans = [sorted(c.scan(TableName=table)["Items"], key=json.dumps) for c in both.clients]
    assert scans[0] == scans[1]

    # and the workload reached what the patches change: both transaction outcomes, paging
    assert both.outcomes["transact_write_items:ok"] > 0
    assert both.outcomes["transact_write_items:error"] > 0
    assert multi_page > 0
    assert scans[0]


# --- SQS --------------------------------------------------------------------------------
ATTRIBUTE_NAMES = (
    "All",
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesNotVisible",
    "ApproximateNumberOfMessagesDelayed",
    "VisibilityTimeout",
    "MessageRetentionPeriod",
    "RedrivePolicy",
    "Policy",
    "QueueArn",
)


def _queues(both: Both, name: str) -> tuple[list[str], list[str]]:
    """A queue redriving to a DLQ after two receives, on both servers: (queue, dlq) URLs."""
    dlqs = [c.create_queue(QueueName=f"{name}-dlq")["QueueUrl"] for c in both.clients]
    arns = [
        c.get_queue_attributes(QueueUrl=u, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        for c, u in zip(both.clients, dlqs, strict=True)
    ]
    assert arns[0] == arns[1]
    attributes = {
        "VisibilityTimeout": "30",
        "MessageRetentionPeriod": "345600",
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": arns[0], "maxReceiveCount": 2}),
    }
    urls = [c.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"] for c in both.clients]
    return urls, dlqs


def _each(both: Both, label: str, method: str, per_server: list[dict[str, Any]]) -> list[Any]:
    """One operation, each server with its own arguments (its queue URL, its receipt); the
    answers must match. The raw results, for what differs by construction (receipts)."""
    raws: list[Any] = [None, None]
    outcomes = []
    for n, (client, kwargs) in enumerate(zip(both.clients, per_server, strict=True)):

        def call(client: Any = client, kwargs: dict[str, Any] = kwargs, n: int = n) -> Any:
            raws[n] = getattr(client, method)(**kwargs)
            return raws[n]

        outcomes.append(_outcome(call))
    assert outcomes[0] == outcomes[1], f"{label}: {method}({per_server[0]})"
    both.outcomes[f"{method}:{outcomes[0][0]}"] += 1
    return raws


@pytest.mark.parametrize("seed", SEEDS)
def test_sqs_answers_alike_patched_and_unpatched(servers: tuple[Server, Server], seed: int) -> None:
    # GIVEN a queue with a DLQ on both servers
    both = Both("sqs", *servers)
    urls, dlqs = _queues(both, f"diff-{seed}")
    rng = random.Random(seed)
    receipts: list[list[str]] = [[], []]  # each server's own, in the order received

    # WHEN the same random workload runs on both, THEN every answer is the same
    for n in range(OPERATIONS):
        label = f"seed {seed} op {n}"
        kind = rng.choices(["send", "receive", "delete", "attributes"], weights=[3, 4, 1, 2])[0]
        kwargs: dict[str, Any] = {}
        if kind == "send":
            method = "send_message"
            kwargs["MessageBody"] = f"m{n}-{rng.random():.6f}"
            if rng.random() < 0.3:
                kwargs["MessageAttributes"] = {"n": {"DataType": "Number", "StringValue": str(n)}}
        elif kind == "receive":
            # VisibilityTimeout 0 sends a message straight back: receive counts climb and
            # the third receive moves it to the DLQ, as the redrive policy says
            method = "receive_message"
            kwargs = {
                "MaxNumberOfMessages": rng.randint(1, 10),
                "VisibilityTimeout": rng.choice([0, 0, 30]),
                "WaitTimeSeconds": 0,
                "MessageSystemAttributeNames": ["ApproximateReceiveCount"],
                "MessageAttributeNames": ["All"],
            }
        elif kind == "delete":
            if not receipts[0]:
                continue
            method = "delete_message"
            i = rng.randrange(len(receipts[0]))
            handles = [receipts[0].pop(i), receipts[1].pop(i)]
        else:
            method = "get_queue_attributes"
            kwargs["AttributeNames"] = rng.sample(ATTRIBUTE_NAMES, rng.randint(1, 3))
            if rng.random() < 0.2:
                kwargs["AttributeNames"].append("NoSuchAttribute")
        per_server = [{"QueueUrl": url, **kwargs} for url in urls]
        if method == "delete_message":
            for server, handle in zip(per_server, handles, strict=True):
                server["ReceiptHandle"] = handle
        raws = _each(both, label, method, per_server)
        if method == "receive_message":
            for server, raw in enumerate(raws):
                receipts[server] += [m["ReceiptHandle"] for m in (raw or {}).get("Messages", [])]
    depths = [
        c.get_queue_attributes(QueueUrl=d, AttributeNames=["ApproximateNumberOfMessages"])
        for c, d in zip(both.clients, dlqs, strict=True)
    ]
    assert _clean(depths[0]) == _clean(depths[1])

    # and the workload reached what the patches change: receives that redrive, bad names
    assert int(depths[0]["Attributes"]["ApproximateNumberOfMessages"]) > 0
    assert both.outcomes["receive_message:ok"] > 0
    assert both.outcomes["get_queue_attributes:error"] > 0
