"""The template as AWS's own tools and a security scanner see it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from deploy.harness import CHECKOV, REPO_ROOT, SAM, sam

TEMPLATE = REPO_ROOT / "template.yaml"
CFN_LINT = Path(sys.executable).with_name("cfn-lint")


def test_sam_validate_with_lint_accepts_the_template() -> None:
    out = sam("validate", "--lint")
    assert "is a valid SAM Template" in out


def test_cfn_lint_accepts_the_template_and_its_translation_by_aws_sam_translator(
    tmp_path: Path,
) -> None:
    # GIVEN the template as CloudFormation's Serverless transform turns it into resources
    translated = tmp_path / "translated.json"
    subprocess.run(
        [
            str(SAM.with_name("python")),
            str(Path(__file__).with_name("translate.py")),
            str(TEMPLATE),
            str(translated),
        ],
        check=True,
    )
    resources = json.loads(translated.read_text())["Resources"]
    assert not any(r["Type"].startswith("AWS::Serverless::") for r in resources.values())
    # WHEN cfn-lint reads both THEN it finds nothing, warnings included
    for path in (TEMPLATE, translated):
        lint = subprocess.run([str(CFN_LINT), str(path)], capture_output=True, text=True)
        assert lint.returncode == 0, f"{path.name}:\n{lint.stdout}{lint.stderr}"


def _checkov() -> dict[str, Any]:
    proc = subprocess.run(
        [
            str(CHECKOV),
            "-f",
            str(TEMPLATE),
            "--framework",
            "cloudformation",
            "--skip-download",
            "--output",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.stdout.strip(), proc.stderr[-3000:]
    report: dict[str, Any] = json.loads(proc.stdout)
    return report


def test_checkov_finds_nothing_that_is_not_skipped_in_place_with_a_reason() -> None:
    results = _checkov()["results"]
    failed = [
        f"{c['check_id']} {c['resource']}: {c['check_name']}" for c in results["failed_checks"]
    ]
    assert not failed, "\n".join(failed)
    for check in results["skipped_checks"]:
        reason = (check.get("check_result") or {}).get("suppress_comment") or ""
        assert len(reason.split()) >= 4, f"{check['check_id']} on {check['resource']}: no reason"
