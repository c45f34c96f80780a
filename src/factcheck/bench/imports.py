"""Cold-start proxy: each Lambda handler module imported in a fresh interpreter.

For every function of template.yaml a new `python` process imports the handler file the
way Lambda's bootstrap does (by path, with a Lambda-like environment and no AWS call) and
reports the import time; for the extract function the model load (the default scorer)
is included, since the first invocation pays it. Median of N runs; one extra run with
`-X importtime` names the heaviest imports (what limits it).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from factcheck.bench.common import LAMBDA_LIKE_ENV, clean_env, progress, run_json
from factcheck.template import REPO_ROOT, load_template

# Targets of the issue (seconds): extract includes the model load.
TARGETS = {"ExtractFunction": 1.0}
DEFAULT_TARGET = 0.8
MODEL_FUNCTIONS = {"ExtractFunction"}

_PROBE = """
import importlib.util, json, sys, time
t0 = time.perf_counter()
spec = importlib.util.spec_from_file_location("handler_module", sys.argv[1])
module = importlib.util.module_from_spec(spec)
sys.modules["handler_module"] = module
spec.loader.exec_module(module)
t1 = time.perf_counter()
if sys.argv[2] == "model":
    from factcheck.extraction.scorer import default_scorer
    default_scorer()
t2 = time.perf_counter()
assert callable(getattr(module, sys.argv[3]))
print(json.dumps({"import_s": t1 - t0, "model_s": t2 - t1, "total_s": t2 - t0,
                  "modules": len(sys.modules)}))
"""


def handlers(template_path: Path | None = None) -> dict[str, str]:
    """Function logical id -> Handler (`functions/x/app.lambda_handler`)."""
    template = load_template(template_path)
    out: dict[str, str] = {}
    for name, resource in template["Resources"].items():
        if resource.get("Type") == "AWS::Serverless::Function":
            out[name] = str(resource["Properties"]["Handler"])
    return out


def _probe(path: Path, attr: str, with_model: bool) -> dict[str, Any]:
    env = clean_env(**LAMBDA_LIKE_ENV)
    started = time.perf_counter()
    args = [sys.executable, "-c", _PROBE, str(path), "model" if with_model else "-", attr]
    result = run_json(args, env=env, timeout=120)
    result["process_s"] = time.perf_counter() - started  # interpreter start-up included
    return result


def _heaviest_imports(path: Path, top: int = 6) -> list[dict[str, Any]]:
    """Top-level packages by cumulative import time (`python -X importtime`, which itself
    slows imports down: compare the entries with each other, not with the median)."""
    code = (
        "import importlib.util,sys;"
        f"s=importlib.util.spec_from_file_location('m',{str(path)!r});"
        "m=importlib.util.module_from_spec(s);s.loader.exec_module(m)"
    )
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        cwd=REPO_ROOT,
        env=clean_env(**LAMBDA_LIKE_ENV),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    cumulative: dict[str, int] = {}
    for line in proc.stderr.splitlines():
        parts = line.split("|")
        if not line.startswith("import time:") or len(parts) != 3:
            continue
        cum, name = parts[1].strip(), parts[2][1:]  # the name's indent is its depth
        if not cum.isdigit() or name.startswith(" "):
            continue  # the header, or a nested import (counted in its parent)
        root = name.split(".")[0]
        cumulative[root] = cumulative.get(root, 0) + int(cum)
    ranked = sorted(cumulative.items(), key=lambda kv: kv[1], reverse=True)[:top]
    return [{"package": name, "ms": round(us / 1000, 1)} for name, us in ranked]


def run(repeats: int = 5) -> dict[str, Any]:
    report: dict[str, Any] = {"repeats": repeats, "functions": {}}
    for function, handler in handlers().items():
        module_path, _, attr = handler.rpartition(".")
        path = REPO_ROOT / f"{module_path}.py"
        target = TARGETS.get(function, DEFAULT_TARGET)
        if not path.is_file():
            progress(f"imports: {function}: {path.relative_to(REPO_ROOT)} is missing")
            report["functions"][function] = {"handler": handler, "missing": True}
            continue
        with_model = function in MODEL_FUNCTIONS
        runs = [_probe(path, attr, with_model) for _ in range(repeats)]
        median = {k: statistics.median(r[k] for r in runs) for k in runs[0] if k != "modules"}
        report["functions"][function] = {
            "handler": handler,
            "model_included": with_model,
            "median_s": {k: round(v, 3) for k, v in median.items()},
            "runs_total_s": [round(r["total_s"], 3) for r in runs],
            "modules_loaded": runs[0]["modules"],
            "target_s": target,
            "meets_target": median["total_s"] < target,
            "heaviest_imports": _heaviest_imports(path),
        }
        progress(
            f"imports: {function}: {median['total_s'] * 1000:.0f} ms "
            f"(process incl. interpreter {median['process_s'] * 1000:.0f} ms)"
        )
    return report
