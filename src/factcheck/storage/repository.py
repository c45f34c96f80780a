"""The storage contract: `Repository` and its ports live in `factcheck.storage.ports`."""

from __future__ import annotations

from factcheck.storage.ports import (
    Backup,
    ClaimIndex,
    ClaimIntake,
    ClaimReader,
    ClaimStore,
    DocumentStore,
    ExternalCheckStore,
    ExtractionStore,
    Repository,
    UserStore,
    WebhookStore,
)

__all__ = [
    "Backup",
    "ClaimIndex",
    "ClaimIntake",
    "ClaimReader",
    "ClaimStore",
    "DocumentStore",
    "ExternalCheckStore",
    "ExtractionStore",
    "Repository",
    "UserStore",
    "WebhookStore",
]
