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
    verdict = models.VerdictCreate(rating="Mostly true", summary="Broadly supported.")
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

    # an admin imports another publisher's check
    markup = json.loads((FIXTURES / "single.json").read_text())
    report = _mod(f"{api}.claim_reviews.post_claim_reviews_import_claim_reviews").sync(
        client=admin, body=models.PostClaimReviewsImportClaimReviewsBodyType0.from_dict(markup)
    )
    assert isinstance(report, models.ClaimReviewImport) and report.imported == 1
