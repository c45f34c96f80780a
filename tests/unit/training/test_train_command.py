"""`factcheck train` and `python -m factcheck.training.train` parse without torch installed."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from factcheck.cli import train_cmd
from factcheck.training.data import load_jsonl
from factcheck.training.train import build_parser, config_from_args

pytestmark = pytest.mark.unit


def test_the_defaults_are_the_shipped_recipe() -> None:
    cfg = config_from_args(build_parser().parse_args(["--out", "x"]))
    assert (cfg.epochs, cfg.batch_size, cfg.lr, cfg.max_length, cfg.seed) == (2, 32, 5e-5, 64, 13)
    assert cfg.per_channel and cfg.export


def test_balanced_class_weighting_is_spelled_balanced() -> None:
    args = build_parser().parse_args(["--out", "x", "--pos-weight", "balanced"])
    assert config_from_args(args).pos_weight == -1.0


def test_the_cli_registers_a_train_command_with_a_handler() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    train_cmd.register(sub)
    args = parser.parse_args(["train", "--out", "o", "--epochs", "1", "--device", "cpu"])
    assert args.func is train_cmd.run
    assert args.epochs == 1 and args.device == "cpu"


def test_importing_the_training_module_does_not_import_torch() -> None:
    code = (
        "import sys, factcheck.cli.train_cmd, factcheck.training.train;"
        "print('torch' in sys.modules or 'transformers' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_jsonl_data_is_read_with_its_provenance(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    rows = [{"text": "a", "label": 1}, {"text": "b", "label": 0}, {"text": "c", "label": 0}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    data = load_jsonl(path)
    assert data.texts == ["a", "b", "c"] and data.labels == [1, 0, 0]
    assert data.provenance()["rows"] == 3 and data.provenance()["positives"] == 1
    assert load_jsonl(path, limit=2).texts == ["a", "b"]


def test_a_label_other_than_zero_or_one_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text('{"text": "a", "label": 2}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="label"):
        load_jsonl(path)
