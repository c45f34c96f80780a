"""Typed domain errors. The API maps each to one HTTP status in one registered handler."""

from __future__ import annotations


class FactcheckError(Exception):
    """Base of every domain error; `code` is the stable machine-readable name."""

    code = "error"
    http_status = 400

    def __init__(self, message: str, **detail: object) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


class NotFound(FactcheckError):
    code = "not_found"
    http_status = 404


class Conflict(FactcheckError):
    code = "conflict"
    http_status = 409


class UserExists(Conflict):
    """User names are unique: a second `users add` of a name is refused."""

    code = "user_exists"


class IllegalTransition(Conflict):
    code = "illegal_transition"


class LeaseConflict(Conflict):
    """The claim is leased by someone else, or the caller does not hold the lease."""

    code = "lease_conflict"


class FourEyesViolation(Conflict):
    code = "four_eyes"


class Retracted(FactcheckError):
    """The check was published and then withdrawn: 410 with when and why, never a 404."""

    code = "retracted"
    http_status = 410


class DocumentTooLarge(FactcheckError):
    code = "document_too_large"
    http_status = 413


class InvalidCursor(FactcheckError):
    code = "invalid_cursor"
    http_status = 400


class InvalidInput(FactcheckError):
    code = "invalid_input"
    http_status = 422


class Unauthorized(FactcheckError):
    code = "unauthorized"
    http_status = 401


class Forbidden(FactcheckError):
    code = "forbidden"
    http_status = 403


class StorageError(FactcheckError):
    """The store failed or is unreachable (not the caller's fault; safe to retry)."""

    code = "storage_unavailable"
    http_status = 503
