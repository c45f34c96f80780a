"""The emulator's journal: what got a 2xx is there after SIGKILL, torn records are dropped,
compaction keeps the state, in-flight messages come back visible.

The file format is tested in-process (`journal.py` knows nothing of moto); everything that
touches moto runs in an emulator subprocess (`start_moto(journal=...)`), SIGKILLed as a
power cut would end it, because the hooks patch moto's classes for the whole process.
"""

from __future__ import annotations

import json
import signal
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.local.journal import (
    Journal,
    JournalInUse,
    Store,
    frame,
    read_file,
    read_frames,
)
from factcheck.local.moto_process import MotoProcess, start_moto
from factcheck.local.resources import provision
from factcheck.settings import Settings, Target

pytestmark = pytest.mark.integration
TABLE = "journal-test"
RECORDS = [{"t": "x", "n": i, "text": "é" * (i % 7)} for i in range(6)]


# --- the file format ------------------------------------------------------------------------


def test_appended_records_read_back_in_order(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal-00000001.log")
    for record in RECORDS:
        journal.append(record)
    journal.sync()
    result = read_file(journal.path)
    assert result.records == RECORDS
    assert result.dropped_bytes == 0


@given(cut=st.integers(min_value=1, max_value=len(frame(RECORDS[-1])) - 1))
@settings(max_examples=60, deadline=None)
def test_a_record_torn_anywhere_is_dropped_and_every_earlier_one_kept(cut: int) -> None:
    whole = b"".join(frame(r) for r in RECORDS)
    torn = whole[: len(whole) - cut]
    result = read_frames(torn)
    assert result.records == RECORDS[:-1]
    assert result.valid_bytes == len(whole) - len(frame(RECORDS[-1]))
    assert result.dropped_bytes == len(frame(RECORDS[-1])) - cut


@pytest.mark.parametrize("offset", [0, 4, 9, -1], ids=["length", "crc", "payload", "last"])
def test_a_damaged_last_record_fails_its_checksum_and_is_dropped(offset: int) -> None:
    data = bytearray(b"".join(frame(r) for r in RECORDS))
    position = len(data) - len(frame(RECORDS[-1])) + offset if offset >= 0 else len(data) - 1
    data[position] ^= 0x5A
    assert read_frames(bytes(data)).records == RECORDS[:-1]


def test_loading_cuts_a_torn_tail_off_so_new_records_follow_the_last_whole_one(
    tmp_path: Path,
) -> None:
    store = Store(tmp_path)
    path = store.path("journal", 1)
    path.write_bytes(b"".join(frame(r) for r in RECORDS) + frame({"t": "torn"})[:-3])
    assert list(store.load().records) == RECORDS
    assert store.dropped_bytes > 0
    journal = Journal(path)
    journal.append({"t": "after"})
    journal.sync()
    assert read_file(path).records == [*RECORDS, {"t": "after"}]


def test_compaction_replaces_the_old_generation_with_a_snapshot(tmp_path: Path) -> None:
    store = Store(tmp_path)
    journal = Journal(store.path("journal", 1))
    journal.append({"t": "old"})
    journal.switch(store.path("journal", 2))
    journal.append({"t": "new"})
    journal.sync()
    store.write_snapshot(2, [{"t": "state"}])
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "journal-00000002.log",
        "snapshot-00000002.log",
    ]
    loaded = store.load()
    assert (loaded.generation, list(loaded.records)) == (2, [{"t": "state"}, {"t": "new"}])


def test_a_snapshot_cut_short_by_a_crash_is_ignored_for_the_previous_one(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.write_snapshot(1, [{"t": "state-1"}])
    Journal(store.path("journal", 1)).append({"t": "j1"})
    Journal(store.path("journal", 2)).append({"t": "j2"})
    unfinished = b"".join(frame(r) for r in [{"t": "state-2"}])  # no `end` record
    store.path("snapshot", 2).write_bytes(unfinished)
    loaded = store.load()
    assert list(loaded.records) == [{"t": "state-1"}, {"t": "j1"}, {"t": "j2"}]
    assert loaded.generation == 2


def test_a_second_emulator_cannot_take_a_journal_folder_another_one_holds(tmp_path: Path) -> None:
    Store(tmp_path).lock()
    with pytest.raises(JournalInUse):
        Store(tmp_path).lock(timeout=0.3)


# --- the emulator ---------------------------------------------------------------------------


class Emulator:
    """One journalled emulator on a folder: start, SIGKILL, start again."""

    def __init__(self, directory: Path, compact_every: int | None = None) -> None:
        self.directory = directory
        self.compact_every = compact_every
        self.server: MotoProcess | None = None

    def start(self) -> Emulator:
        self.server = start_moto(journal=self.directory, compact_every=self.compact_every)
        return self

    def kill(self) -> None:
        assert self.server is not None
        self.server.process.send_signal(signal.SIGKILL)
        self.server.process.wait(timeout=10)

    def restart(self) -> Emulator:
        self.kill()
        return self.start()

    def status(self) -> dict[str, Any]:
        assert self.server is not None
        with urllib.request.urlopen(f"{self.server.endpoint_url}/_factcheck/status") as resp:
            return dict(json.loads(resp.read()))

    def settings(self) -> Settings:
        assert self.server is not None
        base = Settings(
            target=Target.LOCAL,
            endpoint_url=self.server.endpoint_url,
            table_name=TABLE,
            cursor_secret="x" * 32,  # type: ignore[arg-type]
        )
        return provision(base, prefix="journal")  # idempotent, as every stack start does

    def clients(self) -> tuple[Any, Any, Settings]:
        settings = self.settings()
        kwargs = settings.boto_kwargs()
        return boto3.client("dynamodb", **kwargs), boto3.client("sqs", **kwargs), settings


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[Emulator]:
    emu = Emulator(tmp_path / "journal").start()
    try:
        yield emu
    finally:
        if emu.server is not None:
            emu.server.stop()


def _key(pk: str) -> dict[str, Any]:
    return {"PK": {"S": pk}, "SK": {"S": "ITEM"}}


def _get(ddb: Any, pk: str) -> dict[str, Any] | None:
    item = ddb.get_item(TableName=TABLE, Key=_key(pk), ConsistentRead=True).get("Item")
    return dict(item) if item else None


def test_every_acknowledged_write_survives_sigkill_of_the_emulator(emulator: Emulator) -> None:
    ddb, _, _ = emulator.clients()
    for i in range(20):
        ddb.put_item(TableName=TABLE, Item={**_key(f"p{i}"), "n": {"N": str(i)}})
    ddb.update_item(
        TableName=TABLE,
        Key=_key("p1"),
        UpdateExpression="SET n = :v, tags = :t",
        ExpressionAttributeValues={":v": {"N": "100"}, ":t": {"SS": ["a", "b"]}},
    )
    ddb.delete_item(TableName=TABLE, Key=_key("p2"))
    ddb.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": TABLE, "Item": {**_key("tx"), "m": {"M": {"x": {"L": []}}}}}},
            {"Delete": {"TableName": TABLE, "Key": _key("p3")}},
        ]
    )
    ddb.batch_write_item(
        RequestItems={
            TABLE: [
                {"PutRequest": {"Item": {**_key("b1"), "ok": {"BOOL": True}}}},
                {"DeleteRequest": {"Key": _key("p4")}},
            ]
        }
    )
    before = {pk: _get(ddb, pk) for pk in ["p0", "p1", "p2", "p3", "p4", "p19", "tx", "b1"]}

    emulator.restart()
    ddb, _, _ = emulator.clients()

    assert {pk: _get(ddb, pk) for pk in before} == before
    assert before["p2"] is None and before["tx"] is not None
    assert emulator.status()["items"][TABLE] == 20 - 3 + 2


def test_a_failed_conditional_write_is_not_journalled(emulator: Emulator) -> None:
    ddb, _, _ = emulator.clients()
    ddb.put_item(TableName=TABLE, Item={**_key("once"), "v": {"S": "first"}})
    with pytest.raises(ddb.exceptions.ConditionalCheckFailedException):
        ddb.put_item(
            TableName=TABLE,
            Item={**_key("once"), "v": {"S": "second"}},
            ConditionExpression="attribute_not_exists(PK)",
        )
    records = emulator.status()["journal_records"]
    emulator.restart()
    ddb, _, _ = emulator.clients()
    assert _get(ddb, "once") == {**_key("once"), "v": {"S": "first"}}
    assert emulator.status()["replay"]["journal_records"] == records


def test_queued_and_in_flight_messages_come_back_visible_and_deleted_ones_do_not(
    emulator: Emulator,
) -> None:
    _, sqs, settings = emulator.clients()
    url = str(settings.documents_queue_url)
    for i in range(4):
        sqs.send_message(QueueUrl=url, MessageBody=f"m{i}")
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=2, VisibilityTimeout=300)
    received = got["Messages"]
    sqs.delete_message(QueueUrl=url, ReceiptHandle=received[0]["ReceiptHandle"])
    in_flight = received[1]["Body"]

    emulator.restart()
    _, sqs, settings = emulator.clients()

    back = sqs.receive_message(
        QueueUrl=str(settings.documents_queue_url),
        MaxNumberOfMessages=10,
        MessageSystemAttributeNames=["ApproximateReceiveCount"],
    )["Messages"]
    counts = {m["Body"]: int(m["Attributes"]["ApproximateReceiveCount"]) for m in back}
    assert set(counts) == {"m0", "m1", "m2", "m3"} - {received[0]["Body"]}
    assert counts[in_flight] == 2  # its earlier receive still counts towards the DLQ


def test_a_message_moved_to_its_dlq_is_in_the_dlq_after_a_restart(emulator: Emulator) -> None:
    _, sqs, settings = emulator.clients()
    url, dlq = str(settings.documents_queue_url), str(settings.documents_dlq_url)
    sqs.send_message(QueueUrl=url, MessageBody="poison")
    receives = 0
    while receives < 20 and sqs.receive_message(QueueUrl=url, VisibilityTimeout=0).get("Messages"):
        receives += 1  # each receive counts; past maxReceiveCount moto moves it to the DLQ

    emulator.restart()
    _, sqs, _ = emulator.clients()

    assert sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0).get("Messages") is None
    moved = sqs.receive_message(QueueUrl=dlq, WaitTimeSeconds=0)["Messages"]
    assert [m["Body"] for m in moved] == ["poison"]


def test_a_torn_last_record_is_dropped_at_start_and_the_rest_replayed(
    emulator: Emulator,
) -> None:
    ddb, _, _ = emulator.clients()
    ddb.put_item(TableName=TABLE, Item={**_key("kept"), "v": {"S": "1"}})
    emulator.kill()
    journal = sorted(emulator.directory.glob("journal-*.log"))[-1]
    with journal.open("ab") as out:  # what a crash mid-append leaves
        out.write(frame({"t": "ddb", "a": "x", "r": "y", "w": []})[:-5])

    emulator.start()
    ddb, _, _ = emulator.clients()

    assert _get(ddb, "kept") == {**_key("kept"), "v": {"S": "1"}}
    assert emulator.status()["replay"]["torn_bytes_dropped"] > 0


def test_compaction_snapshots_the_state_and_truncates_the_journal(tmp_path: Path) -> None:
    emu = Emulator(tmp_path / "journal", compact_every=25).start()
    try:
        ddb, sqs, settings = emu.clients()
        for i in range(60):
            ddb.put_item(TableName=TABLE, Item={**_key(f"c{i}"), "n": {"N": str(i)}})
        sqs.send_message(QueueUrl=str(settings.claims_queue_url), MessageBody="queued")
        status = emu.status()
        assert status["compactions"] >= 1
        assert status["journal_records"] < 25 + 5  # a compaction may still be on its way

        emu.restart()
        ddb, sqs, settings = emu.clients()

        assert emu.status()["items"][TABLE] == 60
        assert _get(ddb, "c59") == {**_key("c59"), "n": {"N": "59"}}
        got = sqs.receive_message(QueueUrl=str(settings.claims_queue_url))["Messages"]
        assert [m["Body"] for m in got] == ["queued"]
        assert emu.status()["replay"]["generation"] >= 2
        assert len(list(emu.directory.glob("snapshot-*.log"))) == 1
    finally:
        assert emu.server is not None
        emu.server.stop()


def test_a_clean_stop_leaves_one_snapshot_and_an_empty_journal(emulator: Emulator) -> None:
    ddb, _, _ = emulator.clients()
    ddb.put_item(TableName=TABLE, Item=_key("clean"))
    assert emulator.server is not None
    emulator.server.stop()
    emulator.start()
    ddb, _, _ = emulator.clients()
    assert _get(ddb, "clean") == _key("clean")
    assert emulator.status()["replay"]["journal_records"] == 0


def test_releasing_a_dead_owner_makes_its_in_flight_messages_visible_at_once(
    emulator: Emulator,
) -> None:
    from factcheck.local import journal_client

    _, sqs, settings = emulator.clients()
    assert emulator.server is not None
    endpoint = emulator.server.endpoint_url
    url = str(settings.claims_queue_url)
    journal_client.claim(endpoint, 111_111)
    sqs.send_message(QueueUrl=url, MessageBody="held by 111111")
    assert sqs.receive_message(QueueUrl=url, VisibilityTimeout=300)["Messages"]
    journal_client.claim(endpoint, 222_222)
    sqs.send_message(QueueUrl=url, MessageBody="held by 222222")
    assert sqs.receive_message(QueueUrl=url, VisibilityTimeout=300)["Messages"]
    assert "Messages" not in sqs.receive_message(QueueUrl=url)

    assert journal_client.claim(endpoint, 333_333, release=111_111) == 1

    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert [m["Body"] for m in got] == ["held by 111111"]


_scalars = st.one_of(
    st.builds(lambda v: {"S": v}, st.text(max_size=8)),
    st.builds(lambda v: {"N": str(v)}, st.integers()),
    st.builds(lambda v: {"BOOL": v}, st.booleans()),
    st.just({"NULL": True}),
    st.builds(lambda v: {"SS": sorted(v)}, st.sets(st.text(max_size=4), min_size=1, max_size=3)),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.builds(lambda v: {"L": v}, st.lists(inner, max_size=3)),
        st.builds(lambda v: {"M": v}, st.dictionaries(st.text(max_size=4), inner, max_size=3)),
    ),
    max_leaves=8,
)


@given(value=_values)
@settings(max_examples=80, deadline=None)
def test_replayed_attribute_values_equal_what_moto_builds_from_the_same_json(
    value: dict[str, Any],
) -> None:
    from moto.dynamodb.models.dynamo_type import DynamoType

    from factcheck.local.journal_state import dynamo_value

    built, replayed = DynamoType(value), dynamo_value(value)
    assert replayed == built
    assert replayed.to_json() == built.to_json()
