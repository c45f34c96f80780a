"""Every domain error is an HTTP error of its own: a stable code and a 4xx/5xx status (no
error class may mean "success", as the removed AlreadyExists with status 200 did)."""

from __future__ import annotations

import pytest

from factcheck.domain import errors
from factcheck.domain.errors import FactcheckError

pytestmark = pytest.mark.unit


def _subclasses(cls: type[FactcheckError]) -> list[type[FactcheckError]]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


ERRORS = [e for e in _subclasses(FactcheckError) if e.__module__ == errors.__name__]


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: e.__name__)
def test_each_domain_error_maps_to_a_client_or_server_error_status(
    error: type[FactcheckError],
) -> None:
    assert 400 <= error.http_status < 600
    assert error.code and error.code != FactcheckError.code


def test_domain_error_codes_are_unique() -> None:
    codes = [e.code for e in ERRORS]
    assert len(codes) == len(set(codes))
    assert not hasattr(errors, "AlreadyExists")
