"""Remove installed distributions from a Lambda artefact (a `pip install --target` folder).

    python infra/prune_artifact.py ARTIFACTS_DIR DIST [DIST...]

pip cannot uninstall from a --target folder, so each distribution's files are removed as
its RECORD lists them, then its .dist-info, then the folders left empty. Used by the
Makefile's build rule for what Lambda already provides (boto3 and botocore are in the
python3.12 runtime) and for what a handler never imports (the Hugging Face Hub client that
tokenizers requires only for downloads: the scorer reads tokenizer.json from the artefact).
A name that is not installed is an error: a stale list must not pass silently.
Standard library only: it runs under whatever Python runs `make`.
"""

from __future__ import annotations

import csv
import re
import shutil
import sys
from pathlib import Path


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def dist_info(site: Path, dist: str) -> Path:
    for info in site.glob("*.dist-info"):
        if _normalise(info.name.split("-")[0]) == _normalise(dist):
            return info
    raise SystemExit(f"prune_artifact: {dist} is not installed in {site}")


def remove(site: Path, dist: str) -> int:
    """Delete one distribution's files; returns the bytes freed."""
    info = dist_info(site, dist)
    freed = 0
    folders: set[Path] = set()
    with (info / "RECORD").open(newline="", encoding="utf-8") as record:
        for row in csv.reader(record):
            path = (site / row[0]).resolve()
            if site.resolve() not in path.parents:
                continue  # a script installed outside the target (bin/ is removed anyway)
            if path.is_file():
                freed += path.stat().st_size
                path.unlink()
                folders.add(path.parent)
    shutil.rmtree(info, ignore_errors=True)
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        while folder != site.resolve() and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
        if (folder / "__pycache__").is_dir() and not any(
            p.suffix == ".py" for p in folder.iterdir()
        ):
            shutil.rmtree(folder / "__pycache__")
    return freed


def main(argv: list[str]) -> int:
    site, *dists = argv
    for dist in dists:
        freed = remove(Path(site), dist)
        print(f"pruned {dist}: {freed / 2**20:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
