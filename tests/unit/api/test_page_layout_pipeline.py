"""A real news page through the product: the API renders it and stores its text with the
page's block layout, the pipeline extracts the stored document, the store step stores the
claims — and they are exactly the claims of the HTML itself (headlines, captions and other
blocks the plain text cannot tell from prose stay out). A document stored without a layout
(plain text, or stored before layouts were kept) extracts from its text alone, as before."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from factcheck.domain.models import Claim, Document
from factcheck.extraction.extractor import ExtractedClaim, extract_document
from factcheck.ids import document_id
from factcheck.pipeline.extract import process_document
from factcheck.pipeline.messages import ClaimMessage
from factcheck.pipeline.queues import Queues
from factcheck.pipeline.services import make_extractor
from factcheck.pipeline.store import store_claim
from factcheck.settings import Settings
from factcheck.storage.dynamo import DynamoRepository

pytestmark = pytest.mark.unit

PAGES = Path(__file__).parents[2] / "data" / "pages"  # provenance: tests/data/pages/README.md
NEWS = (PAGES / "nationalgeographic.co.uk.goats.html").read_text(encoding="utf-8")


def _store_queued(repo: DynamoRepository, settings: Settings) -> int:
    """The store step on every claim message waiting on the claims queue; how many."""
    queues = Queues(settings)
    url = str(settings.claims_queue_url)
    stored = 0
    while True:
        got = queues.client.receive_message(QueueUrl=url, MaxNumberOfMessages=10)
        messages = got.get("Messages", [])
        if not messages:
            return stored
        for m in messages:
            store_claim(repo, ClaimMessage.model_validate_json(m["Body"]))
            queues.client.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
            stored += 1


def _rows(claims: list[Claim] | list[ExtractedClaim]) -> list[tuple[Any, ...]]:
    return sorted((c.start, c.end, c.id, c.text, round(c.score, 9)) for c in claims)


def _extracted(repo: DynamoRepository, settings: Settings, doc_id: str) -> list[Claim]:
    process_document(repo, Queues(settings), make_extractor(), doc_id)
    _store_queued(repo, settings)
    return repo.document_claims(doc_id)


def test_a_news_page_through_the_api_and_the_pipeline_gets_exactly_the_claims_of_its_html(
    client: FlaskClient,
    as_user: Callable[[str], dict[str, str]],
    repo: DynamoRepository,
    settings: Settings,
) -> None:
    headers = as_user("sam-submitter")
    created = client.post("/documents", json={"html": NEWS}, headers=headers)
    assert created.status_code == 201, created.get_data(as_text=True)
    body = created.get_json()
    assert "layout" not in body  # internal: the API shows the text, not its blocks
    stored = _extracted(repo, settings, body["id"])
    from_html = extract_document(NEWS, html=True, doc_id=body["id"])
    assert from_html.source == body["text"] and from_html.claims
    assert _rows(stored) == _rows(from_html.claims)
    doc = repo.get_document(body["id"])
    assert doc.status.value == "extracted" and doc.error is None and doc.layout


def test_the_same_text_without_its_layout_still_extracts_as_plain_text_did(
    repo: DynamoRepository, settings: Settings
) -> None:
    # GIVEN the page's text stored as before layouts were kept (what the API stored then)
    text = extract_document(NEWS, html=True).source
    doc, _ = repo.put_document(Document(id=document_id(text), text=text))
    # WHEN the pipeline extracts it THEN its claims are the plain text's, furniture and all
    stored = _extracted(repo, settings, doc.id)
    plain = extract_document(text, html=False, doc_id=doc.id)
    assert _rows(stored) == _rows(plain.claims)
    html_texts = {c.text for c in extract_document(NEWS, html=True).claims}
    assert {c.text for c in stored} - html_texts, "this page leaks furniture as plain text"
