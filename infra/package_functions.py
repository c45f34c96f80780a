"""Measure each Lambda function's deployment package, unzipped (the 250 MB limit).

    python infra/package_functions.py [--json] [--host-platform] [--keep DIR]

What `sam build` does with the template's `BuildMethod: makefile` is what runs here: the
Makefile's `build-<Function>` rule, once per function, into a temporary folder: the project
wheel with only the extra its handler needs (`api`, `extract`, or none) installed with
`pip install --target` for the Lambda platform of template.yaml (runtime python3.12, x86_64
-> manylinux wheels, binary only; `--host-platform` installs for this machine instead), and
`functions/` beside it. Only the package registries pip is configured for are used.

Reported per function:
- `as_built`: the artefact's size unzipped (Lambda's limit is 250 MB for the function AND
  its layers together, so a layer shares bytes but does not raise the limit);
- `without_runtime_boto3`: the same less boto3/botocore, which the Lambda runtime provides;
- `zipped`: the artefact deflated, as it is uploaded;
- `missing`: distributions the handler imports (in a fresh interpreter of this machine) that
  the artefact lacks: a cold start would fail, so this must be empty.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
LIMIT_MB = 250.0
RUNTIME_PROVIDED = {"boto3", "botocore", "s3transfer", "jmespath"}
# set up by the virtual environment's site hooks (setuptools' _distutils_hack), not imported
# by the handler
ENVIRONMENT_ONLY = {"setuptools", "pip"}
PLATFORM_TAGS = {
    "x86_64": ["manylinux_2_28_x86_64", "manylinux2014_x86_64"],
    "arm64": ["manylinux_2_28_aarch64", "manylinux2014_aarch64"],
}

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


def build_function(name: str, out: Path, runtime: str, arch: str, host_platform: bool) -> Path:
    """Run the Makefile's `build-<name>` rule (what `sam build` runs) into `out`."""
    pip_args: list[str] = []
    if not host_platform:
        for tag in PLATFORM_TAGS.get(arch, PLATFORM_TAGS["x86_64"]):
            pip_args += ["--platform", tag]
        version = runtime.removeprefix("python")
        pip_args += ["--implementation", "cp", "--python-version", version, "--only-binary=:all:"]
    cmd = [
        "make",
        "--no-print-directory",
        "-s",
        f"build-{name}",
        f"ARTIFACTS_DIR={out}",
        f"BUILD_PYTHON={sys.executable}",
        f"BUILD_PIP_ARGS={' '.join(pip_args)}",
    ]
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"make build-{name} failed:\n{proc.stderr[-3000:]}")
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


def measure(template_path: Path, host_platform: bool, keep: Path | None) -> dict[str, Any]:
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
    with tempfile.TemporaryDirectory(prefix="factcheck-pkg-") as tmp:
        work = Path(tmp)
        for name, props in funcs.items():
            site = build_function(name, work / name, runtime, arch, host_platform)
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
                "missing": sorted(needed - set(sizes) - ENVIRONMENT_ONLY),
                "over_limit": as_built > LIMIT_MB * 2**20,
            }
            if keep:
                shutil.copytree(site, keep / name, dirs_exist_ok=True)
    report["distributions_mb"] = {
        k: _mb(v) for k, v in sorted(all_sizes.items(), key=lambda kv: -kv[1])
    }
    over = [n for n, f in report["functions"].items() if f["over_limit"]]
    missing = [n for n, f in report["functions"].items() if f["missing"]]
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
    rows = [f"{'function':<24}{'as built':>10}{'zipped':>9}  (MB, limit 250 unzipped)"]
    for name, f in report["functions"].items():
        rows.append(f"{name:<24}{f['as_built_mb']:>10}{f['zipped_mb']:>9}")
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
    args = parser.parse_args(argv)
    report = measure(args.template, args.host_platform, args.keep)
    print(json.dumps(report) if args.json else _table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
