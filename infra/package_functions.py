"""Measure each Lambda function's deployment package, unzipped (the 250 MB limit).

    python infra/package_functions.py [--json] [--host-platform] [--keep DIR] [--built DIR]

What `sam build` does with the template's `BuildMethod: makefile` is what runs here: the
Makefile's `build-<Function>` rule, once per function, into a temporary folder: the project
wheel with only the extra its handler needs (`api`, `extract`, or none) installed with
`pip install --target` for the Lambda platform of template.yaml (runtime python3.12, x86_64
-> manylinux wheels, binary only; `--host-platform` installs for this machine instead),
less what the runtime provides or the handler never imports, `functions/` beside it, and
bytecode compiled by python3.12. Only the package registries pip is configured for are used.

Reported per function:
- `as_built`: the artefact's size unzipped (Lambda's limit is 250 MB for the function AND
  its layers together, so a layer shares bytes but does not raise the limit);
- `without_runtime_boto3`: the same less boto3/botocore, which the Lambda runtime provides;
- `zipped`: the artefact deflated, as it is uploaded;
- `missing`: distributions the handler imports (in a fresh interpreter of this machine) that
  the artefact lacks: a cold start would fail, so this must be empty;
- `cold_import_s`: the handler module imported by python3.12 from the artefact alone (plus
  Lambda's boto3, .deploy-runtime) in a fresh process, as Lambda's init does, bytecode
  compiled; median of 3 (`model_load_s`: the extract function's first scorer load).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
LIMIT_MB = 250.0
RUNTIME_PROVIDED = {"boto3", "botocore", "s3transfer", "jmespath"}
# imported by botocore only when installed (botocore.httpsession falls back to its own CA
# bundle): not a distribution the handler needs
OPTIONAL_FOR_RUNTIME = {"certifi"}
RUNNER = REPO_ROOT / "infra" / "lambda_runner.py"
LAMBDA_RUNTIME_DIR = REPO_ROOT / ".deploy-runtime"  # infra/deploy_tools.sh
IMPORT_REPEATS = 3
# set up by the virtual environment's site hooks (setuptools' _distutils_hack), not imported
# by the handler
ENVIRONMENT_ONLY = {"setuptools", "pip"}

_IMPORTED_DISTS = r"""
import importlib.metadata as md, importlib.util, json, sys
spec = importlib.util.spec_from_file_location("handler_module", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
if sys.argv[2] == "model":
    from factcheck.extraction.scorer import default_scorer
    default_scorer()
owners = md.packages_distributions()
found = set()
for name in list(sys.modules):
    for dist in owners.get(name.split(".")[0], []):
        found.add(dist)
print(json.dumps(sorted(found)))
"""


def _mb(n: int) -> float:
    return round(n / 2**20, 1)


def _norm(name: str) -> str:
    return name.lower().replace("-", "_").replace(".", "_")


def tree_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def functions_of(template_path: Path) -> tuple[dict[str, dict[str, Any]], str, str]:
    """Function logical id -> its properties; and the runtime and architecture."""
    sys.path.insert(0, str(REPO_ROOT / "src"))
    from factcheck.template import load_template

    template = load_template(template_path)
    glob = template.get("Globals", {}).get("Function", {})
    runtime = str(glob.get("Runtime", "python3.12"))
    arch = str((glob.get("Architectures") or ["x86_64"])[0])
    funcs = {
        name: dict(res.get("Properties", {}))
        for name, res in template["Resources"].items()
        if res.get("Type") == "AWS::Serverless::Function"
    }
    return funcs, runtime, arch


def build_function(name: str, out: Path, host_platform: bool) -> Path:
    """Run the Makefile's `build-<name>` rule (what `sam build` runs) into `out`: for the
    template's runtime and platform unless `host_platform`."""
    cmd = ["make", "--no-print-directory", "-s", f"build-{name}", f"ARTIFACTS_DIR={out}"]
    if host_platform:
        cmd += [f"BUILD_PYTHON={sys.executable}", "BUILD_PIP_ARGS="]
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"make build-{name} failed:\n{proc.stderr[-3000:]}")
    return out


def runtime_python(runtime: str) -> str | None:
    version = runtime.removeprefix("python")
    finder = REPO_ROOT / "infra" / "find_python.sh"
    proc = subprocess.run(["bash", str(finder), version], capture_output=True, text=True)
    return proc.stdout.strip() if proc.returncode == 0 else None


def cold_import(python: str, site: Path, handler: str, with_model: bool) -> dict[str, Any]:
    """Median cold import of the handler from the artefact alone (fresh process each)."""
    env = {
        "PATH": "/usr/bin:/bin",
        "AWS_REGION": "eu-west-1",
        "AWS_DEFAULT_REGION": "eu-west-1",
        "FACTCHECK_TARGET": "aws",
        "LAMBDA_TASK_ROOT": str(site),
    }
    imports: list[float] = []
    models: list[float] = []
    for _ in range(IMPORT_REPEATS):
        proc = subprocess.Popen(
            [python, "-I", "-S", str(RUNNER), str(site), handler, str(LAMBDA_RUNTIME_DIR)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            text=True,
        )
        assert proc.stdin and proc.stdout
        ready = json.loads(proc.stdout.readline() or '{"init_error": "no answer"}')
        if "init_error" in ready:
            proc.kill()
            return {"init_error": ready["init_error"]}
        imports.append(ready["import_s"])
        if with_model:
            started = time.perf_counter()
            proc.stdin.write(json.dumps({"call": "factcheck.extraction.scorer:default_scorer"}))
            proc.stdin.write("\n")
            proc.stdin.flush()
            answer = json.loads(proc.stdout.readline())
            if "error" in answer:
                proc.kill()
                return {"init_error": answer["error"]}
            models.append(time.perf_counter() - started)
        proc.stdin.close()
        proc.wait(timeout=60)
    out: dict[str, Any] = {"cold_import_s": round(statistics.median(imports), 3)}
    if models:
        out["model_load_s"] = round(statistics.median(models), 3)
    return out


def dist_sizes(site: Path) -> dict[str, int]:
    """Bytes per installed distribution (from each RECORD), normalised name -> bytes."""
    sizes: dict[str, int] = {}
    claimed: set[Path] = set()
    for info in site.glob("*.dist-info"):
        name = _norm(info.name.split("-")[0])
        total = 0
        record = info / "RECORD"
        lines = record.read_text(encoding="utf-8").splitlines() if record.exists() else []
        for line in lines:
            rel = line.split(",")[0]
            path = (site / rel).resolve()
            if path.is_file() and path not in claimed:
                claimed.add(path)
                total += path.stat().st_size
        sizes[name] = total
    unclaimed = sum(
        p.stat().st_size for p in site.rglob("*") if p.is_file() and p.resolve() not in claimed
    )
    if unclaimed:
        sizes["(not in any RECORD)"] = unclaimed
    return sizes


def imported_dists(handler_file: Path, with_model: bool) -> set[str]:
    """Distributions a handler imports (this machine's interpreter and environment)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACTCHECK_")}
    env.update({"AWS_DEFAULT_REGION": "us-east-1", "FACTCHECK_TARGET": "aws"})
    proc = subprocess.run(
        [sys.executable, "-c", _IMPORTED_DISTS, str(handler_file), "model" if with_model else "-"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"importing {handler_file} failed:\n{proc.stderr[-2000:]}")
    return {_norm(d) for d in json.loads(proc.stdout.splitlines()[-1])}


def zipped_bytes(folder: Path, work: Path) -> int:
    target = work / "artefact.zip"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(folder))
    size = target.stat().st_size
    target.unlink()
    return size


def measure(
    template_path: Path, host_platform: bool, keep: Path | None, built: Path | None = None
) -> dict[str, Any]:
    """Build each function (or take `built`/<Function>, what `sam build` left) and measure."""
    funcs, runtime, arch = functions_of(template_path)
    report: dict[str, Any] = {
        "runtime": runtime,
        "architecture": arch,
        "platform": "host" if host_platform else "lambda (manylinux wheels)",
        "limit_mb": LIMIT_MB,
        "distributions_mb": {},
        "functions": {},
    }
    all_sizes: dict[str, int] = {}
    python = runtime_python(runtime)
    report["import_python"] = python
    with tempfile.TemporaryDirectory(prefix="factcheck-pkg-") as tmp:
        work = Path(tmp)
        for name, props in funcs.items():
            site = built / name if built else build_function(name, work / name, host_platform)
            as_built = tree_bytes(site)
            sizes = dist_sizes(site)
            all_sizes.update(sizes)
            module_path = str(props.get("Handler", "")).rpartition(".")[0]
            needed = imported_dists(REPO_ROOT / f"{module_path}.py", name == "ExtractFunction")
            runtime_bytes = sum(sizes.get(d, 0) for d in RUNTIME_PROVIDED)
            report["functions"][name] = {
                "handler": props.get("Handler"),
                "as_built_mb": _mb(as_built),
                "zipped_mb": _mb(zipped_bytes(site, work)),
                "without_runtime_boto3_mb": _mb(as_built - runtime_bytes),
                "largest": {k: _mb(v) for k, v in sorted(sizes.items(), key=lambda kv: -kv[1])[:5]},
                # a distribution the handler imports that the artefact lacks would fail the
                # cold start: this must stay empty
                "missing": sorted(
                    needed - set(sizes) - ENVIRONMENT_ONLY - RUNTIME_PROVIDED - OPTIONAL_FOR_RUNTIME
                ),
                "over_limit": as_built > LIMIT_MB * 2**20,
            }
            if python and not host_platform:
                handler = str(props.get("Handler", ""))
                report["functions"][name].update(
                    cold_import(python, site, handler, name == "ExtractFunction")
                )
            if keep:
                shutil.copytree(site, keep / name, dirs_exist_ok=True)
    report["distributions_mb"] = {
        k: _mb(v) for k, v in sorted(all_sizes.items(), key=lambda kv: -kv[1])
    }
    over = [n for n, f in report["functions"].items() if f["over_limit"]]
    missing = [n for n, f in report["functions"].items() if f["missing"] or "init_error" in f]
    verdict = (
        f"over {LIMIT_MB:.0f} MB unzipped: {', '.join(over)} (a layer does not raise the "
        "limit, which counts layers too: use a container image)"
        if over
        else f"every function is under {LIMIT_MB:.0f} MB unzipped as built: none needs a "
        "layer or an image (a shared layer would only save upload bytes)"
    )
    if missing:
        verdict += f"; MISSING imported distributions in: {', '.join(missing)}"
    report["verdict"] = verdict
    return report


def _table(report: dict[str, Any]) -> str:
    rows = [
        f"{'function':<24}{'as built':>10}{'zipped':>9}{'import s':>10}"
        "  (MB, limit 250 unzipped; cold import on python3.12)"
    ]
    for name, f in report["functions"].items():
        cold = f.get("cold_import_s", f.get("init_error", "-"))
        rows.append(f"{name:<24}{f['as_built_mb']:>10}{f['zipped_mb']:>9}{cold!s:>10}")
    top = list(report["distributions_mb"].items())[:8]
    rows.append("largest: " + ", ".join(f"{k} {v}" for k, v in top))
    rows.append(report["verdict"])
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--template", type=Path, default=REPO_ROOT / "template.yaml")
    parser.add_argument("--json", action="store_true", help="print the report as one JSON line")
    parser.add_argument("--host-platform", action="store_true", help="wheels for this machine")
    parser.add_argument("--keep", type=Path, help="copy the installed artefact here")
    parser.add_argument(
        "--built", type=Path, help="measure these artefacts (e.g. .aws-sam/build) instead"
    )
    args = parser.parse_args(argv)
    report = measure(args.template, args.host_platform, args.keep, args.built)
    print(json.dumps(report) if args.json else _table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
