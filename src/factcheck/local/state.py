"""Back up and restore a deployment: table items and queued messages as JSON lines.

Used by `factcheck export DIR` / `factcheck import DIR` against any deployment, and by the
local stack on shutdown and start-up so local state survives a restart. The format is
versioned (a header line in each file); import is idempotent: items are written with
`Repository.import_items` (same keys -> same items) and re-sent messages are harmless
because every handler is idempotent on the content-hash ids.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from factcheck.domain.errors import FactcheckError
from factcheck.storage.ports import Backup

FORMAT = "factcheck-state"
VERSION = 1
ITEMS_FILE = "items.jsonl"
MESSAGES_FILE = "messages.jsonl"


class StateFormatError(FactcheckError):
    code = "state_format"


@dataclass
class StateCounts:
    items: int = 0
    messages: dict[str, int] = field(default_factory=dict)


def _default(value: object) -> object:
    if isinstance(value, Decimal):
        # Integral values stay integers; the rest keep their exact decimal text.
        return int(value) if value == value.to_integral_value() else {"$decimal": str(value)}
    if isinstance(value, bytes | bytearray):
        return {"$bytes": value.hex()}
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    raise TypeError(f"cannot export {type(value).__name__}")


def _hook(obj: dict[str, Any]) -> object:
    if obj.keys() == {"$decimal"}:
        return Decimal(obj["$decimal"])
    if obj.keys() == {"$bytes"}:
        return bytes.fromhex(obj["$bytes"])
    return obj


def _write_lines(path: Path, kind: str, rows: Iterable[object]) -> int:
    tmp = path.with_suffix(".tmp")
    count = 0
    try:
        with tmp.open("w", encoding="utf-8") as out:
            out.write(json.dumps({"format": FORMAT, "version": VERSION, "kind": kind}) + "\n")
            for row in rows:
                out.write(json.dumps(row, default=_default, sort_keys=True) + "\n")
                count += 1
    except BaseException:
        tmp.unlink(missing_ok=True)  # a failed export (no table, no network) leaves nothing
        raise
    tmp.replace(path)  # a crash mid-export never leaves a half-written file in place
    return count


def _read_lines(path: Path, kind: str) -> Iterator[Any]:
    with path.open(encoding="utf-8") as src:
        header_line = src.readline()
        try:
            header = json.loads(header_line)
        except json.JSONDecodeError as exc:
            raise StateFormatError(f"{path}: first line is not a header") from exc
        if header.get("format") != FORMAT or header.get("kind") != kind:
            raise StateFormatError(f"{path}: not a {FORMAT} {kind} file")
        if header.get("version") != VERSION:
            raise StateFormatError(f"{path}: version {header.get('version')} is not {VERSION}")
        for number, line in enumerate(src, start=2):
            if not line.strip():
                continue
            try:
                yield json.loads(line, object_hook=_hook, parse_float=Decimal)
            except json.JSONDecodeError as exc:
                raise StateFormatError(f"{path}:{number}: invalid JSON ({exc.msg})") from exc


def export_items(repo: Backup, directory: Path) -> int:
    directory.mkdir(parents=True, exist_ok=True)
    return _write_lines(directory / ITEMS_FILE, "items", repo.export_items())


def import_items(repo: Backup, directory: Path) -> int:
    path = directory / ITEMS_FILE
    if not path.exists():
        return 0
    return repo.import_items(_read_lines(path, "items"))


def export_messages(directory: Path, messages: Iterable[tuple[str, str]]) -> dict[str, int]:
    """Write (queue logical id, body) pairs; returns the count per queue."""
    directory.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    rows = []
    for queue, body in messages:
        counts[queue] = counts.get(queue, 0) + 1
        rows.append({"queue": queue, "body": body})
    _write_lines(directory / MESSAGES_FILE, "messages", rows)
    return counts


def read_messages(directory: Path) -> list[tuple[str, str]]:
    path = directory / MESSAGES_FILE
    if not path.exists():
        return []
    return [(str(row["queue"]), str(row["body"])) for row in _read_lines(path, "messages")]
