"""The local emulator's speed patches keep DynamoDB's semantics (all-or-nothing, same reads)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

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
