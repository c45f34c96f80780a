"""What the API fuzz tests (unit: in-process; reliability: against the running stack) run."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode

from factcheck.api import create_app
from factcheck.settings import Settings


def fuzz_settings(max_examples: int) -> settings:
    """Reproducible runs: a fixed sequence of examples, no deadline, no example database."""
    return settings(
        max_examples=max_examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


def case_strategy(operation: Any, variant: str, path_parameters: dict[str, str] | None) -> Any:
    """Schemathesis cases for one operation: invalid data for `negative`, else valid data."""
    mode = GenerationMode.NEGATIVE if variant == "negative" else GenerationMode.POSITIVE
    return operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)


def operation_cases() -> list[tuple[str, str, str]]:
    """(METHOD, path, variant) for every documented operation; the spec needs no AWS.

    Variants: `real-ids` (positive data on ids that exist: the success paths), `positive`
    (generated ids), `negative` (invalid data, which must be refused with a 4xx; only where
    there is a body or a query to make invalid: a path string cannot be).
    """
    spec = create_app(Settings()).extensions["factcheck-api"].spec.to_dict()
    cases = []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            cases.append((method.upper(), path, "positive"))
            if "{" in path:
                cases.append((method.upper(), path, "real-ids"))
            params = [p for p in op.get("parameters", []) if p.get("in") == "query"]
            if params or "requestBody" in op:
                cases.append((method.upper(), path, "negative"))
    return cases
