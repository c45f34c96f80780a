"""The one settings object. Read once at start-up (env vars prefixed FACTCHECK_) and passed in.

`target` picks where AWS calls go: `local` (the embedded moto server, endpoint_url set by
the local stack), `localstack` (endpoints via localstack-client) or `aws` (boto3 defaults).
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from typing import Any

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from factcheck.domain.rating import RatingLevel


class Target(StrEnum):
    LOCAL = "local"
    LOCALSTACK = "localstack"
    AWS = "aws"


DEFAULT_RATING_SCALE: list[RatingLevel] = [
    RatingLevel(label="False", value=1),
    RatingLevel(label="Mostly false", value=2),
    RatingLevel(label="Half true", value=3),
    RatingLevel(label="Mostly true", value=4),
    RatingLevel(label="True", value=5),
    RatingLevel(label="Unverifiable", value=None),
]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="FACTCHECK_", extra="ignore", populate_by_name=True
    )

    target: Target = Target.LOCAL
    endpoint_url: str | None = Field(
        default=None, description="AWS endpoint override (moto server / LocalStack)."
    )
    # Lambda sets AWS_REGION (and AWS_DEFAULT_REGION) to the function's region; an explicit
    # FACTCHECK_REGION wins. us-east-1 only when nothing says otherwise (emulators).
    region: str = Field(
        default="us-east-1",
        validation_alias=AliasChoices("FACTCHECK_REGION", "AWS_REGION", "AWS_DEFAULT_REGION"),
    )
    table_name: str = "factcheck"
    documents_queue_url: str | None = None
    claims_queue_url: str | None = None
    documents_dlq_url: str | None = None
    claims_dlq_url: str | None = None
    webhooks_queue_url: str | None = None
    webhooks_dlq_url: str | None = None

    lease_seconds: int = Field(default=30 * 60, gt=0)
    cursor_secret: SecretStr = SecretStr("local-dev-cursor-secret-change-me")
    cursor_secret_id: str | None = Field(
        default=None,
        description="Secrets Manager secret (name or ARN) holding the cursor secret, read once "
        "at start-up instead of FACTCHECK_CURSOR_SECRET (the deployed stack's own secret).",
    )
    max_document_bytes: int = Field(default=200_000, gt=0)
    stuck_after_seconds: int = Field(default=15 * 60, gt=0)
    max_requeues: int = Field(
        default=3,
        ge=1,
        description="The sweeper re-queues a stuck document at most this many times, then "
        "marks it failed (its message is in the documents DLQ, whose alarm has fired).",
    )
    serialise_storage: bool | None = Field(
        default=None,
        description="Serialise this process's DynamoDB calls (moto is not safe for concurrent "
        "requests: docs/storage.md). None: on for target=local, off otherwise.",
    )

    organisation_name: str = "factcheck newsroom"
    organisation_url: str = "https://example.org"
    public_base_url: str = "http://127.0.0.1:8000"
    rating_scale: list[RatingLevel] = Field(default_factory=lambda: list(DEFAULT_RATING_SCALE))

    webhooks_allow_private: bool = Field(
        default=False,
        description="Allow webhook URLs that resolve to private, loopback or link-local "
        "addresses (server-side request forgery guard; only for local development).",
    )
    webhooks_timeout_seconds: float = Field(default=5.0, gt=0, le=30)
    webhooks_backoff_seconds: int = Field(
        default=30, ge=0, description="First retry delay of a failed delivery; doubles each try."
    )
    webhooks_backoff_max_seconds: int = Field(default=900, ge=0, le=43_200)

    extraction_threshold: float | None = Field(
        default=None, ge=0.0, le=1.0, description="Override the dev-chosen threshold."
    )

    def boto_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for boto3.client/resource that honour `target`."""
        kwargs: dict[str, Any] = {"region_name": self.region}
        if self.target is not Target.AWS:
            # Emulators accept any credentials; fixed dummies mean a laptop with no AWS
            # configuration works, and one with real credentials never sends them locally.
            kwargs["aws_access_key_id"] = "local"
            kwargs["aws_secret_access_key"] = "local"
        if self.endpoint_url:
            kwargs["endpoint_url"] = self.endpoint_url
        elif self.target is Target.LOCALSTACK:
            import localstack_client.config as ls_config  # only when LocalStack is chosen

            kwargs["endpoint_url"] = ls_config.get_service_endpoint("sqs") or ""
        return kwargs


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings from the environment, read once per process (Lambda cold start, CLI run)."""
    settings = Settings()
    if settings.cursor_secret_id:
        import boto3
        from aws_lambda_powertools.utilities.parameters import SecretsProvider

        client = boto3.client("secretsmanager", **settings.boto_kwargs())
        secret = SecretsProvider(boto3_client=client).get(settings.cursor_secret_id)
        settings = settings.model_copy(update={"cursor_secret": SecretStr(str(secret))})
    return settings
