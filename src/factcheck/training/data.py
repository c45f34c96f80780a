"""Labelled sentence data (JSONL with `text` and `label`) and its provenance."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Dataset:
    path: Path
    texts: list[str]
    labels: list[int]
    sha256: str

    @property
    def positives(self) -> int:
        return sum(self.labels)

    def provenance(self) -> dict[str, object]:
        return {
            "file": self.path.name,
            "sha256": self.sha256,
            "rows": len(self.texts),
            "positives": self.positives,
            "negatives": len(self.texts) - self.positives,
        }


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def load_jsonl(path: str | Path, limit: int | None = None) -> Dataset:
    """Read `{"text": str, "label": 0|1}` rows. `limit` keeps the first N rows (smoke runs)."""
    p = Path(path)
    texts: list[str] = []
    labels: list[int] = []
    with p.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            label = int(row["label"])
            if label not in (0, 1):
                raise ValueError(f"{p}:{lineno}: label must be 0 or 1, got {row['label']!r}")
            texts.append(str(row["text"]))
            labels.append(label)
            if limit is not None and len(texts) >= limit:
                break
    return Dataset(p, texts, labels, sha256_file(p))
