"""The stdout table and the comparison with the previous report (ratios, not times)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

FUNCTIONS = ("ApiFunction", "ExtractFunction", "StoreFunction", "SweeperFunction")


def _functions(report: dict[str, Any] | None) -> list[str]:
    """The functions a report measured (template.yaml's), else the usual four."""
    phases = (report or {}).get("phases", {})
    names: dict[str, None] = {}
    for phase in ("imports", "packages"):
        names.update(dict.fromkeys(phases.get(phase, {}).get("functions", {})))
    return list(names) or list(FUNCTIONS)


@dataclass(frozen=True)
class Metric:
    path: str  # dotted path into report["phases"]
    label: str
    unit: str
    target: float | None = None
    higher_is_better: bool = False
    scale: float = 1.0


def _import_metric(function: str) -> Metric:
    target = 1.0 if function == "ExtractFunction" else 0.8
    note = " (+model)" if function == "ExtractFunction" else ""
    return Metric(
        f"imports.functions.{function}.median_s.total_s",
        f"import {function}{note}",
        "ms",
        target * 1000,
        scale=1000,
    )


def _function_metrics(functions: list[str]) -> list[Metric]:
    out = [_import_metric(f) for f in functions]
    out += [
        Metric(f"packages.functions.{f}.as_built_mb", f"package {f} unzipped", "MB", 250)
        for f in functions
    ]
    return out


EXTRACTION_METRICS: tuple[Metric, ...] = (
    Metric("extraction.scorer_only.per_s", "scorer, 1 core", "sent/s", 300, True),
    Metric("extraction.extract.sentences_per_s", "extract, 1 core", "sent/s", 300, True),
    Metric(
        "extraction.extract.documents_per_s", "extract, 1 core (25-sent docs)", "doc/s", None, True
    ),
    Metric("extraction.article_1000_words.p50_ms", "1,000-word article p50", "ms", 250),
    Metric("extraction.article_1000_words.p99_ms", "1,000-word article p99", "ms", 250),
    Metric(
        "extraction.cold.import_and_load_s", "extractor import + model load", "ms", 1000, scale=1000
    ),
    Metric("extraction.peak_rss_mb", "extraction peak RSS", "MB", 400),
    Metric("extraction.artifact.bytes", "model artifact", "MB", 30, scale=1 / 2**20),
)
STACK_METRICS: tuple[Metric, ...] = (
    Metric("pipeline.documents_per_s", "pipeline POST -> queued", "doc/s", 5, True),
    Metric("pipeline.drain_after_submit_s", "pipeline drain after last POST", "s"),
    Metric("api.get_claims.get_claims.p50_ms", "GET /claims p50 (16 clients)", "ms"),
    Metric("api.get_claims.get_claims.p95_ms", "GET /claims p95 (16 clients)", "ms", 100),
    Metric("api.get_claims.get_claims.p99_ms", "GET /claims p99 (16 clients)", "ms"),
    Metric("api.get_claims.get_claims.per_s", "GET /claims throughput", "req/s", None, True),
    Metric("api.lease_cycle.cycle.p50_ms", "lease+release p50 (16 clients)", "ms"),
    Metric("api.lease_cycle.cycle.p95_ms", "lease+release p95 (16 clients)", "ms"),
    Metric("api.lease_cycle.cycle.p99_ms", "lease+release p99 (16 clients)", "ms"),
    Metric("api.lease_cycle.cycle.per_s", "lease+release throughput", "cycle/s", None, True),
    Metric("pipeline.cpu_ms_per_document.stack", "pipeline stack CPU a document", "ms"),
    Metric("pipeline.cpu_ms_per_document.emulator", "pipeline emulator CPU a document", "ms"),
    Metric("api.get_claims.cpu_ms_per_op.stack", "GET /claims stack CPU a request", "ms"),
    Metric("api.get_claims.cpu_ms_per_op.emulator", "GET /claims emulator CPU a request", "ms"),
    Metric("api.lease_cycle.cpu_ms_per_op.stack", "lease+release stack CPU a cycle", "ms"),
    Metric("api.lease_cycle.cpu_ms_per_op.emulator", "lease+release emulator CPU a cycle", "ms"),
)


def metrics(report: dict[str, Any] | None) -> list[Metric]:
    return [*EXTRACTION_METRICS, *_function_metrics(_functions(report)), *STACK_METRICS]


MACHINE_KEYS = ("cpu_count", "cpus_usable", "cpu_model", "python", "platform")


def lookup(report: dict[str, Any] | None, path: str) -> float | None:
    node: Any = (report or {}).get("phases", {})
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return float(node) if isinstance(node, int | float) and not isinstance(node, bool) else None


def compare(report: dict[str, Any], previous: dict[str, Any] | None) -> dict[str, Any]:
    """current / previous for every metric both have, and whether the machine changed."""
    if previous is None:
        return {"previous": None}
    ratios: dict[str, float] = {}
    for metric in metrics(report):
        now, before = lookup(report, metric.path), lookup(previous, metric.path)
        if now is not None and before:
            ratios[metric.path] = round(now / before, 3)
    machine, old = report.get("machine", {}), previous.get("machine", {})
    changed = {
        k: [old.get(k), machine.get(k)] for k in MACHINE_KEYS if old.get(k) != machine.get(k)
    }
    return {
        "previous": {"time_utc": old.get("time_utc"), "git_commit": old.get("git_commit")},
        "machine_changed": changed,
        "ratios": ratios,
    }


def _verdict(metric: Metric, value: float) -> str:
    if metric.target is None:
        return ""
    ok = value >= metric.target if metric.higher_is_better else value < metric.target
    sign = ">=" if metric.higher_is_better else "<"
    return f"{'ok ' if ok else 'MISS'} {sign} {metric.target:g}"


def table(report: dict[str, Any]) -> str:
    machine = report["machine"]
    ratios = report.get("comparison", {}).get("ratios", {})
    lines = [
        f"factcheck bench: {machine['cpu_count']} CPUs ({machine['cpu_model']}), "
        f"Python {machine['python']}, {machine['platform']}",
        f"{'metric':<42}{'value':>12} {'unit':<8}{'target':<12}{'vs prev':>8}",
    ]
    for metric in metrics(report):
        raw = lookup(report, metric.path)
        if raw is None:
            continue
        value = raw * metric.scale
        ratio = ratios.get(metric.path)
        lines.append(
            f"{metric.label:<42}{value:>12.1f} {metric.unit:<8}{_verdict(metric, value):<12}"
            f"{f'x{ratio:.2f}' if ratio else '':>8}"
        )
    extraction = report["phases"].get("extraction", {})
    if "scorer" in extraction:
        lines.append(f"(scorer: {extraction['scorer']}, threshold {extraction['threshold']})")
    for name, phase in report["phases"].items():
        if "error" in phase:
            lines.append(f"{name}: FAILED: {phase['error'].splitlines()[0]}")
    changed = report.get("comparison", {}).get("machine_changed")
    if changed:
        lines.append(f"note: the machine differs from the previous report's: {changed}")
    return "\n".join(lines)
