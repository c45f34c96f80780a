"""Labelled sentence data (JSONL with `text` and `label`), per-row loss weights, provenance."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Dataset:
    path: Path
    texts: list[str]
    labels: list[int]
    sha256: str
    weights: list[float] | None = None  # per-row loss weight; None: all 1
    parts: list[dict[str, object]] = field(default_factory=list)  # files merged in

    @property
    def positives(self) -> int:
        return sum(self.labels)

    def row_weights(self) -> list[float]:
        return list(self.weights) if self.weights is not None else [1.0] * len(self.texts)

    def provenance(self) -> dict[str, object]:
        out: dict[str, object] = {
            "file": self.path.name,
            "sha256": self.sha256,
            "rows": len(self.texts),
            "positives": self.positives,
            "negatives": len(self.texts) - self.positives,
        }
        if self.parts:
            out["parts"] = self.parts
        return out


def combine(base: Dataset, extra: Dataset, extra_weight: float) -> Dataset:
    """`base` then `extra`, each extra row weighing `extra_weight` in the loss (the base
    rows keep theirs); the provenance lists both files and the weight."""
    if extra_weight <= 0:
        raise ValueError(f"extra_weight must be > 0, got {extra_weight}")
    weights = base.row_weights() + [extra_weight * w for w in extra.row_weights()]
    parts = [
        {**base.provenance(), "weight": 1.0},
        {**extra.provenance(), "weight": extra_weight},
    ]
    return Dataset(
        base.path,
        base.texts + extra.texts,
        base.labels + extra.labels,
        base.sha256,
        weights,
        parts,
    )


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
