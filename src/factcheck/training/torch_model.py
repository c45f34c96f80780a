"""The torch side of training: the classifier, batched inference, ONNX export, int8.

torch is imported inside each function, so importing this module stays cheap.
"""

from __future__ import annotations

import platform
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ONNX_OPSET = 17


def hardware(device: str) -> str:
    import torch

    if device == "cuda":
        return f"{torch.cuda.get_device_name(0)}, torch {torch.__version__}"
    return (
        f"{platform.machine()} CPU ({torch.get_num_threads()} threads), torch {torch.__version__}"
    )


def sigmoid(x: Any) -> Any:
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


def batcher(device: str) -> Callable[[Sequence[list[int]]], tuple[Any, Any]]:
    """Pads a batch of token ids to its longest row: (input_ids, attention_mask) on `device`."""
    import torch

    def batch_tensors(ids: Sequence[list[int]]) -> tuple[Any, Any]:
        width = max(len(x) for x in ids)
        inp = torch.zeros((len(ids), width), dtype=torch.long)
        mask = torch.zeros((len(ids), width), dtype=torch.long)
        for i, x in enumerate(ids):
            inp[i, : len(x)] = torch.tensor(x, dtype=torch.long)
            mask[i, : len(x)] = 1
        return inp.to(device), mask.to(device)

    return batch_tensors
