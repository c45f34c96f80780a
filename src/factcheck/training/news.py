"""News rows for fine-tuning, split by page so that half of the pages stay unseen.

    python -m factcheck.training.news --pages ../shared/eval/news/pages \\
        --labels ../shared/eval/news/news_dev.jsonl --out /tmp/news_fit.jsonl

The labelled news pages are split exactly as `factcheck.training.calibrate` splits them
(sorted names with an HTML file; every other page is "fit", the rest "held out"), so a
model fine-tuned on the fit rows is judged on pages neither it nor its calibration saw.
Furniture rows (datelines, bylines, navigation) are dropped by default: the structure
and the gates keep them out of the claims, and the calibration is fitted on the
sentences the gates let through; `--furniture negative` keeps them as label 0.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

Furniture = Literal["drop", "negative"]


def split_pages(names: Iterable[str]) -> tuple[list[str], list[str]]:
    """(fit, held out): every other page by sorted name, the first one fit."""
    ordered = sorted(set(names))
    return ordered[0::2], ordered[1::2]


def read_rows(path: Path) -> list[dict[str, Any]]:
    """The labelled news rows (`{page, text, label, furniture}` per line)."""
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            if int(row["label"]) not in (0, 1) or not isinstance(row.get("page"), str):
                raise ValueError(f"{path}:{lineno}: needs a page name and label 0 or 1")
            rows.append(row)
    return rows


def pages_with_html(rows: Sequence[dict[str, Any]], pages_dir: Path) -> list[str]:
    """Labelled page names that have `<name>.html` in `pages_dir` (the ones evaluated)."""
    return sorted({r["page"] for r in rows if (pages_dir / f"{r['page']}.html").is_file()})


def train_rows(
    rows: Sequence[dict[str, Any]], pages: Iterable[str], furniture: Furniture = "drop"
) -> list[dict[str, Any]]:
    """`{text, label, page}` rows of `pages` only, furniture dropped or made label 0;
    repeated texts of one page are kept once."""
    keep = set(pages)
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for row in rows:
        if row["page"] not in keep:
            continue
        is_furniture = bool(row.get("furniture", False))
        if is_furniture and furniture == "drop":
            continue
        text = str(row["text"]).strip()
        key = (row["page"], text)
        if not text or key in seen:
            continue
        seen.add(key)
        label = 0 if is_furniture else int(row["label"])
        out.append({"text": text, "label": label, "page": row["page"]})
    return out


def write_jsonl(rows: Iterable[dict[str, Any]], out: Path) -> int:
    out.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with out.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    return n


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m factcheck.training.news", description=__doc__)
    p.add_argument("--pages", type=Path, required=True, help="folder of the labelled HTML pages")
    p.add_argument("--labels", type=Path, required=True, help="news_dev.jsonl")
    p.add_argument("--out", type=Path, required=True, help="train JSONL to write")
    p.add_argument("--furniture", choices=("drop", "negative"), default="drop")
    p.add_argument(
        "--split", choices=("fit", "held_out"), default="fit", help="which half to write"
    )
    args = p.parse_args(argv)
    rows = read_rows(args.labels)
    fit, held = split_pages(pages_with_html(rows, args.pages))
    chosen = fit if args.split == "fit" else held
    got = train_rows(rows, chosen, args.furniture)
    n = write_jsonl(got, args.out)
    positives = sum(r["label"] for r in got)
    print(f"{n} rows ({positives} positive) from {len(chosen)} {args.split} pages -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
