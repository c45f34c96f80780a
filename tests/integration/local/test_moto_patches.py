"""The local emulator's speed patches keep DynamoDB's semantics (all-or-nothing, same reads)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.local.moto_process import MotoProcess, start_moto
from factcheck.local.resources import create_table
from factcheck.settings import Settings
from factcheck.template import load_template

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def emulator() -> Iterator[MotoProcess]:
    server = start_moto(serialise=True)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def ddb(emulator: MotoProcess, request: pytest.FixtureRequest) -> tuple[Any, str]:
    name = f"patched-{request.node.name[:40]}"
    settings = Settings(endpoint_url=emulator.endpoint_url, table_name=name)
    create_table(settings, load_template())
    return boto3.client("dynamodb", **settings.boto_kwargs()), name


def _put(pk: str, sk: str, **extra: str) -> dict[str, Any]:
    return {"PK": {"S": pk}, "SK": {"S": sk}, **{k: {"S": v} for k, v in extra.items()}}


def test_a_transaction_with_a_failed_condition_changes_nothing(ddb: tuple[Any, str]) -> None:
    client, table = ddb
    client.put_item(TableName=table, Item=_put("A", "1", v="old"))
    with pytest.raises(ClientError) as err:
        client.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": table, "Item": _put("A", "1", v="new")}},
                {"Put": {"TableName": table, "Item": _put("A", "2", v="new")}},
                {
                    "Put": {
                        "TableName": table,
                        "Item": _put("A", "1x", v="never"),
                        "ConditionExpression": "attribute_exists(PK)",
                    }
                },
            ]
        )
    assert err.value.response["Error"]["Code"] == "TransactionCanceledException"
    items = client.query(
        TableName=table,
        KeyConditionExpression="PK = :p",
        ExpressionAttributeValues={":p": {"S": "A"}},
    )["Items"]
    assert items == [_put("A", "1", v="old")]


def test_a_successful_transaction_writes_every_item(ddb: tuple[Any, str]) -> None:
    client, table = ddb
    client.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": table, "Item": _put("B", "1")}},
            {"Put": {"TableName": table, "Item": _put("B", "2")}},
        ]
    )
    count = client.query(
        TableName=table,
        KeyConditionExpression="PK = :p",
        ExpressionAttributeValues={":p": {"S": "B"}},
        Select="COUNT",
    )["Count"]
    assert count == 2


def test_a_partition_query_pages_in_range_order_and_ignores_other_partitions(
    ddb: tuple[Any, str],
) -> None:
    client, table = ddb
    for i in range(25):
        client.put_item(TableName=table, Item=_put("P", f"{i:03d}"))
        client.put_item(TableName=table, Item=_put("Q", f"{i:03d}"))
    seen: list[str] = []
    kwargs: dict[str, Any] = {
        "TableName": table,
        "KeyConditionExpression": "PK = :p AND SK >= :s",
        "ExpressionAttributeValues": {":p": {"S": "P"}, ":s": {"S": "005"}},
        "Limit": 7,
        "ScanIndexForward": False,
    }
    while True:
        page = client.query(**kwargs)
        seen += [item["SK"]["S"] for item in page["Items"]]
        if "LastEvaluatedKey" not in page:
            break
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    assert seen == [f"{i:03d}" for i in range(24, 4, -1)]


def _gsi_page(client: Any, table: str, **extra: Any) -> list[str]:
    return [
        item["PK"]["S"]
        for item in client.query(
            TableName=table,
            IndexName="GSI1",
            KeyConditionExpression="GSI1PK = :p",
            ExpressionAttributeValues={":p": {"S": "QUEUE#queued"}},
            **extra,
        )["Items"]
    ]


def test_an_index_query_sees_every_write_made_since_the_last_one(ddb: tuple[Any, str]) -> None:
    client, table = ddb
    for i in (3, 1, 2):
        client.put_item(
            TableName=table, Item=_put(f"C{i}", "CLAIM", GSI1PK="QUEUE#queued", GSI1SK=f"{i}")
        )
    client.put_item(TableName=table, Item=_put("C9", "CLAIM", GSI1PK="QUEUE#in_review", GSI1SK="0"))
    assert _gsi_page(client, table) == ["C1", "C2", "C3"]
    # a transition moves C1 out of the partition and C9 into it
    client.transact_write_items(
        TransactItems=[
            {
                "Update": {
                    "TableName": table,
                    "Key": {"PK": {"S": "C1"}, "SK": {"S": "CLAIM"}},
                    "UpdateExpression": "SET GSI1PK = :s",
                    "ExpressionAttributeValues": {":s": {"S": "QUEUE#in_review"}},
                }
            },
            {
                "Update": {
                    "TableName": table,
                    "Key": {"PK": {"S": "C9"}, "SK": {"S": "CLAIM"}},
                    "UpdateExpression": "SET GSI1PK = :s",
                    "ExpressionAttributeValues": {":s": {"S": "QUEUE#queued"}},
                }
            },
        ]
    )
    assert _gsi_page(client, table) == ["C9", "C2", "C3"]
    client.delete_item(TableName=table, Key={"PK": {"S": "C2"}, "SK": {"S": "CLAIM"}})
    assert _gsi_page(client, table, ScanIndexForward=False) == ["C3", "C9"]


ITEM = {
    "PK": {"S": "CLAIM#1"},
    "SK": {"S": "META"},
    "score": {"N": "0.93"},
    "held": {"NULL": True},
    "ok": {"BOOL": False},
    "tags": {"SS": ["a", "b"]},
    "nested": {"M": {"q": {"L": [{"N": "3"}, {"S": "to 1 \u2013 \u00e9"}]}}},
    "quote": {"S": 'say "hi"\n\\ \u2028'},
}
READ_RESULTS = [
    ("Query", {"Count": 1, "ScannedCount": 1, "Items": [ITEM]}),
    ("Query", {"Count": 0, "ScannedCount": 0, "Items": []}),
    (
        "Query",
        {"Count": 1, "ScannedCount": 3, "Items": [ITEM], "LastEvaluatedKey": {"PK": {"S": "x"}}},
    ),
    ("GetItem", {"Item": ITEM}),
    ("GetItem", {}),
    ("BatchGetItem", {"Responses": {"t": [ITEM, ITEM]}, "UnprocessedKeys": {}}),
]


@pytest.mark.parametrize(("operation", "result"), READ_RESULTS)
def test_fast_read_serialisation_gives_the_body_moto_would(
    operation: str, result: dict[str, Any]
) -> None:
    import json

    from moto.core.serialize import XFormedAttributePicker, get_serializer_class
    from moto.core.utils import get_service_model

    from factcheck.local.moto_patches import fast_response

    op_model = get_service_model("dynamodb").operation_model(operation)
    serializer = get_serializer_class("dynamodb", "json")(
        operation_model=op_model,
        pretty_print=False,
        value_picker=XFormedAttributePicker(response_transformers=None),
    )
    expected = serializer.serialize(result)
    fast = fast_response(operation, result)
    assert fast is not None
    status, headers, body = fast
    assert status == expected["status_code"]
    assert headers["Content-Type"] == expected["headers"]["Content-Type"]
    assert json.loads(body) == json.loads(expected["body"])


@pytest.mark.parametrize(
    "result",
    [{"Item": {"PK": {"B": b"\x00"}}}, {"Items": [None]}, {"Count": None}],
    ids=["binary", "none-in-list", "none-member"],
)
def test_fast_read_serialisation_leaves_what_is_not_plain_json_to_moto(
    result: dict[str, Any],
) -> None:
    from factcheck.local.moto_patches import fast_response

    assert fast_response("Query", result) is None


def test_writes_are_always_serialised_by_moto() -> None:
    from factcheck.local.moto_patches import fast_response

    assert fast_response("PutItem", {"Attributes": {"PK": {"S": "x"}}}) is None


def test_queue_attributes_and_receives_are_unchanged_by_the_sqs_patch(
    emulator: MotoProcess,
) -> None:
    settings = Settings(endpoint_url=emulator.endpoint_url)
    sqs = boto3.client("sqs", **settings.boto_kwargs())
    url = sqs.create_queue(QueueName="patched-sqs", Attributes={"MessageRetentionPeriod": "60"})[
        "QueueUrl"
    ]
    for n in range(5):
        sqs.send_message(QueueUrl=url, MessageBody=f"m{n}")
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=2, VisibilityTimeout=30)
    assert len(got["Messages"]) == 2  # within the retention period: delivered

    counts = sqs.get_queue_attributes(
        QueueUrl=url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    assert counts == {
        "ApproximateNumberOfMessages": "3",
        "ApproximateNumberOfMessagesNotVisible": "2",
    }
    every = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert every["MessageRetentionPeriod"] == "60"
    assert every["ApproximateNumberOfMessages"] == "3"
    assert "Policy" not in sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["Policy"]).get(
        "Attributes", {}
    )
    with pytest.raises(ClientError) as err:
        sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["NoSuchAttribute"])
    assert "InvalidAttributeName" in str(err.value)


# -- the query patch's index maps, in process: every write applied, whatever the backlog ----

_WRITES = st.lists(
    st.tuples(
        st.sampled_from(["put", "update", "remove", "delete", "unknown"]),
        st.integers(0, 7),  # which item
        st.sampled_from(["QUEUE#queued", "QUEUE#in_review", "PUBLISHED"]),
    ),
    max_size=40,
)


def _holds(item: Any, wanted: Any) -> bool:
    held = item.attrs.get("GSI1PK")  # DynamoType == None raises: compare only what is held
    return held is not None and held == wanted


@settings(max_examples=150, deadline=None, database=None)
@given(writes=_WRITES, max_pending=st.sampled_from([1, 3, 5_000]))
def test_an_index_partition_map_matches_a_walk_of_the_table_after_any_writes(
    writes: list[tuple[str, int, str]], max_pending: int
) -> None:
    """Writes as moto makes them (an update mutates the item in place), each noted with its
    body first as the emulator does; after each one, the map's partitions equal the items a
    walk of the whole table finds, in the same order."""
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    from factcheck.local.moto_patches import query

    schema = [
        {"AttributeName": "PK", "KeyType": "HASH"},
        {"AttributeName": "SK", "KeyType": "RANGE"},
    ]
    attrs = [{"AttributeName": a, "AttributeType": "S"} for a in ("PK", "SK")]
    table = Table(f"maps-{id(writes)}", "123456789012", "eu-west-1", schema, attrs)
    query._index_maps.clear()
    saved, query.MAX_PENDING = query.MAX_PENDING, max_pending
    try:
        for kind, n, value in writes:
            key = {"PK": {"S": f"C{n}"}, "SK": {"S": "CLAIM"}}
            body: dict[str, Any] = {"TableName": table.name, "Key": key}
            if kind == "put":
                body = {"TableName": table.name, "Item": {**key, "GSI1PK": {"S": value}}}
            operation = {"put": "PutItem", "delete": "DeleteItem"}.get(kind, "UpdateItem")
            query.note_request(
                operation if kind != "unknown" else "UpdateTable", json.dumps(body).encode()
            )
            item = table.get_item(DynamoType(key["PK"]), DynamoType(key["SK"]))
            if kind == "put":
                table.put_item(body["Item"])
            elif kind == "update" and item is not None:
                item.attrs["GSI1PK"] = DynamoType({"S": value})
            elif kind == "remove" and item is not None:
                item.attrs.pop("GSI1PK", None)
            elif kind == "delete" and item is not None:
                table.delete_item(DynamoType(key["PK"]), DynamoType(key["SK"]))
            for probe in ("QUEUE#queued", "QUEUE#in_review", "PUBLISHED"):
                wanted = DynamoType({"S": probe})
                walked = [i for i in table.all_items() if _holds(i, wanted)]
                mapped = query._index_partition(table, [("GSI1PK", wanted)])
                assert [i.hash_key for i in mapped or []] == [i.hash_key for i in walked]
    finally:
        query.MAX_PENDING = saved
        query._index_maps.clear()
