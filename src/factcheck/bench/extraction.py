"""Extraction on ONE core: throughput, per-article latency, cold load, peak RSS, artifact.

The measuring runs in a fresh subprocess (`python -m factcheck.bench.extraction`) pinned to
one CPU with every thread pool at one thread, so the figures are one core's and the cold
import + model load is a real cold one.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

from factcheck.bench.common import ONE_THREAD_ENV, Deadline, clean_env, latency_summary, run_json

ARTICLE_WORDS = 1000
DOC_SENTENCES = 25


def _pin_to_one_cpu() -> int | None:
    if not hasattr(os, "sched_setaffinity"):
        return None
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return cpu


def _artifact() -> dict[str, Any]:
    from factcheck.extraction import neural

    if neural.model_available():
        files = [p for p in Path(neural.MODEL_DIR).iterdir() if p.is_file()]
        return {
            "kind": "neural",
            "path": str(neural.MODEL_DIR),
            "bytes": sum(p.stat().st_size for p in files),
        }
    linear = Path(neural.__file__).with_name("linear_model.json")
    return {"kind": "linear", "path": str(linear), "bytes": linear.stat().st_size}


def _scorer_throughput(budget: float) -> dict[str, float]:
    """The scorer alone (rule features + model) over the dev sentences, repeated."""
    from factcheck.bench.corpus import DEV_FILE, sentences
    from factcheck.extraction.scorer import default_scorer

    scorer = default_scorer()
    texts = list(sentences(DEV_FILE))
    done, started, cpu = 0, time.perf_counter(), time.process_time()
    while True:
        scorer.score(texts)
        done += len(texts)
        if time.perf_counter() - started >= budget:
            break
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu
    return {
        "sentences": done,
        "seconds": round(seconds, 3),
        "per_s": round(done / seconds, 1),
        # the process's CPU time: the one-core cost even when other work shares the core
        "per_cpu_s": round(done / cpu_seconds, 1) if cpu_seconds else 0.0,
    }


def _document_throughput(budget: float) -> dict[str, float]:
    """`extract` end to end (clean, split, score, keep) over generated documents."""
    from factcheck.bench.corpus import DEV_FILE, articles
    from factcheck.extraction.extractor import extract
    from factcheck.extraction.sentences import split_sentences

    docs = articles(40, sentences_per_article=DOC_SENTENCES, name=DEV_FILE)
    counts = [len(split_sentences(doc.text)) for doc in docs]  # counted outside the timing
    n_docs = n_sentences = n_claims = 0
    started = time.perf_counter()
    while time.perf_counter() - started < budget:
        for doc, count in zip(docs, counts, strict=True):
            n_claims += len(extract(doc.text))
            n_sentences += count
            n_docs += 1
            if time.perf_counter() - started >= budget:
                break
    seconds = time.perf_counter() - started
    return {
        "documents": n_docs,
        "sentences": n_sentences,
        "claims": n_claims,
        "seconds": round(seconds, 3),
        "documents_per_s": round(n_docs / seconds, 2),
        "sentences_per_s": round(n_sentences / seconds, 1),
    }


def _article_latency(budget: float, max_runs: int = 200) -> dict[str, float]:
    from factcheck.bench.corpus import article_of_words
    from factcheck.extraction.extractor import extract
    from factcheck.extraction.sentences import split_sentences

    article = article_of_words(ARTICLE_WORDS)
    for _ in range(3):  # warm: caches, branch predictors, the first inference
        extract(article.text)
    times: list[float] = []
    cpu: list[float] = []
    deadline = Deadline(budget)
    while len(times) < max_runs and not deadline.passed:
        t0, c0 = time.perf_counter(), time.process_time()
        extract(article.text)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return {
        "words": article.words,
        "sentences": len(split_sentences(article.text)),
        **latency_summary(times),
        "cpu_p50_ms": latency_summary(cpu)["p50_ms"],  # one core's cost, contention aside
    }


def worker(budget: float) -> dict[str, Any]:
    """Everything measured in this (fresh, pinned) process; returns the report."""
    cpu = _pin_to_one_cpu()
    t0 = time.perf_counter()
    from factcheck.extraction.extractor import extract
    from factcheck.extraction.scorer import default_scorer

    t1 = time.perf_counter()
    scorer = default_scorer()
    t2 = time.perf_counter()
    extract("Exports grew 40% in 2023, three times as fast as imports.")
    t3 = time.perf_counter()
    third = budget / 3
    report: dict[str, Any] = {
        "scorer": scorer.name,
        "threshold": scorer.threshold,
        "pinned_cpu": cpu,
        "threads": {k: os.environ.get(k) for k in ONE_THREAD_ENV},
        "cold": {
            "import_s": round(t1 - t0, 3),
            "model_load_s": round(t2 - t1, 3),
            "first_extract_s": round(t3 - t2, 3),
            "import_and_load_s": round(t2 - t0, 3),
        },
        "scorer_only": _scorer_throughput(third),
        "extract": _document_throughput(third),
        "article_1000_words": _article_latency(third),
        "artifact": _artifact(),
    }
    usage = resource.getrusage(resource.RUSAGE_SELF)
    report["peak_rss_mb"] = round(usage.ru_maxrss / 1024, 1)  # Linux: KiB
    return report


def run(budget: float = 60.0) -> dict[str, Any]:
    """Measure in a pinned, one-thread subprocess; returns its report."""
    env = clean_env(**ONE_THREAD_ENV)
    return run_json(
        [sys.executable, "-m", "factcheck.bench.extraction", "--seconds", str(budget)],
        env=env,
        timeout=budget + 120,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=60.0, help="time budget to spend")
    args = parser.parse_args()
    print(json.dumps(worker(args.seconds)))


if __name__ == "__main__":
    main()
