"""Other publishers' checks in matching: an imported ClaimReview is indexed whole (or not at
all), and a new claim that says the same thing is stored with it as an earlier check, in the
publisher's own rating words; one that says something else is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from factcheck.domain.models import ClaimStatus
from factcheck.ids import claim_id
from factcheck.pipeline.external_checks import index_external_checks
from factcheck.pipeline.messages import ClaimMessage
from factcheck.pipeline.store import store_claim
from factcheck.publishing.external import read_paths
from factcheck.storage.dynamo import DynamoRepository
from factcheck.storage.external import EXTERNAL_DOCUMENT

pytestmark = pytest.mark.unit

FIXTURES = Path(__file__).resolve().parents[2] / "data" / "claimreviews"


def _message(text: str, document: str = "d-new-article") -> ClaimMessage:
    return ClaimMessage(
        id=claim_id(document, 0, text),
        document_id=document,
        text=text,
        start=0,
        end=len(text),
        score=0.9,
    )


@pytest.fixture
def imported(repo: DynamoRepository) -> list[str]:
    report = read_paths([FIXTURES])
    return index_external_checks(repo, report.checks).indexed


def test_every_readable_fixture_check_is_indexed(imported: list[str]) -> None:
    assert len(imported) == 5


def test_a_new_claim_saying_the_same_is_matched_to_the_outside_check(
    repo: DynamoRepository, imported: list[str]
) -> None:
    text = "Russia fires two to three times as much ammunition per year as all of NATO combined."
    store_claim(repo, _message(text))
    stored = repo.get_claim(claim_id("d-new-article", 0, text))
    (match,) = [m for m in stored.matches if m.document_id == EXTERNAL_DOCUMENT]
    assert match.rating == "Mostly false"
    assert match.status is ClaimStatus.PUBLISHED
    (check,) = repo.get_external_checks([match.claim_id])
    assert check.publisher == "Example Fact Check Desk"
    assert check.url == "https://factcheck.example.net/2026/11/russia-ammunition-nato"


def test_a_claim_about_something_else_matches_no_outside_check(
    repo: DynamoRepository, imported: list[str]
) -> None:
    text = "Unemployment in Spain fell to 11 percent last year, the lowest since 2008."
    store_claim(repo, _message(text))
    assert repo.get_claim(claim_id("d-new-article", 0, text)).matches == []


def test_importing_the_same_checks_again_rewrites_them_and_adds_nothing(
    repo: DynamoRepository, imported: list[str]
) -> None:
    def content() -> list[str]:
        items = [{k: v for k, v in i.items() if k != "imported_at"} for i in repo.export_items()]
        return sorted(map(str, items))

    before = content()
    again = index_external_checks(repo, read_paths([FIXTURES]).checks)
    assert sorted(again.indexed) == sorted(imported)
    assert content() == before


def test_outside_checks_never_enter_the_review_queue(
    repo: DynamoRepository, imported: list[str]
) -> None:
    for status in ClaimStatus:
        assert repo.review_queue(status=status).items == []
