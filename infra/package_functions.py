"""Measure each Lambda function's deployment package, unzipped (the 250 MB limit).

    python infra/package_functions.py [--json] [--host-platform] [--keep DIR]

What `sam build` does with the template's `BuildMethod: makefile` (see the Makefile's
`build-<Function>` rule) is reproduced here: the project is built as a wheel and installed
with its runtime dependencies into a temporary folder with `pip install --target`, for the
Lambda platform of template.yaml (runtime python3.12, x86_64 -> manylinux wheels, binary
only; `--host-platform` installs for this machine instead), then `functions/` is copied
beside it. Only the package registries pip is configured for are used (and pip's cache).

Reported per function:
- `as_built`: the artefact the Makefile rule builds (every function gets the whole package);
- `needed`: only the distributions the handler actually imports (found by importing it in
  a fresh interpreter of this machine), i.e. what a per-function requirements split would
  ship; `boto3`/`botocore` are listed apart since the Lambda runtime provides them;
- `zipped`: the as-built folder deflated, as it is uploaded.
Lambda's limit is 250 MB unzipped for the function AND its layers together, so a layer
shares bytes between functions but does not raise the limit; above it, a container image
(10 GB) is the way out. The verdict says which functions exceed the limit.
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


def _pip(*args: str) -> None:
    cmd = [sys.executable, "-m", "pip", "--disable-pip-version-check", *args]
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"pip {' '.join(args[:3])}... failed:\n{proc.stderr[-3000:]}")


def build_site(work: Path, runtime: str, arch: str, host_platform: bool) -> Path:
    """The project wheel and its runtime dependencies installed into `work/site`."""
    wheels, site = work / "wheel", work / "site"
    _pip("wheel", "--no-deps", "-q", "-w", str(wheels), str(REPO_ROOT))
    wheel = next(wheels.glob("factcheck-*.whl"))
    args = ["install", "-q", "--no-compile", "--target", str(site)]
    if not host_platform:
        version = runtime.removeprefix("python")
        for tag in PLATFORM_TAGS.get(arch, PLATFORM_TAGS["x86_64"]):
            args += ["--platform", tag]
        args += ["--implementation", "cp", "--python-version", version, "--only-binary=:all:"]
    _pip(*args, str(wheel))
    return site


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
    with tempfile.TemporaryDirectory(prefix="factcheck-pkg-") as tmp:
        work = Path(tmp)
        site = build_site(work, runtime, arch, host_platform)
        shutil.copytree(REPO_ROOT / "functions", site / "functions", dirs_exist_ok=True)
        shutil.rmtree(site / "bin", ignore_errors=True)  # console scripts: not in a Lambda
        as_built = tree_bytes(site)
        sizes = dist_sizes(site)
        zipped = zipped_bytes(site, work)
        handler_bytes = tree_bytes(REPO_ROOT / "functions")
        report: dict[str, Any] = {
            "runtime": runtime,
            "architecture": arch,
            "platform": "host" if host_platform else "lambda (manylinux wheels)",
            "limit_mb": LIMIT_MB,
            "distributions_mb": {
                k: _mb(v) for k, v in sorted(sizes.items(), key=lambda kv: -kv[1])
            },
            "functions": {},
        }
        for name, props in funcs.items():
            module_path = str(props.get("Handler", "")).rpartition(".")[0]
            needed = imported_dists(REPO_ROOT / f"{module_path}.py", name == "ExtractFunction")
            needed_bytes = sum(sizes.get(d, 0) for d in needed) + handler_bytes
            runtime_bytes = sum(sizes.get(d, 0) for d in needed if d in RUNTIME_PROVIDED)
            report["functions"][name] = {
                "handler": props.get("Handler"),
                "as_built_mb": _mb(as_built),
                "zipped_mb": _mb(zipped),
                "needed_mb": _mb(needed_bytes),
                "needed_without_runtime_boto3_mb": _mb(needed_bytes - runtime_bytes),
                "needed_distributions": sorted(d for d in needed if d in sizes),
                "over_limit": as_built > LIMIT_MB * 2**20,
            }
        if keep:
            shutil.copytree(site, keep, dirs_exist_ok=True)
    over = [n for n, f in report["functions"].items() if f["over_limit"]]
    report["verdict"] = (
        f"over {LIMIT_MB:.0f} MB unzipped: {', '.join(over)} (a layer does not raise the "
        "limit, which counts layers too: split dependencies per function or use an image)"
        if over
        else f"every function is under {LIMIT_MB:.0f} MB unzipped as built: none needs a "
        "layer or an image (a shared layer would only save upload bytes)"
    )
    return report


def _table(report: dict[str, Any]) -> str:
    rows = [f"{'function':<18}{'as built':>10}{'zipped':>9}{'needed':>9}  (MB, limit 250)"]
    for name, f in report["functions"].items():
        rows.append(f"{name:<18}{f['as_built_mb']:>10}{f['zipped_mb']:>9}{f['needed_mb']:>9}")
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
