"""template.yaml keeps the deployment's guarantees: DLQs, PITR, encryption, least privilege."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from factcheck.template import DEFAULT_TEMPLATE, load_template, queue_specs

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return load_template()


def _of_type(template: dict[str, Any], rtype: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == rtype}


def test_every_work_queue_redrives_to_a_dead_letter_queue(template: dict[str, Any]) -> None:
    specs = queue_specs(template)
    dlqs = {s.dlq_logical_id for s in specs.values() if s.dlq_logical_id}
    work_queues = [s for s in specs.values() if s.logical_id not in dlqs]
    assert work_queues, "the template defines no work queue"
    for spec in work_queues:
        assert spec.dlq_logical_id in specs, f"{spec.logical_id} has no DLQ"
        assert spec.max_receive_count and spec.max_receive_count >= 1


def test_queue_visibility_is_at_least_six_times_the_consumers_timeout(
    template: dict[str, Any],
) -> None:
    globals_timeout = template["Globals"]["Function"]["Timeout"]
    for fn in _of_type(template, "AWS::Serverless::Function").values():
        props = fn["Properties"]
        for event in (props.get("Events") or {}).values():
            if event["Type"] != "SQS":
                continue
            queue_id = event["Properties"]["Queue"]["Fn::GetAtt"][0]
            queue = template["Resources"][queue_id]["Properties"]
            assert queue["VisibilityTimeout"] >= 6 * props.get("Timeout", globals_timeout)


def test_the_table_has_point_in_time_recovery_and_encryption(template: dict[str, Any]) -> None:
    (table,) = _of_type(template, "AWS::DynamoDB::Table").values()
    props = table["Properties"]
    assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert props["SSESpecification"]["SSEEnabled"] is True


def test_every_dead_letter_queue_has_a_depth_alarm(template: dict[str, Any]) -> None:
    specs = queue_specs(template)
    dlqs = {s.dlq_logical_id for s in specs.values() if s.dlq_logical_id}
    alarmed = {
        dim["Value"]["Fn::GetAtt"][0]
        for alarm in _of_type(template, "AWS::CloudWatch::Alarm").values()
        for dim in alarm["Properties"].get("Dimensions", [])
        if "Fn::GetAtt" in dim["Value"]
    }
    assert dlqs <= alarmed


def _statements(policy: Any) -> list[dict[str, Any]]:
    if isinstance(policy, dict) and "Statement" in policy:
        return list(policy["Statement"])
    return []


def test_no_policy_grants_wildcard_actions(template: dict[str, Any]) -> None:
    for name, fn in _of_type(template, "AWS::Serverless::Function").items():
        for policy in fn["Properties"].get("Policies", []):
            assert policy != "AdministratorAccess", name
            assert isinstance(policy, dict), f"{name}: managed policy {policy!r} is too broad"
            for statement in _statements(policy):
                actions = statement["Action"]
                actions = [actions] if isinstance(actions, str) else actions
                assert not any(a == "*" or a.endswith(":*") for a in actions), name


def test_cfn_lint_finds_nothing_in_the_template() -> None:
    cfn_lint = Path(sys.executable).with_name("cfn-lint")
    result = subprocess.run(
        [str(cfn_lint), str(DEFAULT_TEMPLATE)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
