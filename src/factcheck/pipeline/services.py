"""What the pipeline's functions and the API depend on, built once per cold start.

One `Services` for both: the settings, the repository, the queues, the extractor and the
rating scale. The repository and queues are created on first use, so building the API app
(for `factcheck openapi`, or a Lambda cold start) creates no AWS client, and tests pass
their own.

On Lambda, `current()` builds the services from the environment's settings on first use
and keeps them for the life of the execution environment. The local poller (and tests)
`bind()` services for its own settings, so the very same `lambda_handler` functions run
against a test's table and queues, or with a fault injected. The API keeps its own in
`app.extensions` (see `factcheck.api.services`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Protocol

from factcheck.domain.models import LayoutBlock
from factcheck.domain.rating import RatingScale
from factcheck.pipeline.messages import ExtractedClaimLike
from factcheck.pipeline.queues import Queues
from factcheck.settings import Settings, get_settings
from factcheck.storage.repository import Repository


class ExtractionLike(Protocol):
    """The shape of `factcheck.extraction.extractor.ExtractionResult` the pipeline relies on:
    the claims, a status (`ok`, `no_text`, `unsupported_language`) and the language."""

    @property
    def claims(self) -> Sequence[ExtractedClaimLike]: ...
    @property
    def status(self) -> str: ...
    @property
    def language(self) -> str | None: ...


class Extractor(Protocol):
    """(text, document id[, layout]) -> the extraction, or just its claims (status ok,
    language unknown). The layout (`Document.layout`) is passed only for a document that
    has one, so a test's extractor of (text, document id) still serves plain text."""

    def __call__(
        self, text: str, document_id: str, layout: Sequence[LayoutBlock] | None = None, /
    ) -> ExtractionLike | Sequence[ExtractedClaimLike]: ...


def make_extractor(threshold: float | None = None) -> Extractor:
    """The project's extractor (imported on first use: the store function stays light)."""

    def extract_claims(
        text: str, document_id: str, layout: Sequence[LayoutBlock] | None = None, /
    ) -> ExtractionLike:
        from factcheck.extraction.extractor import extract_document

        # A Document's text is always plain (the API renders HTML on submission), and the
        # claims' offsets must slice it: never let markup-looking text be re-parsed. The
        # page's layout, when stored, gives it the HTML's structure back.
        return extract_document(
            text, doc_id=document_id, threshold=threshold, html=False, layout=layout
        )

    return extract_claims


class Services:
    """Settings plus the adapters built from them; pass any of them to replace the default."""

    def __init__(
        self,
        settings: Settings,
        repository: Repository | None = None,
        queues: Queues | None = None,
        extractor: Extractor | None = None,
    ) -> None:
        self.settings = settings
        self.rating_scale = RatingScale(settings.rating_scale)  # a bad scale fails at start-up
        self._repository = repository
        self._queues = queues
        self.extractor: Extractor = extractor or make_extractor(settings.extraction_threshold)

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        repository: Repository | None = None,
        queues: Queues | None = None,
        extractor: Extractor | None = None,
    ) -> Services:
        """DynamoDB repository and SQS adapter for `settings` unless given (clients lazy)."""
        return cls(settings, repository=repository, queues=queues, extractor=extractor)

    @property
    def repository(self) -> Repository:
        if self._repository is None:
            from factcheck.storage.dynamo import DynamoRepository

            self._repository = DynamoRepository(self.settings)
        return self._repository

    @repository.setter
    def repository(self, repository: Repository) -> None:
        self._repository = repository

    @property
    def queues(self) -> Queues:
        if self._queues is None:
            self._queues = Queues(self.settings)
        return self._queues

    @queues.setter
    def queues(self, queues: Queues) -> None:
        self._queues = queues


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
