"""A client generated from the committed OpenAPI document (openapi-python-client, what an
integrator would run) drives the whole workflow and gets typed models back, not dicts:
submit, list, lease, source, verdict, approve, the claim with its Verdict, the public
ClaimReview, and an admin import of another publisher's check."""

from __future__ import annotations

import importlib
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from flask import Flask

from factcheck.local.poller import drain
from factcheck.settings import Settings

pytestmark = [pytest.mark.unit, pytest.mark.slow]

SPEC = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"
FIXTURES = Path(__file__).resolve().parents[2] / "data" / "claimreviews"
PACKAGE = "factcheck_generated_client"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The client package, generated from docs/openapi.json into a temporary folder."""
    tool = shutil.which("openapi-python-client") or str(
        Path(sys.executable).with_name("openapi-python-client")
    )
    out = tmp_path_factory.mktemp("client")
    done = subprocess.run(
        [tool, "generate", "--path", str(SPEC), "--meta", "none",
         "--output-path", str(out / PACKAGE)],
        capture_output=True, text=True, timeout=300, cwd=out, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "will not be generated" not in done.stdout + done.stderr, done.stdout
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def _mod(name: str) -> Any:
    return importlib.import_module(f"{PACKAGE}.{name}")


def _client(app: Flask, token: str) -> Any:
    return _mod("client").AuthenticatedClient(
        base_url="http://factcheck.test",
        token=token,
        httpx_args={"transport": httpx.WSGITransport(app=app)},
    )


def test_the_generated_client_drives_the_workflow_with_typed_models(
    generated: ModuleType,
    app: Flask,
    tokens: dict[str, str],
    mock_settings: Settings,
    seed_text: str,
) -> None:
    models = _mod("models")
    api = "api"
    submitter, reviewer, editor, admin = (
        _client(app, tokens[n])
        for n in ("sam-submitter", "rita-reviewer", "eve-editor", "ada-admin")
    )

    # submit (typed Document), then the pipeline runs
    body = models.DocumentCreate(text=seed_text, title="Summit", url="https://example.org/op-ed")
    document = _mod(f"{api}.documents.post_documents").sync(client=submitter, body=body)
    assert isinstance(document, models.Document), document
    drain(mock_settings, timeout=30)

    # list the queue (typed ClaimPage of Claims) and work the top claim
    page = _mod(f"{api}.claims.get_claims").sync(client=reviewer, limit=5)
    assert isinstance(page, models.ClaimPage) and page.items
    top = page.items[0]
    assert isinstance(top, models.Claim)
    claims = f"{api}.claims"
    leased = _mod(f"{claims}.post_claims_lease").sync(top.id, client=reviewer)
    assert isinstance(leased, models.Claim) and leased.lease_holder == "rita-reviewer"
    source = models.SourceCreate(url="https://example.org/evidence", title="Evidence")
    assert isinstance(
        _mod(f"{claims}.post_claims_sources").sync(top.id, client=reviewer, body=source),
        models.Claim | models.Source,
    )
    # the rating is the scale's enum (the spec lists the configured labels)
    verdict = models.VerdictCreate(
        rating=models.VerdictCreateRating("Mostly true"), summary="Broadly supported."
    )
    _mod(f"{claims}.post_claims_verdict_resource").sync(top.id, client=reviewer, body=verdict)
    approved = _mod(f"{claims}.post_claims_approve").sync(top.id, client=editor)
    assert isinstance(approved, models.Claim), approved

    # the claim comes back with a typed Verdict and DocumentRef, not a catch-all dict
    detail = _mod(f"{claims}.get_claims_claim_by_id").sync(top.id, client=editor)
    assert isinstance(detail, models.ClaimDetail)
    assert isinstance(detail.verdict, models.Verdict) and detail.verdict.rating == "Mostly true"
    assert isinstance(detail.document, models.DocumentRef)

    # the public ClaimReview, with no token at all
    public = _mod("client").Client(
        base_url="http://factcheck.test", httpx_args={"transport": httpx.WSGITransport(app=app)}
    )
    review = _mod(f"{api}.claim_reviews.get_claim_reviews_claim_review_by_id").sync(
        top.id, client=public
    )
    assert isinstance(review, models.ClaimReviewLd), review
    assert isinstance(review.review_rating, models.RatingLd)
    assert review.review_rating.alternate_name == "Mostly true"

    # an editor corrects it: back to review (typed OpenCorrection with the published version)
    corrections = f"{api}.corrections"
    other_reviewer, other_editor = (_client(app, tokens[n]) for n in ("rob-reviewer", "ed-editor"))
    note = "The summit figure was for 2023."
    opened = _mod(f"{corrections}.post_corrections_correct").sync(
        top.id, client=editor, body=models.Correct(note=note)
    )
    assert isinstance(opened, models.Claim), opened
    assert isinstance(opened.correction, models.OpenCorrection)
    assert isinstance(opened.correction.published, models.PublishedVersion)
    assert opened.correction.published.rating == "Mostly true"
    _mod(f"{claims}.post_claims_lease").sync(top.id, client=other_reviewer)
    new_verdict = models.VerdictCreate(
        rating=models.VerdictCreateRating("False"), summary="The 2024 figure is lower."
    )
    _mod(f"{claims}.post_claims_verdict_resource").sync(
        top.id, client=other_reviewer, body=new_verdict
    )
    corrected = _mod(f"{claims}.post_claims_approve").sync(top.id, client=other_editor)
    assert isinstance(corrected, models.Claim), corrected
    (record,) = corrected.corrections
    assert isinstance(record, models.CorrectionRecord)
    assert (record.note, record.previous_rating, record.rating) == (note, "Mostly true", "False")
    get_review = _mod(f"{api}.claim_reviews.get_claim_reviews_claim_review_by_id")
    review = get_review.sync(top.id, client=public)
    assert isinstance(review, models.ClaimReviewLd), review
    assert isinstance(review.date_modified, datetime)  # date-time: parsed by the client
    assert review.date_modified > review.date_published
    assert review.review_rating.alternate_name == "False"
    history = _mod(f"{claims}.get_claims_history").sync(top.id, client=editor)
    assert isinstance(history, models.History)
    assert "corrected" in [event.action for event in history.items]

    # an admin retracts it: a typed Retraction, and the public ClaimReview is a typed 410 Error
    retracted = _mod(f"{corrections}.post_corrections_retract").sync(
        top.id, client=admin, body=models.Retract(reason="The source was forged.")
    )
    assert isinstance(retracted, models.Claim), retracted
    assert isinstance(retracted.retraction, models.Retraction)
    assert retracted.status == "retracted"
    detailed = get_review.sync_detailed(top.id, client=public)
    assert detailed.status_code == 410
    assert isinstance(detailed.parsed, models.Error), detailed.parsed
    assert detailed.parsed.code == "retracted" and "forged" in detailed.parsed.message

    # an admin imports another publisher's check
    markup = json.loads((FIXTURES / "single.json").read_text())
    report = _mod(f"{api}.claim_reviews.post_claim_reviews_import_claim_reviews").sync(
        client=admin, body=models.PostClaimReviewsImportClaimReviewsBodyType0.from_dict(markup)
    )
    assert isinstance(report, models.ClaimReviewImport) and report.imported == 1
