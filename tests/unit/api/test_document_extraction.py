"""Real pages through the API and the extract step: a page's metadata is on the Document
from submission (the submitter's own fields win), its language and status from extraction;
a page in a language the scorer was not trained for, or with no readable text, ends with
that status and no claims (never English-model claims on another language)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from factcheck.domain.errors import InvalidInput
from factcheck.domain.models import Document, DocumentStatus
from factcheck.ids import document_id
from factcheck.pipeline.extract import process_document
from factcheck.pipeline.queues import Queues
from factcheck.pipeline.services import make_extractor
from factcheck.settings import Settings
from factcheck.storage.dynamo import DynamoRepository

pytestmark = pytest.mark.unit

PAGES = Path(__file__).parents[2] / "data" / "pages"  # provenance: tests/data/pages/README.md
GERMAN = (PAGES / "amnesty.de-waffensysteme.html").read_text(encoding="utf-8")
ENGLISH = (PAGES / "phys.org.tool.html").read_text(encoding="utf-8")
FURNITURE_ONLY = (
    "<html><head><title>Newsletter</title></head><body><article>"
    "<p>Subscribe to our newsletter.</p><p>Follow us on Twitter.</p></article></body></html>"
)
ROLES = ["sam-submitter", "rita-reviewer", "eve-editor", "ada-admin"]


def _queued(settings: Settings) -> int:
    """Claim messages waiting on the claims queue."""
    queues = Queues(settings)
    attrs = queues.client.get_queue_attributes(
        QueueUrl=str(settings.claims_queue_url), AttributeNames=["ApproximateNumberOfMessages"]
    )
    return int(attrs["Attributes"]["ApproximateNumberOfMessages"])


def _submit_and_extract(
    client: FlaskClient,
    headers: dict[str, str],
    repo: DynamoRepository,
    settings: Settings,
    body: dict[str, Any],
) -> dict[str, Any]:
    """POST the page, run the extract step with the shipped extractor, GET the document."""
    created = client.post("/documents", json=body, headers=headers)
    assert created.status_code == 201, created.get_data(as_text=True)
    doc_id = created.get_json()["id"]
    process_document(repo, Queues(settings), make_extractor(), doc_id)
    got = client.get(f"/documents/{doc_id}", headers=headers)
    assert got.status_code == 200
    return dict(got.get_json())


def test_a_german_page_ends_unsupported_language_with_language_de_and_no_claims(
    client: FlaskClient,
    as_user: Callable[[str], dict[str, str]],
    repo: DynamoRepository,
    settings: Settings,
) -> None:
    headers = as_user("sam-submitter")
    doc = _submit_and_extract(client, headers, repo, settings, {"html": GERMAN})
    assert doc["status"] == "unsupported_language"
    assert doc["language"] == "de"
    assert doc["claim_count"] == 0 and "(detected: de)" in doc["error"]
    assert doc["title"].startswith("Global: Autonome Waffensysteme")
    claims = client.get(f"/documents/{doc['id']}/claims", headers=headers).get_json()
    assert claims["items"] == []
    assert _queued(settings) == 0  # nothing was sent for the store step either


def test_a_page_with_only_furniture_ends_no_text_with_no_claims(
    client: FlaskClient,
    as_user: Callable[[str], dict[str, str]],
    repo: DynamoRepository,
    settings: Settings,
) -> None:
    headers = as_user("sam-submitter")
    doc = _submit_and_extract(client, headers, repo, settings, {"html": FURNITURE_ONLY})
    assert doc["status"] == "no_text"
    assert doc["claim_count"] == 0 and "No readable article text" in doc["error"]
    assert _queued(settings) == 0


def test_an_english_page_yields_claims_and_its_metadata_on_the_document(
    client: FlaskClient,
    as_user: Callable[[str], dict[str, str]],
    repo: DynamoRepository,
    settings: Settings,
) -> None:
    headers = as_user("sam-submitter")
    created = client.post("/documents", json={"html": ENGLISH}, headers=headers).get_json()
    # the page's metadata is there from submission, before extraction
    assert created["title"].startswith("Flint flake tool partially covered by birch tar")
    assert created["author"] == "Bob Yirka"
    assert created["site_name"] == "Phys.org"
    assert created["published_at"].startswith("2019-10-22")
    assert created["canonical_url"] == created["url"]
    assert created["url"].startswith("https://phys.org/news/2019-10-flint-flake-tool")
    assert created["language"] is None and created["status"] == "received"
    process_document(repo, Queues(settings), make_extractor(), created["id"])
    doc = client.get(f"/documents/{created['id']}", headers=headers).get_json()
    assert doc["language"] == "en"
    assert doc["claim_count"] > 0 and doc["status"] == "extracting"  # until all are stored
    assert _queued(settings) == doc["claim_count"]


def test_the_submitters_own_fields_win_over_the_pages(
    client: FlaskClient, as_user: Callable[[str], dict[str, str]]
) -> None:
    body = {"html": ENGLISH, "title": "Our title", "author": "Our Desk", "url": "https://x.test/a"}
    doc = client.post("/documents", json=body, headers=as_user("eve-editor")).get_json()
    assert (doc["title"], doc["author"], doc["url"]) == (
        "Our title",
        "Our Desk",
        "https://x.test/a",
    )
    assert doc["site_name"] == "Phys.org"  # what the submitter did not give comes from the page
    assert doc["canonical_url"].startswith("https://phys.org/")


def test_a_redelivered_unsupported_language_document_is_a_no_op(
    repo: DynamoRepository, settings: Settings
) -> None:
    text = "Die Regierung hat am Montag neue Zahlen zur Arbeitslosigkeit vorgelegt. " * 5
    doc, _ = repo.put_document(Document(id=document_id(text), text=text))
    first = process_document(repo, Queues(settings), make_extractor(), doc.id)
    again = process_document(repo, Queues(settings), make_extractor(), doc.id)
    assert not first.already_done and again.already_done and again.claim_count == 0
    stored = repo.get_document(doc.id)
    assert (stored.status, stored.language) == (DocumentStatus.UNSUPPORTED_LANGUAGE, "de")


@pytest.mark.parametrize("final", [DocumentStatus.EXTRACTED, DocumentStatus.RECEIVED])
def test_only_a_status_without_claims_can_end_an_extraction_early(
    repo: DynamoRepository, final: DocumentStatus
) -> None:
    with pytest.raises(InvalidInput):
        repo.record_extraction("d0123456789abcdef", [], final=final)


def test_a_final_status_with_claims_is_refused(repo: DynamoRepository) -> None:
    with pytest.raises(InvalidInput):
        repo.record_extraction("d0123456789abcdef", ["c1"], final=DocumentStatus.NO_TEXT)


@pytest.mark.parametrize("user", ROLES)
def test_every_role_that_reads_documents_sees_the_language_and_page_metadata(
    client: FlaskClient,
    as_user: Callable[[str], dict[str, str]],
    repo: DynamoRepository,
    settings: Settings,
    user: str,
) -> None:
    posted = client.post("/documents", json={"html": GERMAN}, headers=as_user("ada-admin"))
    doc_id = posted.get_json()["id"]
    process_document(repo, Queues(settings), make_extractor(), doc_id)
    doc = client.get(f"/documents/{doc_id}", headers=as_user(user)).get_json()
    fields = {k: doc[k] for k in ("status", "language", "site_name", "canonical_url")}
    assert fields["status"] == "unsupported_language" and fields["language"] == "de"
    assert fields["canonical_url"].startswith("https://www.amnesty.de/")


@pytest.fixture
def english_extracted(
    client: FlaskClient,
    as_user: Callable[[str], dict[str, str]],
    repo: DynamoRepository,
    settings: Settings,
) -> dict[str, Any]:
    """The English page, submitted by the submitter and extracted."""
    return _submit_and_extract(client, as_user("sam-submitter"), repo, settings, {"html": ENGLISH})


def test_all_sentences_are_there_for_a_reviewer_selected_or_not_with_scores_and_gates(
    client: FlaskClient,
    as_user: Callable[[str], dict[str, str]],
    english_extracted: dict[str, Any],
) -> None:
    doc = english_extracted
    got = client.get(f"/documents/{doc['id']}/sentences", headers=as_user("rita-reviewer"))
    assert got.status_code == 200
    body = got.get_json()
    assert body["recorded"] and not body["truncated"] and body["status"] == doc["status"]
    items = body["items"]
    assert [s["text"] for s in items] == [doc["text"][s["start"] : s["end"]] for s in items]
    assert sum(s["selected"] for s in items) == doc["claim_count"]
    below = [s for s in items if not s["selected"]]
    assert below, "the sentences below the line are listed too"
    # selection is best first: what no rule gated and was not chosen scores at most the last
    lowest_claim = min(s["score"] for s in items if s["selected"])
    assert all(s["score"] <= lowest_claim for s in below if not s["gate"])
    assert any(s["gate"] for s in below)  # the page's byline/caption lines say why
    assert all(isinstance(s["logit"], float) for s in items)


@pytest.mark.parametrize(
    ("user", "status"),
    [("sam-submitter", 403), ("rita-reviewer", 200), ("eve-editor", 200), ("ada-admin", 200)],
)
def test_all_sentences_are_for_staff_only(
    client: FlaskClient,
    as_user: Callable[[str], dict[str, str]],
    english_extracted: dict[str, Any],
    user: str,
    status: int,
) -> None:
    got = client.get(f"/documents/{english_extracted['id']}/sentences", headers=as_user(user))
    assert got.status_code == status
    if status == 403:
        assert got.get_json()["code"] == "forbidden" and "items" not in got.get_json()


def test_a_document_with_no_claims_to_look_for_has_no_sentences_recorded(
    client: FlaskClient,
    as_user: Callable[[str], dict[str, str]],
    repo: DynamoRepository,
    settings: Settings,
) -> None:
    doc = _submit_and_extract(client, as_user("eve-editor"), repo, settings, {"html": GERMAN})
    body = client.get(f"/documents/{doc['id']}/sentences", headers=as_user("eve-editor")).get_json()
    assert body["status"] == "unsupported_language" and body["language"] == "de"
    assert (body["recorded"], body["items"]) == (False, [])


def test_the_sentences_of_an_unknown_document_are_a_404(
    client: FlaskClient, as_user: Callable[[str], dict[str, str]]
) -> None:
    got = client.get("/documents/d0123456789abcdef/sentences", headers=as_user("ada-admin"))
    assert got.status_code == 404 and got.get_json()["code"] == "not_found"
