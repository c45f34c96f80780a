"""schemathesis against /openapi.json (the WSGI app in-process, in-process moto): no 5xx and
no response that breaks the documented contract, with bounded, derandomized examples."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import schemathesis
from flask import Flask
from hypothesis import given
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from factcheck.domain.models import ClaimStatus, Source
from factcheck.storage.dynamo import DynamoRepository
from factories import drive_to, seed_claims
from fuzzing import case_strategy, fuzz_settings, operation_cases
from unit.conftest import share_per_module

pytestmark = [pytest.mark.unit, pytest.mark.slow]

MAX_EXAMPLES = 15

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


# One table, app and set of users for the module: the chain of tests/unit/conftest.py.
aws, mock_settings, settings, repo, app, tokens = share_per_module()


@dataclass(frozen=True)
class Targets:
    """Ids that exist: a document, and claims published, reviewed and queued (in order)."""

    document_id: str
    claim_ids: list[str]


@pytest.fixture(scope="module")
def targets(repo: DynamoRepository) -> Targets:
    """A document and claims in every state, on the module's table."""
    claims = seed_claims(repo, 3, title="Trade", url="https://example.com/a", author="A. Writer")
    ids = [c.id for c in claims]
    # one published (for the public feed), one reviewed, one left queued
    for cid, status in ((ids[0], ClaimStatus.PUBLISHED), (ids[1], ClaimStatus.REVIEWED)):
        repo.lease(cid, "rita")
        repo.add_source(cid, "rita", Source(id="s1", url="https://example.org", added_by="rita"))
        drive_to(repo, cid, status, reviewer="rita", editor="eve", now=None)
    return Targets(document_id=claims[0].document_id, claim_ids=ids)


@pytest.fixture(scope="module")
def api_schema(app: Flask, targets: Targets) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_wsgi("/openapi.json", app)


def _real_ids(path: str, targets: Targets) -> dict[str, str]:
    """Ids that exist, in the state the operation can succeed on."""
    published, reviewed, queued = targets.claim_ids
    claim = {"approve": reviewed, "send-back": reviewed, "claim-reviews": published}
    chosen = next((cid for key, cid in claim.items() if key in path), queued)
    params = {"claim_id": chosen, "doc_id": targets.document_id}
    return {name: value for name, value in params.items() if "{" + name + "}" in path}


@pytest.mark.parametrize(("method", "path", "variant"), operation_cases(), ids=lambda v: str(v))
def test_no_operation_answers_with_a_5xx_or_outside_its_documented_contract(
    api_schema: schemathesis.BaseSchema,
    targets: Targets,
    tokens: dict[str, str],
    method: str,
    path: str,
    variant: str,
) -> None:
    operation = api_schema[path][method]
    params = _real_ids(path, targets) if variant == "real-ids" else None
    headers = {"Authorization": f"Bearer {tokens['ada-admin']}"}

    @given(case=case_strategy(operation, variant, params))
    @fuzz_settings(MAX_EXAMPLES)
    def run(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()
