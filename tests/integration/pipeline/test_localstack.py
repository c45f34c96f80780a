"""The same poller and DLQ path against a real LocalStack (SQS), DynamoDB on the moto server.

LocalStack's DynamoDB needs Java and downloads at run time, which these machines lack
(see LOCALSTACK.md), so only the queues live on LocalStack here. Skipped, with the reason,
when no LocalStack answers at FACTCHECK_TEST_LOCALSTACK_URL (default http://127.0.0.1:4566).
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
import uuid

import pytest

from events.factories import FAST_RETRY, TEST_VISIBILITY_TIMEOUT
from events.faults import PoisonExtractor
from factcheck.domain.models import Document, DocumentStatus
from factcheck.ids import document_id
from factcheck.local.moto_process import MotoProcess
from factcheck.local.poller import drain
from factcheck.local.resources import QUEUE_SETTINGS_FIELD, create_queues, create_table
from factcheck.pipeline.queues import Queues
from factcheck.pipeline.services import Services, make_extractor
from factcheck.pipeline.submit import submit_document
from factcheck.pipeline.sweeper import redrive
from factcheck.settings import Settings
from factcheck.storage.dynamo import DynamoRepository
from factcheck.template import load_template, queue_specs

pytestmark = [pytest.mark.integration, pytest.mark.localstack]

LOCALSTACK_URL = os.environ.get("FACTCHECK_TEST_LOCALSTACK_URL", "http://127.0.0.1:4566")


def _localstack_sqs_ready(url: str) -> str | None:
    """None when LocalStack answers with SQS available, else why not."""
    try:
        with urllib.request.urlopen(f"{url}/_localstack/health", timeout=2) as resp:
            health = json.load(resp)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return f"no LocalStack at {url} ({exc}); set FACTCHECK_TEST_LOCALSTACK_URL"
    state = health.get("services", {}).get("sqs")
    if state not in ("available", "running"):
        return f"LocalStack at {url} has no SQS (state: {state})"
    return None


@pytest.fixture
def split_services(moto_server: MotoProcess) -> Services:
    reason = _localstack_sqs_ready(LOCALSTACK_URL)
    if reason:
        pytest.skip(reason)
    name = f"ls{uuid.uuid4().hex[:10]}"
    template = load_template()
    table = Settings(endpoint_url=moto_server.endpoint_url, table_name=name)
    create_table(table, template)
    sqs = Settings(endpoint_url=LOCALSTACK_URL, table_name=name)
    urls = create_queues(sqs, template, name)
    sqs = sqs.model_copy(update={f: urls[lid] for lid, f in QUEUE_SETTINGS_FIELD.items()})
    return Services(
        settings=sqs,
        repository=DynamoRepository(table),
        queues=Queues(sqs, retry=FAST_RETRY),
        extractor=make_extractor(),
    )


def test_on_localstack_a_poison_document_is_dead_lettered_and_completes_after_redrive(
    split_services: Services,
) -> None:
    # GIVEN three documents on LocalStack's queues, one poisoned
    services = split_services
    texts = [f"Prices in town {i} rose {i + 3} percent, twice the national rate." for i in range(3)]
    poison = document_id(texts[1])
    extractor = PoisonExtractor(services.extractor, {poison})
    services.extractor = extractor
    for text in texts:
        submit_document(
            services.repository, services.queues, Document(id=document_id(text), text=text)
        )
    # WHEN the poller drains them with a 1 s visibility timeout
    stats = drain(
        services.settings,
        services=services,
        visibility_timeout=TEST_VISIBILITY_TIMEOUT,
        timeout=30,
    )
    # THEN LocalStack's redrive policy moved the poison message to the DLQ after
    # maxReceiveCount receives
    receives = queue_specs(load_template())["DocumentsQueue"].max_receive_count
    assert extractor.calls[poison] == receives
    assert stats.dlq_depth["DocumentsQueue"] == 1
    for text in texts:
        if document_id(text) != poison:
            assert (
                services.repository.get_document(document_id(text)).status
                is DocumentStatus.EXTRACTED
            )
    # WHEN the fault is removed and the DLQ is re-driven
    extractor.heal()
    report = redrive(services.repository, services.queues, older_than_seconds=3600, dlq=True)
    assert report.moved_from_dlq == {"documents": 1, "claims": 0, "webhooks": 0}
    drain(services.settings, services=services, visibility_timeout=1, timeout=30)
    # THEN it completes
    assert services.repository.get_document(poison).status is DocumentStatus.EXTRACTED
