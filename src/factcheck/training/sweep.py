"""Compare training settings on dev: several `train --no-export` runs in parallel.

    python -m factcheck.training.sweep --workdir /tmp/sweep --jobs 6 \\
        --train TRAIN.jsonl --dev DEV.jsonl [--base DIR] [--device cuda]

Each named setting runs for each of its seeds; the summary gives, per setting, the dev F1
(at the F1-best dev threshold, so optimistic) and AP per seed, their mean, and the F1/AP of
the seed ensemble (mean probability). Used to choose the shipped configuration; it
writes nothing into the package.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from factcheck.training.data import load_jsonl
from factcheck.training.metrics import evaluate

SEEDS = (13, 14, 15)
# name -> (extra train arguments, seeds)
GRID: dict[str, tuple[list[str], tuple[int, ...]]] = {
    "e1": (["--epochs", "1"], SEEDS),
    "e2": (["--epochs", "2"], SEEDS),
    "e3": (["--epochs", "3"], SEEDS),
    "e1_len128": (["--epochs", "1", "--max-length", "128"], (13,)),
    "e2_len128": (["--epochs", "2", "--max-length", "128"], (13,)),
    "e1_balanced": (["--epochs", "1", "--pos-weight", "balanced"], (13,)),
    "e2_balanced": (["--epochs", "2", "--pos-weight", "balanced"], (13,)),
    "e2_lr3e-5": (["--epochs", "2", "--lr", "3e-5"], (13,)),
    "e3_lr2e-5": (["--epochs", "3", "--lr", "2e-5"], (13,)),
    "e1_lr1e-4": (["--epochs", "1", "--lr", "1e-4"], (13,)),
    "e1_bs16": (["--epochs", "1", "--batch-size", "16"], (13,)),
}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m factcheck.training.sweep")
    p.add_argument("--workdir", type=Path, required=True)
    p.add_argument("--train", type=Path, required=True)
    p.add_argument("--dev", type=Path, required=True)
    p.add_argument("--base", type=Path, default=None)
    p.add_argument("--device", default="auto")
    p.add_argument("--jobs", type=int, default=4)
    p.add_argument("--threads", type=int, default=2, help="torch CPU threads per run")
    p.add_argument("--only", nargs="*", default=None, help="setting names to run")
    p.add_argument("--summary", type=Path, default=None)
    args = p.parse_args(argv)

    runs = []
    for name, (extra, seeds) in GRID.items():
        if args.only and name not in args.only:
            continue
        for seed in seeds:
            runs.append((name, seed, extra))
    args.workdir.mkdir(parents=True, exist_ok=True)

    def one(run: tuple[str, int, list[str]]) -> tuple[str, int, int, float]:
        name, seed, extra = run
        probs = args.workdir / f"{name}_s{seed}.json"
        cmd = [
            sys.executable, "-m", "factcheck.training.train", "--out", str(args.workdir),
            "--no-export", "--train", str(args.train), "--dev", str(args.dev),
            "--device", args.device, "--seed", str(seed), "--threads", str(args.threads),
            "--probs-out", str(probs), *extra,
        ]  # fmt: skip
        if args.base:
            cmd += ["--base", str(args.base)]
        t0 = time.perf_counter()
        with (args.workdir / f"{name}_s{seed}.log").open("w") as log:
            rc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=log).returncode
        return name, seed, rc, time.perf_counter() - t0

    with ThreadPoolExecutor(args.jobs) as pool:
        for name, seed, rc, secs in pool.map(one, runs):
            print(f"{name} seed {seed}: rc {rc} in {secs:.0f}s", flush=True)

    labels = load_jsonl(args.dev).labels
    summary: dict[str, dict[str, object]] = {}
    for name, (_extra, seeds) in GRID.items():
        got = []
        for seed in seeds:
            f = args.workdir / f"{name}_s{seed}.json"
            if f.exists():
                got.append((seed, json.loads(f.read_text())))
        if not got:
            continue
        per_seed = {
            str(seed): {
                "f1": round(d["card"]["dev_torch_fp32"]["f1"], 4),
                "ap": round(d["card"]["dev_torch_fp32"]["average_precision"], 4),
                "secs": d["card"]["train_seconds"],
            }
            for seed, d in got
        }
        row: dict[str, object] = {"per_seed": per_seed}
        if len(got) > 1:
            n = len(got)
            row["mean_f1"] = round(sum(v["f1"] for v in per_seed.values()) / n, 4)
            row["mean_ap"] = round(sum(v["ap"] for v in per_seed.values()) / n, 4)
            mean_probs = [sum(vals) / n for vals in zip(*(d["probs"] for _, d in got), strict=True)]
            ens = evaluate(labels, mean_probs)
            row["ensemble"] = {"f1": round(ens.f1, 4), "ap": round(ens.average_precision, 4)}
        summary[name] = row
        print(name, json.dumps(row), flush=True)
    if args.summary:
        args.summary.write_text(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
