"""What the views need from outside: settings, the repository and the queues.

Held in `app.extensions["factcheck"]` and created lazily, so building the app (for
`factcheck openapi`, or a Lambda cold start) creates no AWS client, and tests can pass a
repository and queues of their own to `create_app`.
"""

from __future__ import annotations

from typing import Any

from flask import current_app

from factcheck.domain.rating import RatingScale
from factcheck.settings import Settings
from factcheck.storage.repository import Repository


class Services:
    def __init__(
        self, settings: Settings, repository: Repository | None = None, queues: Any = None
    ) -> None:
        self.settings = settings
        self.rating_scale = RatingScale(settings.rating_scale)
        self._repository = repository
        self._queues = queues

    @property
    def repository(self) -> Repository:
        if self._repository is None:
            from factcheck.storage.dynamo import DynamoRepository

            self._repository = DynamoRepository(self.settings)
        return self._repository

    @property
    def queues(self) -> Any:
        if self._queues is None:
            from factcheck.pipeline.queues import Queues

            self._queues = Queues(self.settings)
        return self._queues


def services() -> Services:
    svc: Services = current_app.extensions["factcheck"]
    return svc
