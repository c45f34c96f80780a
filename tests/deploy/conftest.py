"""The deploy checks (`make test-deploy`): the template and the built artefacts as AWS runs
them, with no AWS account. Heavy (a `sam build`): they run only when FACTCHECK_TEST_DEPLOY=1,
which `make test-deploy` sets; elsewhere they skip, saying so.

Fixture chain: the template -> `sam build` (once per session; FACTCHECK_TEST_DEPLOY_REUSE=1
reuses .aws-sam/build while iterating) -> a moto server with the template's table and
queues in eu-west-1, the stack's cursor secret and one user per role -> a warm Lambda
environment per function (python3.12, only its artefact) with the template's environment.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from pydantic import SecretStr

from deploy.harness import (
    ACCOUNT,
    BUILD_DIR,
    PUBLIC_BASE_URL,
    REGION,
    Events,
    LambdaWorker,
    World,
    function_environment,
    runtime_python,
    sam,
)
from factcheck.api.auth import create_user
from factcheck.domain.models import Role
from factcheck.local.moto_process import MotoProcess, start_moto
from factcheck.local.resources import QUEUE_SETTINGS_FIELD, provision
from factcheck.settings import Settings, Target
from factcheck.storage.dynamo import DynamoRepository
from factcheck.template import load_template

HERE = Path(__file__).resolve().parent
USERS = {"sam-submitter": Role.SUBMITTER, "rita-reviewer": Role.REVIEWER, "eve-editor": Role.EDITOR}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "deploy: the AWS deployment checks (make test-deploy)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip = pytest.mark.skip(reason="deploy checks run with make test-deploy")
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.deploy)
            if os.environ.get("FACTCHECK_TEST_DEPLOY") != "1":
                item.add_marker(skip)


@pytest.fixture(scope="session")
def template() -> dict[str, Any]:
    return load_template()


@pytest.fixture(scope="session")
def python312(template: dict[str, Any]) -> str:
    return runtime_python(template)


@pytest.fixture(scope="session")
def built(template: dict[str, Any]) -> Path:
    """`sam build`, exactly as the README says; the build folder."""
    reuse = os.environ.get("FACTCHECK_TEST_DEPLOY_REUSE") == "1"
    if not (reuse and (BUILD_DIR / "template.yaml").is_file()):
        sam("build")
    return BUILD_DIR


@pytest.fixture(scope="session")
def stage(template: dict[str, Any]) -> str:
    name = str(template["Parameters"]["Stage"]["Default"])
    assert name != "$default", "the deploy checks need a named stage"
    return name


@pytest.fixture(scope="session")
def events(stage: str) -> Events:
    return Events(stage=stage)


@pytest.fixture(scope="module")
def moto() -> Iterator[MotoProcess]:
    server = start_moto()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def world(moto: MotoProcess, template: dict[str, Any], stage: str) -> World:
    base = Settings(
        target=Target.LOCAL,
        endpoint_url=moto.endpoint_url,
        region=REGION,
        table_name=f"factcheck-{stage}",
    )
    settings = provision(base, prefix=f"factcheck-{stage}")
    secrets = boto3.client("secretsmanager", **settings.boto_kwargs())
    secret_arn = secrets.create_secret(
        Name=f"factcheck-{stage}-cursor", SecretString="deploy-check-cursor-secret-0123456789"
    )["ARN"]
    settings = settings.model_copy(
        update={"cursor_secret": SecretStr("deploy-check-cursor-secret-0123456789")}
    )
    repo = DynamoRepository(settings)
    tokens = {name: create_user(repo, name, role)[1] for name, role in USERS.items()}
    sqs = boto3.client("sqs", **settings.boto_kwargs())
    queue_urls = {lid: getattr(settings, f) for lid, f in QUEUE_SETTINGS_FIELD.items()}
    queue_arns = {
        lid: sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        for lid, url in queue_urls.items()
    }
    assert all(f":{REGION}:" in arn for arn in queue_arns.values())
    params = {k: str(v.get("Default", "")) for k, v in template["Parameters"].items()}
    refs = {
        **params,
        "PublicBaseUrl": PUBLIC_BASE_URL,
        "Table": settings.table_name,
        "CursorSecret": secret_arn,
        **queue_urls,
        "AWS::Region": REGION,
        "AWS::AccountId": ACCOUNT,
    }
    return World(settings=settings, refs=refs, tokens=tokens, queue_arns=queue_arns)


@pytest.fixture(scope="module")
def lambda_env(
    template: dict[str, Any], world: World, moto: MotoProcess
) -> Callable[[str], dict[str, str]]:
    """The environment a function gets on AWS, its AWS calls aimed at the moto server."""

    def env(function: str) -> dict[str, str]:
        out = function_environment(template, function, world.refs)
        out["AWS_ENDPOINT_URL"] = moto.endpoint_url  # boto3 honours it for every service
        return out

    return env


@pytest.fixture(scope="module")
def start(
    built: Path,
    template: dict[str, Any],
    python312: str,
    lambda_env: Callable[[str], dict[str, str]],
) -> Iterator[Callable[..., LambdaWorker]]:
    """Start a warm environment for a function (closed at the end of the module)."""
    workers: list[LambdaWorker] = []

    def _start(function: str, artifact: Path | None = None, **env_overrides: str) -> LambdaWorker:
        handler = str(template["Resources"][function]["Properties"]["Handler"])
        env = {**lambda_env(function), **env_overrides}
        worker = LambdaWorker(python312, artifact or built / function, handler, env)
        workers.append(worker)
        return worker

    yield _start
    for worker in workers:
        worker.close()
