"""Store step: one claim message in, one `queued` claim (and its first event) in DynamoDB.

Idempotent on the claim id (a content hash): a duplicate delivery finds the claim there
and succeeds without writing anything new.

Claim matching happens here, before the claim is written: its fingerprint's LSH buckets
are looked up (a Query per band, no Scan), the candidates verified with
`factcheck.matching.similarity`, and the earlier claims that say the same thing are stored
on the new claim as `matches` (with their status and verdict at that moment). Then the
claim's own index items (LSH buckets, search terms) are written, also on a redelivery, so
an index write a crash cut short is repaired.
"""

from __future__ import annotations

from factcheck.domain.models import Claim, ClaimMatch, ClaimStatus, MatchCandidate
from factcheck.matching import MATCH_THRESHOLD, Fingerprint, fingerprint, lsh_buckets, similarity
from factcheck.matching.terms import search_terms
from factcheck.observability import logger
from factcheck.pipeline.messages import ClaimMessage
from factcheck.storage.external import EXTERNAL_DOCUMENT
from factcheck.storage.ports import ClaimIntake
from factcheck.webhooks.events import WebhookQueues, document_event, emit

MAX_MATCHES = 5


def match_candidate(claim: Claim, fp: Fingerprint) -> MatchCandidate:
    return MatchCandidate(
        claim_id=claim.id,
        document_id=claim.document_id,
        words=sorted(fp.words),
        numbers=sorted(fp.numbers),
        negated=fp.negated,
        direction=fp.direction,
    )


def _fingerprint(candidate: MatchCandidate) -> Fingerprint:
    return Fingerprint(
        words=frozenset(candidate.words),
        numbers=frozenset(candidate.numbers),
        negated=candidate.negated,
        direction=candidate.direction,
    )


def find_matches(
    repo: ClaimIntake, claim: Claim, fp: Fingerprint, buckets: list[str]
) -> list[ClaimMatch]:
    """Earlier claims of other documents that say the same thing, most similar first."""
    scored: list[tuple[float, MatchCandidate]] = []
    for candidate in repo.lsh_candidates(buckets):
        if candidate.claim_id == claim.id or candidate.document_id == claim.document_id:
            continue
        score = similarity(fp, _fingerprint(candidate))
        if score >= MATCH_THRESHOLD:
            scored.append((score, candidate))
    scored.sort(key=lambda pair: (-pair[0], pair[1].claim_id))
    top = scored[:MAX_MATCHES]
    ours = [c.claim_id for _, c in top if c.document_id != EXTERNAL_DOCUMENT]
    theirs = [c.claim_id for _, c in top if c.document_id == EXTERNAL_DOCUMENT]
    current = {c.id: c for c in repo.get_claims(ours)}
    external = {c.id: c for c in repo.get_external_checks(theirs)} if theirs else {}
    matches = []
    for score, candidate in top:
        earlier = current.get(candidate.claim_id)
        if earlier is not None:
            rating = earlier.verdict.rating if earlier.verdict else None
            matches.append(
                ClaimMatch(
                    claim_id=earlier.id,
                    document_id=earlier.document_id,
                    similarity=score,
                    status=earlier.status,
                    rating=rating,
                )
            )
        elif (check := external.get(candidate.claim_id)) is not None:
            # Another publisher's published check: its rating is theirs, in their words.
            matches.append(
                ClaimMatch(
                    claim_id=check.id,
                    document_id=EXTERNAL_DOCUMENT,
                    similarity=score,
                    status=ClaimStatus.PUBLISHED,
                    rating=check.rating,
                )
            )
    return matches


def store_claim(
    repo: ClaimIntake, message: ClaimMessage, queues: WebhookQueues | None = None
) -> bool:
    """Write the claim if absent; True when written now, False when it was already there.

    Then count it on its document (also on a redelivery: the count is idempotent); the
    document's last claim makes it `extracted`, and its document.extracted event is
    queued to webhooks through `queues` (without them, the sweeper queues it later)."""
    claim = message.to_claim()
    fp = fingerprint(claim.text, claim.quantities)
    buckets = lsh_buckets(fp)
    claim = claim.model_copy(update={"matches": find_matches(repo, claim, fp, buckets)})
    created = repo.put_claim(claim)  # False when a redelivery finds it already stored
    repo.index_claim(
        claim,
        buckets=buckets,
        candidate=match_candidate(claim, fp),
        terms=search_terms(claim.text, fp),
    )
    done = repo.claim_stored(claim.document_id, claim.id)
    if done is not None:
        logger.info("document extracted: every claim stored", extra={"document_id": done.id})
        emit(repo, queues, document_event(done))
    if not created:
        logger.info("claim already stored", extra={"claim_id": message.id})
    elif claim.matches:
        logger.info(
            "claim matches earlier claims",
            extra={"claim_id": claim.id, "matches": [m.claim_id for m in claim.matches]},
        )
    return created
