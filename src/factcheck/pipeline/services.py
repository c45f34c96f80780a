"""What the pipeline's functions depend on, built once per cold start.

On Lambda, `current()` builds the services from the environment's settings on first use
and keeps them for the life of the execution environment. The local poller (and tests)
`bind()` services for its own settings, so the very same `lambda_handler` functions run
against a test's table and queues, or with a fault injected.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from factcheck.pipeline.messages import ExtractedClaimLike
from factcheck.pipeline.queues import Queues
from factcheck.settings import Settings, get_settings
from factcheck.storage.repository import Repository

# (text, document id) -> extracted claims
Extractor = Callable[[str, str], Sequence[ExtractedClaimLike]]


def make_extractor(threshold: float | None = None) -> Extractor:
    """The project's extractor (imported on first use: the store function stays light)."""

    def extract_claims(text: str, document_id: str) -> Sequence[ExtractedClaimLike]:
        from factcheck.extraction.extractor import extract

        return extract(text, doc_id=document_id, threshold=threshold)

    return extract_claims


default_extractor = make_extractor()


@dataclass
class Services:
    settings: Settings
    repo: Repository
    queues: Queues
    extractor: Extractor = field(default=default_extractor)

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> Services:
        """DynamoDB repository and SQS adapter for `settings` (clients created lazily)."""
        if "repo" not in overrides:
            from factcheck.storage.dynamo import DynamoRepository

            overrides["repo"] = DynamoRepository(settings)
        overrides.setdefault("queues", Queues(settings))
        overrides.setdefault("extractor", make_extractor(settings.extraction_threshold))
        return cls(settings=settings, **overrides)


_lock = threading.Lock()
_cold_start: Services | None = None
_bound: Services | None = None


def current() -> Services:
    """The bound services if any, else the ones built once from the environment."""
    global _cold_start
    if _bound is not None:
        return _bound
    with _lock:
        if _cold_start is None:
            _cold_start = Services.from_settings(get_settings())
        return _cold_start


@contextmanager
def bind(services: Services) -> Iterator[Services]:
    """Make `services` what the handlers use until the block ends (one binding at a time)."""
    global _bound
    with _lock:
        previous, _bound = _bound, services
    try:
        yield services
    finally:
        with _lock:
            _bound = previous


def reset() -> None:
    """Forget the cold-start services (tests that change the environment)."""
    global _cold_start
    with _lock:
        _cold_start = None
