"""Each built artefact imports under the template's runtime with nothing but itself and the
standard library, is the size Lambda allows, and carries what its handler needs."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from deploy.harness import LambdaWorker
from factcheck.template import load_template

FUNCTIONS = sorted(
    name
    for name, r in load_template()["Resources"].items()
    if r["Type"] == "AWS::Serverless::Function"
)
MODEL_FUNCTIONS = {"ExtractFunction"}
LIMIT_MB = 250  # Lambda: function and layers together, unzipped
EXTRACT_BUDGET_MB = 200
ARTICLE_HTML = (
    "<html><head><title>Prices</title></head><body><nav>Home | World</nav><article>"
    "<h1>Prices rose</h1><p>Prices in the town rose 12 percent last year, twice the "
    "national rate, according to the statistics office.</p><p>The council said rents "
    "doubled since 2019 while wages rose by a third.</p></article></body></html>"
)


def _mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def smoke(worker: LambdaWorker, function: str) -> None:
    """What a cold start and a first request of this function import, or fail on."""
    assert worker.ready.get("ready"), worker.ready.get("init_error", worker.ready)
    assert worker.ready["python"].startswith("3.12."), worker.ready["python"]
    assert not worker.ready["foreign"], worker.ready["foreign"]
    checks: list[tuple[str, list[Any]]] = []
    if function == "ApiFunction":  # HTML submissions: trafilatura, jusText, lxml.html.clean
        checks.append(("factcheck.extraction.clean:html_to_text", [ARTICLE_HTML]))
    if function in MODEL_FUNCTIONS:
        checks.append(("factcheck.extraction.scorer:default_scorer", []))
    for target, args in checks:
        answer = worker.request(call=target, args=args)
        assert "result" in answer, f"{function}: {target}: {answer.get('error')}"
        assert not answer["foreign"], answer["foreign"]


@pytest.mark.parametrize("function", FUNCTIONS)
def test_each_artefact_imports_under_the_runtime_with_only_itself_and_the_stdlib(
    function: str, start: Callable[..., LambdaWorker]
) -> None:
    smoke(start(function), function)


@pytest.mark.parametrize("function", FUNCTIONS)
def test_each_artefact_is_under_the_limit_compiled_and_carries_the_model_only_where_used(
    function: str, built: Path
) -> None:
    artefact = built / function
    size = _mb(artefact)
    assert size < (EXTRACT_BUDGET_MB if function in MODEL_FUNCTIONS else LIMIT_MB), size
    has_model = any((artefact / "factcheck" / "extraction" / "model").glob("*.onnx"))
    assert has_model is (function in MODEL_FUNCTIONS)
    # bytecode for the runtime, so a cold start does not compile (the code is read-only)
    assert list(artefact.glob("factcheck/__pycache__/*.cpython-312.pyc"))
    assert not list(artefact.rglob("*.cpython-311*"))


def test_an_artefact_without_a_distribution_its_handler_imports_fails_the_check(
    built: Path, tmp_path: Path, start: Callable[..., LambdaWorker]
) -> None:
    # GIVEN the API artefact as it was before lxml_html_clean was in the api extra
    broken = tmp_path / "ApiFunction"
    shutil.copytree(built / "ApiFunction", broken, symlinks=True)
    for path in broken.glob("lxml_html_clean*"):
        shutil.rmtree(path)
    # WHEN the same check runs on it THEN it fails, naming what is missing
    with pytest.raises(AssertionError, match=r"lxml_html_clean|lxml\.html\.clean"):
        smoke(start("ApiFunction", artifact=broken), "ApiFunction")
