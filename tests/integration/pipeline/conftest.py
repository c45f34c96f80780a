"""Pipeline integration fixtures: a moto server process, the real extractor, fast retries."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from events.factories import FAST_RETRY
from factcheck.local.moto_process import MotoProcess
from factcheck.local.resources import QUEUE_SETTINGS_FIELD, provision
from factcheck.pipeline import services as services_mod
from factcheck.pipeline.queues import Queues
from factcheck.pipeline.services import Services
from factcheck.settings import Settings, get_settings


@pytest.fixture
def pipeline(server_settings: Settings) -> Services:
    return Services.from_settings(server_settings, queues=Queues(server_settings, retry=FAST_RETRY))


@pytest.fixture
def other_settings(moto_server: MotoProcess) -> Settings:
    """A second, independent set of table and queues on the same moto server."""
    name = f"other-{id(object())}"
    base = Settings(
        endpoint_url=moto_server.endpoint_url,
        table_name=name,
        cursor_secret="test-cursor-secret-0123456789",  # type: ignore[arg-type]
    )
    return provision(base, prefix=name)


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Settings], None]]:
    """Point `factcheck` (the CLI reads settings from the environment) at test resources."""

    def use(settings: Settings) -> None:
        fields = ["endpoint_url", "table_name", "region", *QUEUE_SETTINGS_FIELD.values()]
        for name in fields:
            value = getattr(settings, name)
            if value is not None:
                monkeypatch.setenv(f"FACTCHECK_{name.upper()}", str(value))
        get_settings.cache_clear()
        services_mod.reset()

    yield use
    get_settings.cache_clear()
    services_mod.reset()
