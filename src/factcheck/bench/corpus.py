"""Deterministic articles built from the public train sentences (`../shared/eval/`).

Every article is a different, seeded sample of sentences (sampled without replacement, so
no two articles share a text and each one gets its own document id), grouped into short
paragraphs with a title line, which is how a submitted article looks.
"""

from __future__ import annotations

import json
import os
import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from factcheck.template import REPO_ROOT

EVAL_ENV = "FACTCHECK_BENCH_EVAL_DIR"
TRAIN_FILE = "checkworthy_train.jsonl"
DEV_FILE = "checkworthy_dev.jsonl"
SEED = 20240611


@dataclass(frozen=True)
class Article:
    title: str
    text: str

    @property
    def words(self) -> int:
        return len(self.text.split())


def eval_dir() -> Path:
    return Path(os.environ.get(EVAL_ENV) or REPO_ROOT.parent / "shared" / "eval")


@cache
def sentences(name: str = TRAIN_FILE) -> tuple[str, ...]:
    """The labelled sentences of one eval file, in file order, blank ones dropped."""
    path = eval_dir() / name
    out: list[str] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                text = str(json.loads(line)["text"]).strip()
                if text:
                    out.append(text)
    return tuple(out)


def _paragraphs(parts: list[str], rng: random.Random) -> str:
    paragraphs: list[str] = []
    i = 0
    while i < len(parts):
        n = rng.randint(2, 5)
        paragraphs.append(" ".join(parts[i : i + n]))
        i += n
    return "\n\n".join(paragraphs)


def articles(
    count: int, *, sentences_per_article: int = 25, seed: int = SEED, name: str = TRAIN_FILE
) -> list[Article]:
    """`count` distinct articles of `sentences_per_article` sentences each."""
    pool = list(sentences(name))
    rng = random.Random(seed)
    rng.shuffle(pool)
    need = count * sentences_per_article
    if need > len(pool):
        raise ValueError(f"{need} sentences needed, {name} has {len(pool)}")
    out = []
    for k in range(count):
        parts = pool[k * sentences_per_article : (k + 1) * sentences_per_article]
        title = f"Bench article {k + 1}: {' '.join(parts[0].split()[:8])}"
        out.append(Article(title=title, text=f"{title}\n\n{_paragraphs(parts, rng)}\n"))
    return out


def article_of_words(words: int = 1000, *, seed: int = SEED, name: str = TRAIN_FILE) -> Article:
    """One article of at least `words` words (the per-document latency benchmark)."""
    pool = list(sentences(name))
    rng = random.Random(seed + words)
    rng.shuffle(pool)
    parts: list[str] = []
    total = 0
    for sentence in pool:
        if total >= words:
            break
        parts.append(sentence)
        total += len(sentence.split())
    title = f"A {words}-word article"
    return Article(title=title, text=f"{title}\n\n{_paragraphs(parts, rng)}\n")
