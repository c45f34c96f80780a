"""Pipeline integration fixtures: a moto server process, the real extractor, fast retries."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[2]
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))  # tests/events: sample events, factories, fault injectors

from events.factories import FAST_RETRY  # noqa: E402
from factcheck.local.moto_process import MotoProcess  # noqa: E402
from factcheck.local.resources import QUEUE_SETTINGS_FIELD, provision  # noqa: E402
from factcheck.pipeline import services as services_mod  # noqa: E402
from factcheck.pipeline.queues import Queues  # noqa: E402
from factcheck.pipeline.services import Services  # noqa: E402
from factcheck.settings import Settings, get_settings  # noqa: E402


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
