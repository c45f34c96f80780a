"""`factcheck train`: fine-tune the check-worthiness model and export it (needs the `train` extra).

Arguments are those of `python -m factcheck.training.train`; torch and transformers are
imported only when the command runs, so `factcheck --help` stays fast.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

# The package's model folder, named without importing onnxruntime (keeps --help fast).
MODEL_DIR = Path(__file__).resolve().parents[1] / "extraction" / "model"


def register(subparsers: Any) -> None:
    from factcheck.training.train import build_parser

    parser = subparsers.add_parser(
        "train",
        help="fine-tune the check-worthiness model and export it to ONNX int8",
        description=(
            "Fine-tune all-MiniLM-L6-v2 on the train JSONL, choose the threshold on the dev "
            f"JSONL and write model.int8.onnx, tokenizer.json and model_card.json "
            f"(the package's model folder is {MODEL_DIR})."
        ),
    )
    build_parser(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError as exc:
        from factcheck.cli import CliError

        raise CliError(
            f"training needs the train extra ({exc.name} is missing): pip install -e '.[train]'"
        ) from exc
    from factcheck.training.train import config_from_args
    from factcheck.training.train import run as train

    train(config_from_args(args))
    return 0
