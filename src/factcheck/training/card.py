"""The model card: what was trained, on what, how, with which libraries, and how well.

`model_card.json` is the source of truth for docs/model.md's figures.
"""

from __future__ import annotations

import platform
from pathlib import Path
from typing import Any

from factcheck.training.config import (
    BASE_MODEL_LICENCE,
    BASE_MODEL_NAME,
    BASE_MODEL_PACKAGE,
    MODEL_FILE,
    TOKENIZER_FILE,
    TrainConfig,
    argv_summary,
)
from factcheck.training.data import Dataset, sha256_file
from factcheck.training.torch_model import ONNX_OPSET, hardware


def versions() -> dict[str, str]:
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
            "hardware": hardware(device),
            "seconds": round(train_seconds, 1),
            "command": "python -m factcheck.training.train " + " ".join(argv_summary(cfg)),
        },
        "library_versions": versions(),
    }
