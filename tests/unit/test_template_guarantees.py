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


def test_every_queue_redelivers_at_least_five_times_before_its_dlq(
    template: dict[str, Any],
) -> None:
    # AWS's guidance for an SQS event source: maxReceiveCount of at least 5
    specs = queue_specs(template)
    for spec in specs.values():
        if spec.dlq_logical_id:
            assert spec.max_receive_count is not None and spec.max_receive_count >= 5, spec


def test_every_function_logs_to_a_group_with_a_retention(template: dict[str, Any]) -> None:
    groups = _of_type(template, "AWS::Logs::LogGroup")
    for name, fn in _of_type(template, "AWS::Serverless::Function").items():
        group = fn["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]
        assert groups[group]["Properties"]["RetentionInDays"], name


def test_the_alarm_topic_uses_a_key_cloudwatch_may_use(template: dict[str, Any]) -> None:
    # the AWS-managed alias/aws/sns key cannot grant CloudWatch alarms: they never notify
    (topic,) = _of_type(template, "AWS::SNS::Topic").values()
    key_ref = topic["Properties"]["KmsMasterKeyId"]
    assert key_ref != "alias/aws/sns"
    key = template["Resources"][key_ref["Ref"]]
    assert key["Type"] == "AWS::KMS::Key"
    principals = [
        s["Principal"].get("Service") for s in key["Properties"]["KeyPolicy"]["Statement"]
    ]
    assert "cloudwatch.amazonaws.com" in principals


def _alarmed_metrics(template: dict[str, Any]) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for alarm in _of_type(template, "AWS::CloudWatch::Alarm").values():
        props = alarm["Properties"]
        if "MetricName" in props:
            out.add((props["Namespace"], props["MetricName"]))
        for query in props.get("Metrics", []):
            metric = (query.get("MetricStat") or {}).get("Metric")
            if metric:
                out.add((metric["Namespace"], metric["MetricName"]))
    return out


def test_function_errors_and_throttles_and_api_5xx_raise_alarms(template: dict[str, Any]) -> None:
    metrics = _alarmed_metrics(template)
    assert {("AWS/Lambda", "Errors"), ("AWS/Lambda", "Throttles"), ("AWS/ApiGateway", "5xx")} <= (
        metrics
    )
    functions = set(_of_type(template, "AWS::Serverless::Function"))
    for metric_name in ("Errors", "Throttles"):
        watched = {
            dim["Value"]["Ref"]
            for alarm in _of_type(template, "AWS::CloudWatch::Alarm").values()
            for query in alarm["Properties"].get("Metrics", [])
            if (query.get("MetricStat") or {}).get("Metric", {}).get("MetricName") == metric_name
            for dim in query["MetricStat"]["Metric"]["Dimensions"]
        }
        assert watched == functions, metric_name


def test_the_api_is_throttled(template: dict[str, Any]) -> None:
    (api,) = _of_type(template, "AWS::Serverless::HttpApi").values()
    route = api["Properties"]["DefaultRouteSettings"]
    assert route["ThrottlingRateLimit"] > 0 and route["ThrottlingBurstLimit"] > 0


def test_no_function_may_scan_or_gets_the_crud_policy_template(template: dict[str, Any]) -> None:
    # only the admin CLI exports (the one Scan); DeleteItem only where the API deletes
    managed = _of_type(template, "AWS::IAM::ManagedPolicy")
    for name, fn in _of_type(template, "AWS::Serverless::Function").items():
        actions: set[str] = set()
        for policy in fn["Properties"]["Policies"]:
            assert "DynamoDBCrudPolicy" not in policy, name
            if "Ref" in policy:
                policy = managed[policy["Ref"]]["Properties"]["PolicyDocument"]
            for statement in _statements(policy):
                listed = statement["Action"]
                actions |= {listed} if isinstance(listed, str) else set(listed)
        assert "dynamodb:Scan" not in actions, name
        assert ("dynamodb:DeleteItem" in actions) is (name == "ApiFunction"), name


def test_the_cursor_secret_is_generated_by_the_stack_not_a_plaintext_variable(
    template: dict[str, Any],
) -> None:
    assert "CursorSecret" not in template["Parameters"]
    secret = template["Resources"]["CursorSecret"]
    assert secret["Type"] == "AWS::SecretsManager::Secret"
    env = template["Resources"]["ApiFunction"]["Properties"]["Environment"]["Variables"]
    assert "FACTCHECK_CURSOR_SECRET" not in env
    assert env["FACTCHECK_CURSOR_SECRET_ID"] == {"Ref": "CursorSecret"}
