"""The storage contract: `Repository` and its ports live in `factcheck.storage.ports`."""

from __future__ import annotations

from factcheck.storage.ports import (
    Backup,
    ClaimIndex,
    ClaimReader,
    ClaimStore,
    DocumentStore,
    ExternalCheckStore,
    Repository,
    UserStore,
    WebhookStore,
)

__all__ = [
    "Backup",
    "ClaimIndex",
    "ClaimReader",
    "ClaimStore",
    "DocumentStore",
    "ExternalCheckStore",
    "Repository",
    "UserStore",
    "WebhookStore",
]
