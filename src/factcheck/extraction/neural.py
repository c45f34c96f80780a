"""The learned check-worthiness scorer: a fine-tuned MiniLM exported to ONNX int8.

Run time needs onnxruntime, tokenizers and numpy only (no torch, transformers or
scikit-learn), so it fits a Lambda function. The artifacts live in `MODEL_DIR`:
`model.int8.onnx`, `tokenizer.json` and `model_card.json` (threshold, max length,
provenance and metrics); `factcheck train` writes them (see docs/model.md).

`NeuralScorer.load()` is cached per process, so a warm Lambda container pays the load
once. Scoring uses one intra-op thread unless `FACTCHECK_MODEL_THREADS` says otherwise.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

MODEL_DIR: Path = Path(__file__).parent / "model"
MODEL_FILE = "model.int8.onnx"
TOKENIZER_FILE = "tokenizer.json"
CARD_FILE = "model_card.json"
THREADS_ENV = "FACTCHECK_MODEL_THREADS"
DEFAULT_BATCH_SIZE = 32
BLANK_LOGIT = -40.0  # sigmoid(-40) ~ 4e-18: blank text is never check-worthy


def model_available(model_dir: Path = MODEL_DIR) -> bool:
    """True when the model, its tokenizer and its card are all present in `model_dir`."""
    d = Path(model_dir)
    return all((d / name).is_file() for name in (MODEL_FILE, TOKENIZER_FILE, CARD_FILE))


def read_card(model_dir: Path = MODEL_DIR) -> dict[str, Any]:
    card: dict[str, Any] = json.loads((Path(model_dir) / CARD_FILE).read_text(encoding="utf-8"))
    return card


def _threads_from_env() -> int:
    raw = os.environ.get(THREADS_ENV, "").strip()
    try:
        return max(1, int(raw)) if raw else 1
    except ValueError:
        return 1


class NeuralScorer:
    """P(check-worthy) for sentences, with the threshold chosen on the dev set.

    Texts are tokenised with the trained tokenizer (truncated to the trained max length),
    sorted by length and run in padded batches of `batch_size`. The result is deterministic
    for a given list of texts. int8 dynamic quantisation scales activations per batch, so a
    sentence's score can move slightly (about 1e-3 on average) with the other sentences in
    its batch; `batch_size=1` removes that at roughly two thirds of the speed. Blank
    strings get `BLANK_LOGIT` without running the model.
    """

    def __init__(
        self,
        model_path: Path,
        tokenizer_path: Path,
        *,
        max_length: int,
        threshold: float = 0.5,
        threads: int | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> None:
        self.threshold = float(threshold)
        self.max_length = int(max_length)
        self.batch_size = max(1, int(batch_size))
        self.threads = threads or _threads_from_env()
        tok = Tokenizer.from_file(str(tokenizer_path))
        tok.no_padding()
        tok.enable_truncation(max_length=self.max_length)
        self._tokenizer = tok
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = self.threads
        opts.inter_op_num_threads = 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.log_severity_level = 3
        self._session = ort.InferenceSession(
            str(model_path), sess_options=opts, providers=["CPUExecutionProvider"]
        )
        self._input_names = {i.name for i in self._session.get_inputs()}

    @classmethod
    def load(cls, model_dir: Path = MODEL_DIR) -> NeuralScorer:
        """The scorer for `model_dir`, loaded once per process (and per thread setting)."""
        return _load_cached(str(Path(model_dir).resolve()), _threads_from_env())

    def predict_proba(self, texts: Sequence[str]) -> list[float]:
        """P(check-worthy) for each text, in input order (sigmoid of `predict_logits`)."""
        z = np.asarray(self.predict_logits(texts), dtype=np.float64)
        probs = (1.0 / (1.0 + np.exp(-z))).tolist()
        return [float(p) if t and t.strip() else 0.0 for p, t in zip(probs, texts, strict=True)]

    def predict_logits(self, texts: Sequence[str]) -> list[float]:
        """The model's logit for each text, in input order; blank text gets `BLANK_LOGIT`."""
        out = [BLANK_LOGIT] * len(texts)
        todo = [i for i, t in enumerate(texts) if t and t.strip()]
        if not todo:
            return out
        encodings = self._tokenizer.encode_batch([texts[i] for i in todo])
        ids = [e.ids for e in encodings]
        order = sorted(range(len(todo)), key=lambda k: len(ids[k]))
        for start in range(0, len(order), self.batch_size):
            chunk = order[start : start + self.batch_size]
            logits = self._run([ids[k] for k in chunk])
            for k, z in zip(chunk, logits.astype(np.float64).tolist(), strict=True):
                out[todo[k]] = float(z)
        return out

    def _run(self, batch: list[list[int]]) -> np.ndarray:
        width = max(len(x) for x in batch)
        input_ids = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, x in enumerate(batch):
            input_ids[row, : len(x)] = x
            mask[row, : len(x)] = 1
        feeds = {"input_ids": input_ids, "attention_mask": mask}
        result = self._session.run(
            ["logits"], {k: v for k, v in feeds.items() if k in self._input_names}
        )
        return np.asarray(result[0], dtype=np.float32).reshape(len(batch))


@functools.lru_cache(maxsize=4)
def _load_cached(model_dir: str, threads: int) -> NeuralScorer:
    d = Path(model_dir)
    card = read_card(d)
    return NeuralScorer(
        d / MODEL_FILE,
        d / TOKENIZER_FILE,
        max_length=int(card["max_length"]),
        threshold=float(card["threshold"]),
        threads=threads,
    )
