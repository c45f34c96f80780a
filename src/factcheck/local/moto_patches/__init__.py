"""Speed fixes for moto's server, applied only inside the serialised local emulator.

moto (5.2) does several things in time proportional to the whole table or queue, which made
the local stack crawl once it held a few thousand items. One module per fix:

- `transactions`: TransactWriteItems snapshots only the items it touches (no table copy);
- `query`: a Query reads its one partition (of the table or an index), not every item;
- `module_listing`: moto's package folder is listed once, not on every request;
- `read_serialisation`: plain-JSON read results are dumped directly;
- `sqs_attributes`: a receive or GetQueueAttributes no longer counts the queue repeatedly.

These patch a test double's internals, written by hand because moto offers no switch for
any of them. Each is pinned to the moto versions it was tested with (`PATCHES`, and the
`moto[server]` range in pyproject.toml): on any other version `apply()` skips it with an
`UntestedMotoWarning` (the emulator is then slower, never different), because a changed
internal could otherwise turn a patch silently into a no-op or a wrong answer. On a tested
version a patch that no longer fits fails loudly. `tests/integration/local/` checks that the
same transactions, queries and receives give the same results patched and unpatched.

`transactions` and `query` rely on the emulator serialising DynamoDB requests
(`SerialisedApp`): no other request runs while a patched call is in progress, and every
request calls `note_request`, which keeps the query patch's index partition maps up to date
from each write's keys (or drops them for a write whose keys it cannot read).
"""

from __future__ import annotations

import importlib
import importlib.metadata
import warnings
from collections.abc import Callable
from dataclasses import dataclass

from packaging.specifiers import SpecifierSet
from packaging.version import Version

from factcheck.local.moto_patches.read_serialisation import fast_response, plain_json

__all__ = ["PATCHES", "UntestedMotoWarning", "apply", "fast_response", "note_request", "plain_json"]


class UntestedMotoWarning(RuntimeWarning):
    """A patch was skipped: the installed moto is not a version it was tested with."""


@dataclass(frozen=True)
class Patch:
    module: str  # under factcheck.local.moto_patches; imported only when it is applied
    tested: SpecifierSet  # the moto versions whose internals it was written against


TESTED_MOTO = SpecifierSet(">=5.2.5,<5.3")  # keep equal to pyproject.toml's moto range
PATCHES = (
    Patch("transactions", TESTED_MOTO),
    Patch("query", TESTED_MOTO),
    Patch("module_listing", TESTED_MOTO),
    Patch("read_serialisation", TESTED_MOTO),
    Patch("sqs_attributes", TESTED_MOTO),
)

_applied: list[str] | None = None
_note: Callable[[str, bytes | None], None] | None = None


def note_request(operation: str, body: bytes | None = None) -> None:
    """Called for each DynamoDB request (under the lock, before moto runs it) with a
    write's body: the query patch keeps its index partition maps up to date from the keys
    the body names, or drops them when it names none (`query.note_request`)."""
    if _note is not None:
        _note(operation, body)


def _installed_moto() -> Version:
    return Version(importlib.metadata.version("moto"))


def apply(moto_version: str | None = None) -> list[str]:
    """Install the patches fitting moto's version once per process (the emulator's); the
    names of those installed. `moto_version` stands in for the installed one (tests)."""
    global _applied, _note
    if _applied is not None:
        return list(_applied)
    version = Version(moto_version) if moto_version else _installed_moto()
    installed: list[str] = []
    for patch in PATCHES:
        if version not in patch.tested:
            warnings.warn(
                f"moto {version} is not a version the {patch.module} patch was tested with "
                f"({patch.tested}): skipped, the local emulator runs moto unpatched there",
                UntestedMotoWarning,
                stacklevel=2,
            )
            continue
        module = importlib.import_module(f"{__name__}.{patch.module}")
        module.install()
        if patch.module == "query":
            _note = module.note_request
        installed.append(patch.module)
    _applied = installed
    return list(installed)
