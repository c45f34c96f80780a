"""What the deploy checks drive: built artefacts under the template's runtime, with the
environment the template gives each function, and events from `sam local generate-event`.
"""

from __future__ import annotations

import base64
import copy
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3

from factcheck.settings import Settings

REPO_ROOT = Path(__file__).resolve().parents[2]
RUNNER = REPO_ROOT / "infra" / "lambda_runner.py"
# boto3 as Lambda's /var/runtime has it (infra/deploy_tools.sh installs it)
LAMBDA_RUNTIME_DIR = REPO_ROOT / ".deploy-runtime"
SAM = REPO_ROOT / ".venv-sam" / "bin" / "sam"
CHECKOV = REPO_ROOT / ".venv-checkov" / "bin" / "checkov"
BUILD_DIR = REPO_ROOT / ".aws-sam" / "build"
# A region other than us-east-1, where a silent us-east-1 default would miss every resource.
REGION = "eu-west-1"
ACCOUNT = "123456789012"
# what the stack is given as PublicBaseUrl (a path too, as behind a CDN or a custom domain)
PUBLIC_BASE_URL = "https://factcheck.example.org/checks"


def runtime_python(template: dict[str, Any]) -> str:
    """The interpreter of the template's Runtime (python3.12 -> infra/find_python.sh 3.12)."""
    version = str(template["Globals"]["Function"]["Runtime"]).removeprefix("python")
    proc = subprocess.run(
        ["bash", str(REPO_ROOT / "infra" / "find_python.sh"), version],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, f"the template's runtime python{version}: {proc.stderr}"
    return proc.stdout.strip()


def sam(*args: str, timeout: float = 900) -> str:
    env = {**os.environ, "SAM_CLI_TELEMETRY": "0"}
    proc = subprocess.run(
        [str(SAM), *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert proc.returncode == 0, (
        f"sam {' '.join(args)}:\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}"
    )
    return proc.stdout


def resolve(value: Any, refs: dict[str, str]) -> str:
    """A template value with Ref to a known parameter or resource; anything else fails."""
    if isinstance(value, str | int | float):
        return str(value)
    if isinstance(value, dict) and set(value) == {"Ref"} and value["Ref"] in refs:
        return refs[value["Ref"]]
    raise AssertionError(f"no value for {value!r} in the deploy check: add it to its refs")


def function_environment(
    template: dict[str, Any], function: str, refs: dict[str, str]
) -> dict[str, str]:
    """Globals' variables then the function's own, resolved, plus what Lambda sets."""
    glob = template["Globals"]["Function"]
    props = template["Resources"][function]["Properties"]
    variables = {
        **glob.get("Environment", {}).get("Variables", {}),
        **props.get("Environment", {}).get("Variables", {}),
    }
    env = {key: resolve(value, refs) for key, value in variables.items()}
    env.update(
        AWS_REGION=REGION,
        AWS_DEFAULT_REGION=REGION,
        AWS_LAMBDA_FUNCTION_NAME=f"factcheck-{function}",
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE=str(props.get("MemorySize", glob.get("MemorySize"))),
        LAMBDA_TASK_ROOT=str(BUILD_DIR / function),
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_SESSION_TOKEN="testing",
        PATH="/usr/bin:/bin",
        LANG="C.UTF-8",
        HOME=os.environ.get("HOME", "/tmp"),
    )
    return env


class LambdaWorker:
    """One warm Lambda execution environment: the runner on the template's runtime."""

    def __init__(self, python: str, artifact: Path, handler: str, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [python, "-I", "-S", str(RUNNER), str(artifact), handler, str(LAMBDA_RUNTIME_DIR)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=sys.stderr,
            env=env,
            text=True,
        )
        self.ready = self._read()

    def _read(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise AssertionError(f"the runner exited with {self.proc.wait(timeout=30)}")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def request(self, **request: Any) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        return self._read()

    def invoke(self, event: dict[str, Any], **extra: Any) -> Any:
        answer = self.request(event=event, **extra)
        assert "error" in answer or "result" in answer, answer
        if "error" in answer:
            raise AssertionError(f"the handler raised: {answer['error']}\n{answer['traceback']}")
        return answer["result"]

    def close(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=30)

    def __enter__(self) -> LambdaWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class Events:
    """Events shaped by `sam local generate-event`, filled in per request."""

    stage: str
    http_template: dict[str, Any] = field(init=False)
    sqs_template: dict[str, Any] = field(init=False)
    schedule_event: dict[str, Any] = field(init=False)

    def __post_init__(self) -> None:
        gen = ("local", "generate-event")
        self.http_template = json.loads(
            sam(*gen, "apigateway", "http-api-proxy", "--stage", self.stage, "--path", "x")
        )
        self.sqs_template = json.loads(sam(*gen, "sqs", "receive-message", "--region", REGION))
        self.schedule_event = json.loads(
            sam(*gen, "cloudwatch", "scheduled-event", "--region", REGION)
        )

    def http(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        token: str | None = None,
        query: str = "",
        host: str = "abc123.execute-api.eu-west-1.amazonaws.com",
    ) -> dict[str, Any]:
        """An HTTP API (payload 2.0) event as API Gateway sends it on the named stage: the
        stage in front of rawPath (sam's generator leaves it out; the service does not)."""
        event = copy.deepcopy(self.http_template)
        full_path = path if self.stage == "$default" else f"/{self.stage}{path}"
        headers = {"host": host, "x-forwarded-proto": "https", "accept": "application/json"}
        if token:
            headers["authorization"] = f"Bearer {token}"
        event.pop("cookies", None)
        event.pop("queryStringParameters", None)
        event.pop("pathParameters", None)
        event["routeKey"] = "ANY /{proxy+}"
        event["rawPath"] = full_path
        event["rawQueryString"] = query
        event["requestContext"]["http"]["method"] = method
        event["requestContext"]["http"]["path"] = full_path
        event["requestContext"]["domainName"] = host
        event["requestContext"]["routeKey"] = "ANY /{proxy+}"
        event["requestContext"].pop("authorizer", None)
        if body is None:
            event["body"] = ""
            event["isBase64Encoded"] = False
        else:
            headers["content-type"] = "application/json"
            event["body"] = base64.b64encode(json.dumps(body).encode()).decode()
            event["isBase64Encoded"] = True
        event["headers"] = headers
        return event

    def sqs(self, messages: list[dict[str, Any]], queue_arn: str) -> dict[str, Any]:
        """A batch of messages received from `queue_arn` (ReceiveMessage's fields)."""
        (template,) = self.sqs_template["Records"]
        records = []
        for message in messages:
            record = copy.deepcopy(template)
            record.update(
                messageId=message["MessageId"],
                receiptHandle=message["ReceiptHandle"],
                body=message["Body"],
                md5OfBody=message["MD5OfBody"],
                eventSourceARN=queue_arn,
                awsRegion=REGION,
            )
            record["attributes"].update(message.get("Attributes", {}))
            records.append(record)
        return {"Records": records}

    def schedule(self) -> dict[str, Any]:
        """The schedule rule's event. EventBridge sends `"version": "0"` in every event;
        sam's generator leaves it out (and the sweeper's EventBridgeModel requires it)."""
        event = copy.deepcopy(self.schedule_event)
        event.setdefault("version", "0")
        return event


def http_json(response: dict[str, Any]) -> Any:
    body = response.get("body") or ""
    if response.get("isBase64Encoded"):
        body = base64.b64decode(body).decode("utf-8")
    return json.loads(body) if body else None


@dataclass
class World:
    """AWS as the stack would leave it, on a moto server, and the template's refs to it."""

    settings: Settings
    refs: dict[str, str]
    tokens: dict[str, str]
    queue_arns: dict[str, str]

    def client(self, service: str) -> Any:
        return boto3.client(service, **self.settings.boto_kwargs())  # type: ignore[call-overload]
