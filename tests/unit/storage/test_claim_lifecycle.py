"""The claim lifecycle: every transition, every illegal one, leases, four eyes, history.

The same bodies run against a moto server process (tests/integration/storage). Time is
injected through `now`; nothing sleeps.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

import pytest

from factcheck.domain.errors import (
    FactcheckError,
    Forbidden,
    FourEyesViolation,
    IllegalTransition,
    InvalidInput,
    LeaseConflict,
    NotFound,
)
from factcheck.domain.lifecycle import Actor
from factcheck.domain.models import Claim, ClaimStatus, Role, Source
from factcheck.storage import keys
from factcheck.storage.claims import claim_item
from factcheck.storage.codec import serialise
from factcheck.storage.dynamo import DynamoRepository
from factories import T0, drive_to, make_claim, verdict

pytestmark = pytest.mark.unit

LEASE = timedelta(minutes=30)  # Settings.lease_seconds default
# A bare name acts with the least role that may take the action (a reviewer for dismiss);
# where an editor's powers matter the test says so with an Actor.
ED = Actor(name="ed", role=Role.EDITOR)


def source(n: int = 1) -> Source:
    return Source(id=f"s{n}", url=f"https://example.org/{n}", added_by="whoever")


def snapshot(repo: DynamoRepository) -> list[str]:
    """Every stored item, canonically: what 'nothing changed' is checked against."""
    return sorted(json.dumps(item, sort_keys=True) for item in repo.export_items())


def raw_claim_item(repo: DynamoRepository, claim_id: str) -> dict[str, object]:
    """The claim's stored item as DynamoDB holds it (DynamoDB JSON)."""
    key = serialise(keys.claim_key(claim_id))
    (item,) = [i for i in repo.export_items() if all(i[k] == v for k, v in key.items())]
    return item


def claim_in(repo: DynamoRepository, status: ClaimStatus) -> Claim:
    """A claim brought to `status` the legal way: alice reviews, ed edits."""
    claim = make_claim()
    repo.put_claim(claim)
    return drive_to(repo, claim.id, status)


Op = Callable[[DynamoRepository, str], Claim]
OPS: dict[str, Op] = {
    "lease": lambda r, c: r.lease(c, "bob", now=T0),
    "release": lambda r, c: r.release(c, "alice", now=T0),
    "add_source": lambda r, c: r.add_source(c, "alice", source(9), now=T0),
    "give_verdict": lambda r, c: r.give_verdict(c, "alice", verdict(), now=T0),
    "approve": lambda r, c: r.approve(c, "ed", now=T0),
    "send_back": lambda r, c: r.send_back(c, "ed", "check the source", now=T0),
    "dismiss": lambda r, c: r.dismiss(c, Actor(name="alice", role=Role.EDITOR), "no", now=T0),
    "restore": lambda r, c: r.restore(c, "ed", now=T0),
    "correct": lambda r, c: r.correct(c, "ed", "The figure was for 2019.", now=T0),
    "retract": lambda r, c: r.retract(c, "ed", "The source was forged.", now=T0),
}
LEGAL = {
    ClaimStatus.QUEUED: {"lease": ClaimStatus.IN_REVIEW, "dismiss": ClaimStatus.DISMISSED},
    ClaimStatus.IN_REVIEW: {
        "release": ClaimStatus.QUEUED,
        "add_source": ClaimStatus.IN_REVIEW,
        "give_verdict": ClaimStatus.REVIEWED,
        "dismiss": ClaimStatus.DISMISSED,
    },
    ClaimStatus.REVIEWED: {
        "approve": ClaimStatus.PUBLISHED,
        "send_back": ClaimStatus.QUEUED,
        "dismiss": ClaimStatus.DISMISSED,
    },
    ClaimStatus.PUBLISHED: {"correct": ClaimStatus.QUEUED, "retract": ClaimStatus.RETRACTED},
    ClaimStatus.DISMISSED: {"restore": ClaimStatus.QUEUED},
    ClaimStatus.RETRACTED: {},
}
ACTION = {
    "lease": "leased",
    "release": "released",
    "add_source": "source_added",
    "give_verdict": "verdict_given",
    "approve": "approved",
    "send_back": "sent_back",
    "dismiss": "dismissed",
    "restore": "restored",
    "correct": "correction_opened",
    "retract": "retracted",
}
ILLEGAL = [
    (status, op)
    for status in ClaimStatus
    for op in OPS
    # bob leasing alice's live lease is a LeaseConflict, tested on its own below
    if op not in LEGAL[status] and not (status is ClaimStatus.IN_REVIEW and op == "lease")
]
LEGAL_PAIRS = [(status, op, to) for status, ops in LEGAL.items() for op, to in ops.items()]


# --- writing a claim ---------------------------------------------------------------------


def test_a_new_claim_is_stored_queued_at_version_zero_with_its_first_event(
    repo: DynamoRepository,
) -> None:
    # GIVEN a claim extracted from a document
    claim = make_claim()
    # WHEN it is written
    created = repo.put_claim(claim)
    # THEN it is queued at version 0 and its history starts with "queued" from nowhere
    assert created is True
    stored = repo.get_claim(claim.id)
    assert (stored.status, stored.version, stored.text) == (ClaimStatus.QUEUED, 0, claim.text)
    (event,) = repo.history(claim.id)
    assert (event.seq, event.action, event.from_status, event.to_status) == (
        0,
        "queued",
        None,
        ClaimStatus.QUEUED,
    )


def test_writing_the_same_claim_twice_reports_it_exists_and_changes_nothing(
    repo: DynamoRepository,
) -> None:
    # GIVEN a stored claim
    claim = make_claim()
    repo.put_claim(claim)
    before = snapshot(repo)
    # WHEN the same claim arrives again (a duplicate SQS delivery), even with other fields
    again = repo.put_claim(claim.model_copy(update={"score": 0.1, "text": "changed"}))
    # THEN it reports "already there" and the table holds exactly the same items
    assert again is False
    assert snapshot(repo) == before


def test_a_duplicate_delivery_after_review_started_does_not_reset_the_claim(
    repo: DynamoRepository,
) -> None:
    # GIVEN a claim that is already in review
    claim = claim_in(repo, ClaimStatus.IN_REVIEW)
    before = snapshot(repo)
    # WHEN the pipeline delivers it again
    assert repo.put_claim(make_claim()) is False
    # THEN the review is untouched
    assert snapshot(repo) == before
    assert repo.get_claim(claim.id).lease_holder == "alice"


def test_the_claims_of_a_document_come_back_in_text_order(repo: DynamoRepository) -> None:
    # GIVEN three claims of one document written out of order
    claims = [make_claim(f"Claim number {n}.", start=n * 100) for n in (3, 1, 2)]
    for claim in claims:
        repo.put_claim(claim)
    # WHEN the document's claims are listed
    listed = repo.document_claims(claims[0].document_id)
    # THEN they are in the order of their offsets
    assert [c.start for c in listed] == [100, 200, 300]
    assert repo.document_claims("d-unknown") == []


# --- every legal transition ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "op", "to"), LEGAL_PAIRS, ids=[f"{s.value}-{o}" for s, o, _ in LEGAL_PAIRS]
)
def test_each_legal_transition_moves_the_claim_and_appends_one_event(
    repo: DynamoRepository, status: ClaimStatus, op: str, to: ClaimStatus
) -> None:
    # GIVEN a claim in `status`
    claim = claim_in(repo, status)
    events_before = repo.history(claim.id)
    # WHEN the transition runs
    returned = OPS[op](repo, claim.id)
    # THEN the stored claim is in the new status, one version on, and equals what was returned
    stored = repo.get_claim(claim.id)
    assert stored.status is to
    assert stored.version == claim.version + 1
    assert stored == returned
    # AND the stored item is exactly what storing the returned claim afresh writes (the
    # update sets only what changed, so nothing stale may survive it, index keys included)
    assert raw_claim_item(repo, claim.id) == serialise(claim_item(returned))
    # AND exactly one event was appended, with who, from, to and what
    events = repo.history(claim.id)
    assert events[:-1] == events_before
    last = events[-1]
    assert (last.seq, last.action, last.from_status, last.to_status) == (
        stored.version,
        ACTION[op],
        status,
        to,
    )
    assert last.actor in {"alice", "bob", "ed"}
    assert last.at == T0


# --- every illegal transition --------------------------------------------------------------


@pytest.mark.parametrize(("status", "op"), ILLEGAL, ids=[f"{s.value}-{o}" for s, o in ILLEGAL])
def test_an_illegal_transition_is_refused_and_writes_nothing(
    repo: DynamoRepository, status: ClaimStatus, op: str
) -> None:
    # GIVEN a claim in `status`
    claim = claim_in(repo, status)
    before = snapshot(repo)
    # WHEN a transition that is not allowed from there is attempted
    with pytest.raises(IllegalTransition) as raised:
        OPS[op](repo, claim.id)
    # THEN it is an IllegalTransition (409) that names the state, and nothing changed
    assert raised.value.http_status == 409
    assert status.value in raised.value.message
    assert snapshot(repo) == before


@pytest.mark.parametrize("op", sorted(OPS))
def test_a_transition_on_an_unknown_claim_is_not_found(repo: DynamoRepository, op: str) -> None:
    # GIVEN an empty table
    # WHEN a transition names a claim that does not exist
    # THEN it is NotFound and nothing is written
    with pytest.raises(NotFound):
        OPS[op](repo, "c-unknown")
    assert snapshot(repo) == []


def test_the_history_of_an_unknown_claim_is_not_found(repo: DynamoRepository) -> None:
    with pytest.raises(NotFound):
        repo.history("c-unknown")
    with pytest.raises(NotFound):
        repo.get_claim("c-unknown")


# --- leases --------------------------------------------------------------------------------


def test_a_claim_leased_by_one_reviewer_cannot_be_leased_by_another(
    repo: DynamoRepository,
) -> None:
    # GIVEN alice holds the lease
    claim = claim_in(repo, ClaimStatus.IN_REVIEW)
    before = snapshot(repo)
    # WHEN bob tries to lease it before it expires
    with pytest.raises(LeaseConflict) as raised:
        repo.lease(claim.id, "bob", now=T0 + LEASE - timedelta(seconds=1))
    # THEN he is told who holds it, and nothing changed
    assert "alice" in raised.value.message
    assert raised.value.detail["holder"] == "alice"
    assert snapshot(repo) == before


def test_a_lease_runs_for_the_configured_time(repo: DynamoRepository) -> None:
    # GIVEN a queued claim
    claim = claim_in(repo, ClaimStatus.QUEUED)
    # WHEN alice leases it
    leased = repo.lease(claim.id, "alice", now=T0)
    # THEN she holds it until now + lease_seconds
    assert leased.lease_holder == "alice"
    assert leased.lease_expires_at == T0 + timedelta(seconds=repo.settings.lease_seconds)


def test_an_expired_lease_can_be_taken_over_and_the_history_says_from_whom(
    repo: DynamoRepository,
) -> None:
    # GIVEN alice's lease has just expired
    claim = claim_in(repo, ClaimStatus.IN_REVIEW)
    later = T0 + LEASE
    # WHEN bob leases the claim
    taken = repo.lease(claim.id, "bob", now=later)
    # THEN bob holds a fresh lease and the event records the previous holder
    assert (taken.status, taken.lease_holder) == (ClaimStatus.IN_REVIEW, "bob")
    assert taken.lease_expires_at == later + LEASE
    last = repo.history(claim.id)[-1]
    assert (last.action, last.actor, last.detail["previous_holder"]) == ("leased", "bob", "alice")
    # AND alice, whose lease is gone, can no longer work on it
    with pytest.raises(LeaseConflict):
        repo.add_source(claim.id, "alice", source(), now=later)
    with pytest.raises(LeaseConflict):
        repo.give_verdict(claim.id, "alice", verdict(), now=later)
    with pytest.raises(LeaseConflict):
        repo.release(claim.id, "alice", now=later)


def test_leasing_again_by_the_holder_renews_the_lease(repo: DynamoRepository) -> None:
    # GIVEN alice holds the lease
    claim = claim_in(repo, ClaimStatus.IN_REVIEW)
    # WHEN she leases it again twenty minutes later
    renewed = repo.lease(claim.id, "alice", now=T0 + timedelta(minutes=20))
    # THEN the lease runs from then, and the history says "lease_renewed"
    assert renewed.lease_expires_at == T0 + timedelta(minutes=20) + LEASE
    assert repo.history(claim.id)[-1].action == "lease_renewed"


def test_a_verdict_after_the_lease_expired_is_refused(repo: DynamoRepository) -> None:
    # GIVEN alice's lease has expired (nobody took it over)
    claim = claim_in(repo, ClaimStatus.IN_REVIEW)
    before = snapshot(repo)
    # WHEN she gives a verdict or adds a source
    # THEN both are refused as lease conflicts and nothing is written
    with pytest.raises(LeaseConflict, match="expired"):
        repo.give_verdict(claim.id, "alice", verdict(), now=T0 + LEASE)
    with pytest.raises(LeaseConflict, match="expired"):
        repo.add_source(claim.id, "alice", source(), now=T0 + LEASE + timedelta(hours=1))
    assert snapshot(repo) == before


def test_only_the_lease_holder_may_release_add_sources_or_give_a_verdict(
    repo: DynamoRepository,
) -> None:
    # GIVEN alice holds a live lease
    claim = claim_in(repo, ClaimStatus.IN_REVIEW)
    before = snapshot(repo)
    # WHEN bob tries to work on the claim
    # THEN each attempt is a LeaseConflict and nothing changed
    with pytest.raises(LeaseConflict):
        repo.release(claim.id, "bob", now=T0)
    with pytest.raises(LeaseConflict):
        repo.add_source(claim.id, "bob", source(), now=T0)
    with pytest.raises(LeaseConflict):
        repo.give_verdict(claim.id, "bob", verdict(), now=T0)
    assert snapshot(repo) == before


def test_releasing_puts_the_claim_back_in_the_queue_without_a_holder(
    repo: DynamoRepository,
) -> None:
    # GIVEN alice holds the lease
    claim = claim_in(repo, ClaimStatus.IN_REVIEW)
    # WHEN she releases it
    released = repo.release(claim.id, "alice", now=T0)
    # THEN it is queued, unheld, and anyone can lease it
    assert (released.status, released.lease_holder, released.lease_expires_at) == (
        ClaimStatus.QUEUED,
        None,
        None,
    )
    assert repo.lease(claim.id, "bob", now=T0).lease_holder == "bob"


# --- sources and verdicts ------------------------------------------------------------------


def test_sources_are_attached_by_the_holder_and_the_same_source_twice_is_a_no_op(
    repo: DynamoRepository,
) -> None:
    # GIVEN alice holds the lease
    claim = claim_in(repo, ClaimStatus.IN_REVIEW)
    # WHEN she adds two sources, and the first one again
    repo.add_source(claim.id, "alice", source(1), now=T0)
    repo.add_source(claim.id, "alice", source(2), now=T0)
    again = repo.add_source(claim.id, "alice", source(1), now=T0)
    # THEN the claim holds both, stamped with her name, and the history two source events
    assert [s.id for s in again.sources] == ["s1", "s2"]
    assert {s.added_by for s in again.sources} == {"alice"}
    actions = [e.action for e in repo.history(claim.id)]
    assert actions.count("source_added") == 2


def test_a_verdict_is_recorded_with_the_reviewer_and_the_lease_ends(
    repo: DynamoRepository,
) -> None:
    # GIVEN alice holds the lease
    claim = claim_in(repo, ClaimStatus.IN_REVIEW)
    # WHEN she gives a verdict (the rating spelled in another case)
    reviewed = repo.give_verdict(claim.id, "alice", verdict("MOSTLY TRUE"), now=T0)
    # THEN the verdict carries the scale's label, her name and the time, and she holds nothing
    assert reviewed.verdict is not None
    assert (reviewed.verdict.rating, reviewed.verdict.reviewer) == ("Mostly true", "alice")
    assert reviewed.verdict.given_at == T0
    assert (reviewed.lease_holder, reviewed.lease_expires_at) == (None, None)


@pytest.mark.parametrize("rating", ["Pants on fire", "", "5"])
def test_a_rating_off_the_scale_is_invalid_input_and_writes_nothing(
    repo: DynamoRepository, rating: str
) -> None:
    # GIVEN alice holds the lease
    claim = claim_in(repo, ClaimStatus.IN_REVIEW)
    before = snapshot(repo)
    # WHEN she rates with a label that is not on the scale
    with pytest.raises(InvalidInput) as raised:
        repo.give_verdict(claim.id, "alice", verdict(rating), now=T0)
    # THEN the error lists the allowed labels, and nothing changed
    assert "Unverifiable" in raised.value.detail["allowed"]  # type: ignore[operator]
    assert snapshot(repo) == before


def test_unverifiable_is_an_accepted_outcome(repo: DynamoRepository) -> None:
    claim = claim_in(repo, ClaimStatus.IN_REVIEW)
    reviewed = repo.give_verdict(claim.id, "alice", verdict("Unverifiable"), now=T0)
    assert reviewed.verdict is not None and reviewed.verdict.rating == "Unverifiable"


# --- editors -------------------------------------------------------------------------------


def test_the_reviewer_who_gave_the_verdict_cannot_approve_it(repo: DynamoRepository) -> None:
    # GIVEN alice gave the verdict
    claim = claim_in(repo, ClaimStatus.REVIEWED)
    before = snapshot(repo)
    # WHEN alice tries to approve it herself
    with pytest.raises(FourEyesViolation) as raised:
        repo.approve(claim.id, "alice", now=T0)
    # THEN four eyes forbid it (409) and nothing changed
    assert raised.value.http_status == 409
    assert snapshot(repo) == before


def test_approval_by_another_editor_publishes_the_claim(repo: DynamoRepository) -> None:
    # GIVEN alice gave the verdict
    claim = claim_in(repo, ClaimStatus.REVIEWED)
    # WHEN ed approves it
    published = repo.approve(claim.id, "ed", now=T0 + timedelta(hours=2))
    # THEN it is published, by ed, at that time, with alice's verdict
    assert published.status is ClaimStatus.PUBLISHED
    assert (published.approved_by, published.published_at) == ("ed", T0 + timedelta(hours=2))
    assert published.verdict is not None and published.verdict.reviewer == "alice"


def test_sending_back_requeues_with_the_comment_and_keeps_the_old_verdict_in_history(
    repo: DynamoRepository,
) -> None:
    # GIVEN alice gave a verdict and added a source
    claim = claim_in(repo, ClaimStatus.QUEUED)
    repo.lease(claim.id, "alice", now=T0)
    repo.add_source(claim.id, "alice", source(), now=T0)
    repo.give_verdict(claim.id, "alice", verdict("True"), now=T0)
    # WHEN ed sends it back with a comment
    back = repo.send_back(claim.id, "ed", "The 3–1 figure needs a second source.", now=T0)
    # THEN the claim is queued with the comment, no current verdict, and its sources kept
    assert (back.status, back.comment, back.verdict) == (
        ClaimStatus.QUEUED,
        "The 3–1 figure needs a second source.",
        None,
    )
    assert [s.id for s in back.sources] == ["s1"]
    # AND the history keeps the verdict that was sent back
    last = repo.history(claim.id)[-1]
    assert last.action == "sent_back"
    assert last.detail["previous_rating"] == "True"
    assert last.detail["previous_reviewer"] == "alice"
    # AND the claim can be leased and reviewed again
    repo.lease(claim.id, "bob", now=T0)
    assert repo.give_verdict(claim.id, "bob", verdict("Half true"), now=T0).status == "reviewed"


@pytest.mark.parametrize("blank", ["", "   "])
def test_send_back_needs_a_comment_and_dismiss_needs_a_reason(
    repo: DynamoRepository, blank: str
) -> None:
    claim = claim_in(repo, ClaimStatus.REVIEWED)
    before = snapshot(repo)
    with pytest.raises(InvalidInput):
        repo.send_back(claim.id, "ed", blank, now=T0)
    with pytest.raises(InvalidInput):
        repo.dismiss(claim.id, "ed", blank, now=T0)
    assert snapshot(repo) == before


@pytest.mark.parametrize(
    "status", [ClaimStatus.QUEUED, ClaimStatus.IN_REVIEW, ClaimStatus.REVIEWED]
)
def test_a_claim_can_be_dismissed_with_a_reason_from_any_active_state(
    repo: DynamoRepository, status: ClaimStatus
) -> None:
    # GIVEN a claim in an active state
    claim = claim_in(repo, status)
    # WHEN its reviewer (an editor once it is reviewed) dismisses it with a reason
    who = ED if status is ClaimStatus.REVIEWED else "alice"
    dismissed = repo.dismiss(claim.id, who, "duplicate of an earlier claim", now=T0)
    # THEN it is dismissed, the reason is kept, and no lease survives
    assert dismissed.status is ClaimStatus.DISMISSED
    assert dismissed.dismiss_reason == "duplicate of an earlier claim"
    assert dismissed.lease_holder is None
    assert repo.history(claim.id)[-1].detail == {"reason": "duplicate of an earlier claim"}


def test_dismissing_a_claim_someone_else_holds_needs_an_explicit_override(
    repo: DynamoRepository,
) -> None:
    # GIVEN alice holds a live lease
    claim = claim_in(repo, ClaimStatus.IN_REVIEW)
    # WHEN ed, an editor, dismisses it without, then with, the override
    with pytest.raises(LeaseConflict):
        repo.dismiss(claim.id, ED, "off topic", now=T0)
    dismissed = repo.dismiss(claim.id, ED, "off topic", now=T0, override_lease=True)
    # THEN only the override goes through
    assert dismissed.status is ClaimStatus.DISMISSED
    # AND a reviewer gets no override: bob may never dismiss alice's claim
    other = make_claim("Another claim held by alice.", start=100)
    repo.put_claim(other)
    drive_to(repo, other.id, ClaimStatus.IN_REVIEW)
    with pytest.raises(LeaseConflict):
        repo.dismiss(other.id, "bob", "off topic", now=T0, override_lease=True)


def test_a_reviewer_may_not_dismiss_a_reviewed_claim_and_nothing_is_written(
    repo: DynamoRepository,
) -> None:
    # GIVEN alice gave the verdict
    claim = claim_in(repo, ClaimStatus.REVIEWED)
    before = snapshot(repo)
    # WHEN a reviewer (alice herself, or bob) dismisses it
    for who in ("alice", "bob"):
        with pytest.raises(Forbidden, match="Only an editor"):
            repo.dismiss(claim.id, who, "off topic", now=T0)
        with pytest.raises(Forbidden):
            repo.mark_duplicate(claim.id, who, "c-whatever", now=T0)
    # THEN it is forbidden and nothing changed
    assert snapshot(repo) == before


def test_a_restored_claim_is_queued_again_and_its_history_keeps_the_dismissal(
    repo: DynamoRepository,
) -> None:
    # GIVEN ed dismissed a reviewed claim
    claim = claim_in(repo, ClaimStatus.REVIEWED)
    repo.dismiss(claim.id, ED, "Opinion.", now=T0)
    # WHEN ed restores it
    restored = repo.restore(claim.id, "ed", now=T0 + timedelta(minutes=1))
    # THEN it is queued without the dismissal or the old verdict, and anyone may lease it
    assert (restored.status, restored.dismiss_reason, restored.verdict) == (
        ClaimStatus.QUEUED,
        None,
        None,
    )
    last = repo.history(claim.id)[-1]
    assert (last.action, last.actor, last.detail["previous_reason"]) == (
        "restored",
        "ed",
        "Opinion.",
    )
    assert last.detail["previous_rating"] == "Mostly true"
    assert repo.lease(claim.id, "bob", now=T0 + timedelta(minutes=2)).lease_holder == "bob"


# --- history -------------------------------------------------------------------------------


def test_the_history_lists_every_transition_in_order_with_who_from_and_to(
    repo: DynamoRepository,
) -> None:
    # GIVEN a claim that went through a full review with a send-back
    claim = make_claim()
    repo.put_claim(claim)
    steps: list[Callable[[], object]] = [
        lambda: repo.lease(claim.id, "alice", now=T0),
        lambda: repo.add_source(claim.id, "alice", source(), now=T0 + timedelta(minutes=1)),
        lambda: repo.give_verdict(claim.id, "alice", verdict(), now=T0 + timedelta(minutes=2)),
        lambda: repo.send_back(claim.id, "ed", "more sources", now=T0 + timedelta(minutes=3)),
        lambda: repo.lease(claim.id, "bob", now=T0 + timedelta(minutes=4)),
        lambda: repo.release(claim.id, "bob", now=T0 + timedelta(minutes=5)),
        lambda: repo.lease(claim.id, "alice", now=T0 + timedelta(minutes=6)),
        lambda: repo.give_verdict(claim.id, "alice", verdict(), now=T0 + timedelta(minutes=7)),
        lambda: repo.approve(claim.id, "ed", now=T0 + timedelta(minutes=8)),
    ]
    for step in steps:
        step()
    # WHEN its history is read
    history = repo.history(claim.id)
    # THEN it has every event, in order, with actor, action, from and to
    got = [(e.seq, e.actor, e.action, e.from_status, e.to_status) for e in history]
    q, r, v, p = ClaimStatus.QUEUED, ClaimStatus.IN_REVIEW, ClaimStatus.REVIEWED, "published"
    assert got == [
        (0, "pipeline", "queued", None, q),
        (1, "alice", "leased", q, r),
        (2, "alice", "source_added", r, r),
        (3, "alice", "verdict_given", r, v),
        (4, "ed", "sent_back", v, q),
        (5, "bob", "leased", q, r),
        (6, "bob", "released", r, q),
        (7, "alice", "leased", q, r),
        (8, "alice", "verdict_given", r, v),
        (9, "ed", "approved", v, p),
    ]
    assert [e.at for e in history[1:]] == [T0 + timedelta(minutes=m) for m in range(9)]
    assert repo.get_claim(claim.id).version == 9


def test_history_survives_more_events_than_one_page(repo: DynamoRepository) -> None:
    # GIVEN a claim with 32 events (many lease renewals)
    claim = claim_in(repo, ClaimStatus.IN_REVIEW)
    for minute in range(1, 31):
        repo.lease(claim.id, "alice", now=T0 + timedelta(minutes=minute))
    # AND a repository on the same table that reads 5 items per Query page
    paged = DynamoRepository(repo.settings, query_page_size=5)
    queries: list[str] = []
    paged.client.meta.events.register(
        "before-call.dynamodb.Query", lambda model, **_: queries.append(model.name)
    )
    # WHEN the history is read THEN every event is there in sequence
    assert [e.seq for e in paged.history(claim.id)] == list(range(32))
    # AND it took every page: 33 items (the claim and 32 events), 5 a page
    assert len(queries) >= 7


def test_domain_errors_carry_a_stable_code_and_http_status() -> None:
    assert issubclass(LeaseConflict, FactcheckError)
    assert (IllegalTransition.code, IllegalTransition.http_status) == ("illegal_transition", 409)
    assert (LeaseConflict.http_status, FourEyesViolation.http_status) == (409, 409)
