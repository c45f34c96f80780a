"""The build rule makes artefacts for the template's runtime and platform, and each extra
carries what its handler imports (the heavy proof is tests/deploy, `make test-deploy`)."""

from __future__ import annotations

import re
import subprocess
import tomllib
from functools import cache
from typing import Any

import pytest

from factcheck.template import REPO_ROOT, load_template

pytestmark = pytest.mark.unit

MAKEFILE = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")


@cache
def _make_dry_run(function: str, build_python: str = "python3.11") -> str:
    """The commands `sam build` would run for a function (make -n, nothing executed), with
    make run by a Python that is not the runtime's."""
    proc = subprocess.run(
        [
            "make",
            "-n",
            "--no-print-directory",
            f"build-{function}",
            "ARTIFACTS_DIR=/tmp/x",
            f"BUILD_PYTHON={build_python}",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return load_template()


def _functions(template: dict[str, Any]) -> list[str]:
    return [k for k, v in template["Resources"].items() if v["Type"] == "AWS::Serverless::Function"]


def test_the_build_targets_the_templates_runtime_whatever_python_runs_make(
    template: dict[str, Any],
) -> None:
    runtime = template["Globals"]["Function"]["Runtime"]
    assert re.search(
        rf"^LAMBDA_PYTHON := {re.escape(runtime.removeprefix('python'))}$", MAKEFILE, re.M
    )
    arch = template["Globals"]["Function"]["Architectures"]
    assert arch == ["x86_64"]
    # GIVEN make run by a Python that is not the runtime's
    commands = _make_dry_run("StoreFunction")
    # THEN pip still installs binary wheels for the runtime's interpreter and platform
    install = next(line for line in commands.splitlines() if "pip install" in line)
    for flag in (
        "--platform manylinux2014_x86_64",
        "--implementation cp",
        f"--python-version {runtime.removeprefix('python')}",
        "--only-binary=:all:",
    ):
        assert flag in install, flag
    # AND the bytecode is only compiled by the runtime's interpreter (never a wrong tag)
    assert "compileall" in commands and "unchecked-hash" in commands


@pytest.mark.parametrize(
    "function", ["ApiFunction", "StoreFunction", "SweeperFunction", "DeliverWebhooksFunction"]
)
def test_the_model_is_removed_from_every_artefact_but_extracts(function: str) -> None:
    assert "factcheck/extraction/model" in _make_dry_run(function)
    assert "factcheck/extraction/model" not in _make_dry_run("ExtractFunction")


def test_every_function_has_a_build_rule(template: dict[str, Any]) -> None:
    for function in _functions(template):
        assert template["Resources"][function]["Metadata"]["BuildMethod"] == "makefile"
        _make_dry_run(function)


def _extra(name: str) -> set[str]:
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    requirements = pyproject["project"]["optional-dependencies"][name]
    return {
        re.split(r"[<>=\[; ]", r, maxsplit=1)[0].lower().replace("-", "_") for r in requirements
    }


def test_the_api_extra_brings_lxml_html_clean_which_trafilaturas_jusText_imports() -> None:
    # lxml >= 5.2 no longer ships lxml.html.clean; jusText imports it for HTML input
    assert {"trafilatura", "lxml_html_clean"} <= _extra("api")


def test_the_samconfig_builds_in_source(template: dict[str, Any]) -> None:
    config = tomllib.loads((REPO_ROOT / "samconfig.toml").read_text(encoding="utf-8"))
    assert config["default"]["build"]["parameters"]["build_in_source"] is True
    assert "CAPABILITY_IAM" in config["default"]["deploy"]["parameters"]["capabilities"]
