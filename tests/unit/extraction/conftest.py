"""Fixtures for the extraction tests: the seed article, the eval data, a CLI runner."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from factcheck.cli import main
from factcheck.extraction.scorer import Scorer, linear_scorer

REPO = Path(__file__).resolve().parents[3]
EVAL_DIR = REPO / ".." / "shared" / "eval"
SEED = REPO / "seeds" / "000_3d8f25a0667e7c1c.txt"

CliRun = Callable[..., tuple[int, str, str]]


@pytest.fixture(scope="session")
def seed_path() -> Path:
    if not SEED.is_file():
        pytest.skip(f"seed article absent: {SEED}")
    return SEED


@pytest.fixture(scope="session")
def seed_source(seed_path: Path) -> str:
    return seed_path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def eval_dir() -> Path:
    if not (EVAL_DIR / "checkworthy_dev.jsonl").is_file():
        pytest.skip(f"labelled eval data absent: {EVAL_DIR.resolve()}")
    return EVAL_DIR


@pytest.fixture(scope="session")
def linear() -> Scorer:
    """The shipped linear scorer, so results do not depend on whether the neural model is in."""
    return linear_scorer()


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> CliRun:
    """Run `factcheck ARGS...` in-process; returns (exit status, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        try:
            status = main(list(args))
        except SystemExit as exc:  # argparse usage errors
            status = int(exc.code or 0)
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return run
