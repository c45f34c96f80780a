"""The base of the repository's parts: what each of them shares (one table, the settings)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from factcheck.domain.rating import RatingScale
from factcheck.settings import Settings
from factcheck.storage.client import Table

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


class Store:
    """One part of `DynamoRepository` (documents, claims, indexes...) on the shared table."""

    def __init__(self, settings: Settings, *, query_page_size: int | None = None) -> None:
        self.settings = settings
        self.db = Table(settings, query_page_size=query_page_size)
        self.rating_scale = RatingScale(settings.rating_scale)

    @property
    def table_name(self) -> str:
        return self.db.name

    @property
    def serialised(self) -> bool:
        """Whether this process's DynamoDB calls go one at a time (moto is not thread-safe)."""
        return self.db.serialised

    @property
    def client(self) -> DynamoDBClient:
        return self.db.client
