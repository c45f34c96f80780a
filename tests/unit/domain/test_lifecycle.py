"""The claim lifecycle as pure functions: no database, no moto, time given explicitly.

Every (state, action) pair is checked: a legal one returns the new claim and the event that
records it, an illegal one raises the typed error; `allowed_actions` offers exactly the
actions whose transition would succeed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factcheck.domain import lifecycle
from factcheck.domain.errors import (
    FactcheckError,
    Forbidden,
    FourEyesViolation,
    IllegalTransition,
    InvalidInput,
    LeaseConflict,
)
from factcheck.domain.guards import ROLES
from factcheck.domain.lifecycle import ACTIONS, MAX_SOURCES, Actor, Transition
from factcheck.domain.models import Claim, ClaimStatus, Role, Source
from factcheck.domain.rating import RatingScale
from factcheck.settings import DEFAULT_RATING_SCALE
from factories import T0, make_claim, verdict

pytestmark = pytest.mark.unit

LEASE = timedelta(minutes=30)
SCALE = RatingScale(DEFAULT_RATING_SCALE)
ALICE = Actor(name="alice", role=Role.REVIEWER)
BOB = Actor(name="bob", role=Role.REVIEWER)
ED = Actor(name="ed", role=Role.EDITOR)
ADA = Actor(name="ada", role=Role.ADMIN)
SAM = Actor(name="sam", role=Role.SUBMITTER)
# alice with an editor's role: one actor who may dismiss in every active state
ALICE_EDITOR = Actor(name="alice", role=Role.EDITOR)


def source(n: int = 1) -> Source:
    return Source(id=f"s{n}", url=f"https://example.org/{n}", added_by="whoever")


def apply(claim: Claim, step: Transition | None) -> Claim:
    assert step is not None
    return step.claim


def claim_in(status: ClaimStatus) -> Claim:
    """A claim brought to `status` the legal way, through the lifecycle: alice reviews."""
    claim = make_claim()
    if status is ClaimStatus.QUEUED:
        return claim
    claim = apply(claim, lifecycle.lease(claim, ALICE, T0, lease_for=LEASE))
    if status is ClaimStatus.IN_REVIEW:
        return claim
    if status is ClaimStatus.DISMISSED:
        return apply(claim, lifecycle.dismiss(claim, ALICE, T0, "duplicate"))
    claim = apply(claim, lifecycle.give_verdict(claim, ALICE, T0, verdict(), scale=SCALE))
    if status is ClaimStatus.REVIEWED:
        return claim
    claim = apply(claim, lifecycle.approve(claim, ED, T0))
    if status is ClaimStatus.RETRACTED:
        return apply(claim, lifecycle.retract(claim, ED, T0, "The source was forged."))
    return claim


PUBLISHED = claim_in(ClaimStatus.PUBLISHED).model_copy(update={"id": "c-original"})

Op = Callable[[Claim, datetime], Transition | None]
OPS: dict[str, Op] = {
    "lease": lambda c, at: lifecycle.lease(c, BOB, at, lease_for=LEASE),
    "release": lambda c, at: lifecycle.release(c, ALICE, at),
    "add_source": lambda c, at: lifecycle.add_source(c, ALICE, at, source(9)),
    "give_verdict": lambda c, at: lifecycle.give_verdict(c, ALICE, at, verdict(), scale=SCALE),
    "approve": lambda c, at: lifecycle.approve(c, ED, at),
    "send_back": lambda c, at: lifecycle.send_back(c, ED, at, "check the source"),
    "dismiss": lambda c, at: lifecycle.dismiss(c, ALICE_EDITOR, at, "not check-worthy"),
    "mark_duplicate": lambda c, at: lifecycle.mark_duplicate(
        c, ALICE_EDITOR, at, PUBLISHED.id, PUBLISHED
    ),
    "assign": lambda c, at: lifecycle.assign(c, ED, at, "bob"),
    "restore": lambda c, at: lifecycle.restore(c, ED, at),
    "correct": lambda c, at: lifecycle.correct(c, ED, at, "The figure was for 2019."),
    "retract": lambda c, at: lifecycle.retract(c, ED, at, "The source was forged."),
}
LEGAL: dict[ClaimStatus, dict[str, tuple[ClaimStatus, str]]] = {
    ClaimStatus.QUEUED: {
        "lease": (ClaimStatus.IN_REVIEW, "leased"),
        "dismiss": (ClaimStatus.DISMISSED, "dismissed"),
        "mark_duplicate": (ClaimStatus.DISMISSED, "dismissed"),
        "assign": (ClaimStatus.QUEUED, "assigned"),
    },
    ClaimStatus.IN_REVIEW: {
        "release": (ClaimStatus.QUEUED, "released"),
        "add_source": (ClaimStatus.IN_REVIEW, "source_added"),
        "give_verdict": (ClaimStatus.REVIEWED, "verdict_given"),
        "dismiss": (ClaimStatus.DISMISSED, "dismissed"),
        "mark_duplicate": (ClaimStatus.DISMISSED, "dismissed"),
        "assign": (ClaimStatus.IN_REVIEW, "assigned"),
    },
    ClaimStatus.REVIEWED: {
        "approve": (ClaimStatus.PUBLISHED, "approved"),
        "send_back": (ClaimStatus.QUEUED, "sent_back"),
        "dismiss": (ClaimStatus.DISMISSED, "dismissed"),
        "mark_duplicate": (ClaimStatus.DISMISSED, "dismissed"),
    },
    ClaimStatus.PUBLISHED: {
        "correct": (ClaimStatus.QUEUED, "correction_opened"),
        "retract": (ClaimStatus.RETRACTED, "retracted"),
    },
    ClaimStatus.DISMISSED: {"restore": (ClaimStatus.QUEUED, "restored")},
    ClaimStatus.RETRACTED: {},
}
LEGAL_PAIRS = [(s, op, *to) for s, ops in LEGAL.items() for op, to in ops.items()]
# bob leasing alice's live lease is a LeaseConflict, tested on its own below
ILLEGAL = [
    (s, op)
    for s in ClaimStatus
    for op in OPS
    if op not in LEGAL[s] and not (s is ClaimStatus.IN_REVIEW and op == "lease")
]


@pytest.mark.parametrize(
    ("status", "op", "to", "action"), LEGAL_PAIRS, ids=[f"{s}-{o}" for s, o, *_ in LEGAL_PAIRS]
)
def test_each_legal_transition_returns_the_moved_claim_and_one_event_recording_it(
    status: ClaimStatus, op: str, to: ClaimStatus, action: str
) -> None:
    # GIVEN a claim in `status`
    claim = claim_in(status)
    before = claim.model_copy(deep=True)
    # WHEN the action is decided at a later time
    later = T0 + timedelta(minutes=5)
    step = OPS[op](claim, later)
    # THEN the claim is in the new status, one version on, stamped with the time
    assert step is not None
    assert (step.claim.status, step.claim.version) == (to, claim.version + 1)
    assert step.claim.updated_at == later
    # AND the event says who did what, from where to where, at which sequence number
    event = step.event
    assert (event.claim_id, event.seq, event.action) == (claim.id, claim.version + 1, action)
    assert (event.from_status, event.to_status, event.at) == (status, to, later)
    assert event.actor in {"alice", "bob", "ed"}
    # AND the claim given is left as it was (the functions are pure)
    assert claim == before


@pytest.mark.parametrize(("status", "op"), ILLEGAL, ids=[f"{s}-{o}" for s, o in ILLEGAL])
def test_an_illegal_transition_raises_an_illegal_transition_naming_the_state(
    status: ClaimStatus, op: str
) -> None:
    claim = claim_in(status)
    with pytest.raises(IllegalTransition) as raised:
        OPS[op](claim, T0)
    assert raised.value.http_status == 409
    assert status.value in raised.value.message


# --- leases ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offset", "outcome"),
    [
        (timedelta(0), "conflict"),
        (LEASE - timedelta(microseconds=1), "conflict"),
        (LEASE, "taken over"),
        (LEASE + timedelta(days=3), "taken over"),
    ],
)
def test_another_reviewer_may_take_a_lease_only_once_it_has_expired(
    offset: timedelta, outcome: str
) -> None:
    # GIVEN alice leased the claim at T0
    claim = claim_in(ClaimStatus.IN_REVIEW)
    # WHEN bob leases it `offset` later
    if outcome == "conflict":
        with pytest.raises(LeaseConflict) as raised:
            lifecycle.lease(claim, BOB, T0 + offset, lease_for=LEASE)
        # THEN while it runs he is told who holds it
        assert raised.value.detail["holder"] == "alice"
        return
    step = lifecycle.lease(claim, BOB, T0 + offset, lease_for=LEASE)
    # THEN after it ran out he holds a fresh lease, and the event names alice
    assert (step.claim.lease_holder, step.claim.lease_expires_at) == ("bob", T0 + offset + LEASE)
    assert step.event.detail["previous_holder"] == "alice"


def test_leasing_again_by_the_holder_renews_the_lease() -> None:
    claim = claim_in(ClaimStatus.IN_REVIEW)
    step = lifecycle.lease(claim, ALICE, T0 + timedelta(minutes=20), lease_for=LEASE)
    assert step.event.action == "lease_renewed"
    assert step.claim.lease_expires_at == T0 + timedelta(minutes=20) + LEASE
    assert step.event.detail == {"lease_expires_at": "2030-01-01T09:50:00.000000+00:00"}


@pytest.mark.parametrize("op", ["add_source", "give_verdict"])
def test_work_after_ones_own_lease_expired_is_a_lease_conflict_that_says_so(op: str) -> None:
    claim = claim_in(ClaimStatus.IN_REVIEW)
    with pytest.raises(LeaseConflict, match="expired"):
        OPS[op](claim, T0 + LEASE)


@pytest.mark.parametrize("op", ["release", "add_source", "give_verdict"])
def test_only_the_lease_holder_may_release_add_sources_or_give_a_verdict(op: str) -> None:
    claim = claim_in(ClaimStatus.IN_REVIEW).model_copy(update={"lease_holder": "bob"})
    with pytest.raises(LeaseConflict):
        OPS[op](claim, T0)


@pytest.mark.parametrize(
    ("actor", "override", "leases"),
    [
        (BOB, None, False),
        (BOB, True, True),
        (ED, None, True),
        (ADA, None, True),
        (ED, False, False),
        (ALICE, None, True),
    ],
)
def test_a_claim_assigned_to_alice_is_hers_unless_an_editor_takes_it(
    actor: Actor, override: bool | None, leases: bool
) -> None:
    claim = make_claim().model_copy(update={"assignee": "alice"})
    if leases:
        step = lifecycle.lease(claim, actor, T0, lease_for=LEASE, override_assignment=override)
        assert step.claim.lease_holder == actor.name
    else:
        with pytest.raises(LeaseConflict, match="assigned to alice"):
            lifecycle.lease(claim, actor, T0, lease_for=LEASE, override_assignment=override)


# --- sources, verdicts, four eyes -----------------------------------------------------------


def test_a_source_is_stamped_with_the_holder_and_the_same_source_twice_changes_nothing() -> None:
    claim = claim_in(ClaimStatus.IN_REVIEW)
    step = lifecycle.add_source(claim, ALICE, T0, source(1))
    assert step is not None
    (added,) = step.claim.sources
    assert (added.added_by, added.added_at) == ("alice", T0)
    assert step.event.detail == {"source_id": "s1", "url": "https://example.org/1"}
    assert lifecycle.add_source(step.claim, ALICE, T0, source(1)) is None


def test_a_claim_holds_at_most_the_source_limit() -> None:
    claim = claim_in(ClaimStatus.IN_REVIEW)
    full = claim.model_copy(update={"sources": [source(n) for n in range(MAX_SOURCES)]})
    with pytest.raises(InvalidInput, match=str(MAX_SOURCES)):
        lifecycle.add_source(full, ALICE, T0, source(MAX_SOURCES))
    # a source it already has is still a no-op, not an error
    assert lifecycle.add_source(full, ALICE, T0, source(0)) is None
    assert "add_source" not in lifecycle.allowed_actions(full, ALICE, T0)


@pytest.mark.parametrize(
    ("given", "stored"),
    [("MOSTLY TRUE", "Mostly true"), ("  false ", "False"), ("Unverifiable", "Unverifiable")],
)
def test_a_verdict_takes_the_scales_label_the_holders_name_and_ends_the_lease(
    given: str, stored: str
) -> None:
    step = lifecycle.give_verdict(
        claim_in(ClaimStatus.IN_REVIEW), ALICE, T0, verdict(given), scale=SCALE
    )
    assert step.claim.verdict is not None
    assert (step.claim.verdict.rating, step.claim.verdict.reviewer) == (stored, "alice")
    assert (step.claim.lease_holder, step.claim.lease_expires_at) == (None, None)


@pytest.mark.parametrize("rating", ["Pants on fire", "", "5"])
def test_a_rating_off_the_scale_is_invalid_input_listing_the_scale(rating: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        lifecycle.give_verdict(
            claim_in(ClaimStatus.IN_REVIEW), ALICE, T0, verdict(rating), scale=SCALE
        )
    assert raised.value.detail["allowed"] == SCALE.labels


@pytest.mark.parametrize("role", [Role.EDITOR, Role.ADMIN])
def test_whoever_gave_the_verdict_cannot_approve_it_whatever_their_role(role: Role) -> None:
    claim = claim_in(ClaimStatus.REVIEWED)
    with pytest.raises(FourEyesViolation):
        lifecycle.approve(claim, Actor(name="alice", role=role), T0)


def test_sending_back_keeps_the_old_verdict_in_the_event_and_the_sources_on_the_claim() -> None:
    claim = claim_in(ClaimStatus.REVIEWED).model_copy(update={"sources": [source()]})
    step = lifecycle.send_back(claim, ED, T0, "  needs a second source ")
    assert (step.claim.verdict, step.claim.comment) == (None, "needs a second source")
    assert [s.id for s in step.claim.sources] == ["s1"]
    assert step.event.detail["previous_reviewer"] == "alice"
    assert step.event.detail["previous_rating"] == "Mostly true"


@pytest.mark.parametrize(
    "call",
    [
        lambda: lifecycle.send_back(claim_in(ClaimStatus.REVIEWED), ED, T0, " "),
        lambda: lifecycle.dismiss(claim_in(ClaimStatus.QUEUED), ED, T0, ""),
        lambda: lifecycle.assign(claim_in(ClaimStatus.QUEUED), ED, T0, "\t"),
        lambda: lifecycle.lease(
            make_claim(), Actor(name=" ", role=Role.REVIEWER), T0, lease_for=LEASE
        ),
    ],
    ids=["comment", "reason", "reviewer", "actor"],
)
def test_a_blank_comment_reason_reviewer_or_actor_is_invalid_input(
    call: Callable[[], object],
) -> None:
    with pytest.raises(InvalidInput):
        call()


# --- dismissal, duplicates, assignment --------------------------------------------------------


# Who may dismiss (or mark as a duplicate) what (issue 18 item 2): a reviewer only a claim that
# is not reviewed and that nobody else holds or is assigned; an editor any active claim.
DISMISSALS = [
    (ClaimStatus.QUEUED, None, None, BOB, None),
    (ClaimStatus.QUEUED, "bob", None, BOB, None),
    (ClaimStatus.QUEUED, "alice", None, BOB, LeaseConflict),
    (ClaimStatus.QUEUED, "alice", None, ED, None),
    (ClaimStatus.IN_REVIEW, None, "bob", BOB, None),
    (ClaimStatus.IN_REVIEW, None, "alice", BOB, LeaseConflict),
    (ClaimStatus.IN_REVIEW, None, "alice-expired", BOB, None),
    (ClaimStatus.IN_REVIEW, "alice", "bob", BOB, LeaseConflict),
    (ClaimStatus.REVIEWED, None, None, BOB, Forbidden),
    (ClaimStatus.REVIEWED, None, None, ALICE, Forbidden),
    (ClaimStatus.REVIEWED, None, None, ED, None),
    (ClaimStatus.REVIEWED, "bob", None, ADA, None),
]


@pytest.mark.parametrize("op", ["dismiss", "mark_duplicate"])
@pytest.mark.parametrize(
    ("status", "assignee", "holder", "actor", "error"),
    DISMISSALS,
    ids=[f"{s}-{a}-{h}-{who.name}" for s, a, h, who, _ in DISMISSALS],
)
def test_a_reviewer_dismisses_only_unheld_unassigned_unreviewed_claims_and_an_editor_any(
    op: str,
    status: ClaimStatus,
    assignee: str | None,
    holder: str | None,
    actor: Actor,
    error: type[FactcheckError] | None,
) -> None:
    # GIVEN a claim in `status`, assigned to `assignee`, leased (live, or expired) by `holder`
    claim = claim_in(status).model_copy(update={"assignee": assignee})
    if holder:
        expires = T0 - timedelta(minutes=1) if holder.endswith("-expired") else T0 + LEASE
        claim = claim.model_copy(
            update={"lease_holder": holder.removesuffix("-expired"), "lease_expires_at": expires}
        )

    def attempt() -> Transition:
        if op == "dismiss":
            return lifecycle.dismiss(claim, actor, T0, "not check-worthy")
        return lifecycle.mark_duplicate(claim, actor, T0, PUBLISHED.id, PUBLISHED)

    # WHEN the actor dismisses it THEN it is refused with the typed error, or dismissed
    if error is not None:
        with pytest.raises(error):
            attempt()
        assert op not in lifecycle.allowed_actions(claim, actor, T0)
    else:
        assert attempt().claim.status is ClaimStatus.DISMISSED
        assert op in lifecycle.allowed_actions(claim, actor, T0)


@pytest.mark.parametrize("from_status", [ClaimStatus.QUEUED, ClaimStatus.REVIEWED])
def test_an_editor_restores_a_dismissed_claim_to_the_queue_and_the_event_keeps_why(
    from_status: ClaimStatus,
) -> None:
    # GIVEN a claim an editor dismissed (from the queue, or with a verdict on it)
    claim = claim_in(from_status)
    dismissed = lifecycle.dismiss(claim, ED, T0, "Opinion.").claim
    # WHEN an editor restores it
    step = lifecycle.restore(dismissed, ED, T0 + timedelta(hours=1))
    # THEN it is queued, clean of the dismissal and of any old verdict, which the event keeps
    restored = step.claim
    assert (restored.status, restored.dismiss_reason, restored.verdict) == (
        ClaimStatus.QUEUED,
        None,
        None,
    )
    assert (step.event.action, step.event.from_status) == ("restored", ClaimStatus.DISMISSED)
    assert step.event.detail["previous_reason"] == "Opinion."
    assert ("previous_rating" in step.event.detail) == (from_status is ClaimStatus.REVIEWED)
    # AND a reviewer may not restore
    with pytest.raises(Forbidden):
        lifecycle.restore(dismissed, ALICE, T0)


def test_dismissing_a_claim_someone_else_holds_needs_an_explicit_override() -> None:
    claim = claim_in(ClaimStatus.IN_REVIEW)
    with pytest.raises(LeaseConflict):
        lifecycle.dismiss(claim, ED, T0, "off topic")
    step = lifecycle.dismiss(claim, ED, T0, "off topic", override_lease=True)
    assert (step.claim.status, step.claim.lease_holder) == (ClaimStatus.DISMISSED, None)


@pytest.mark.parametrize(
    ("original", "error"),
    [
        (None, InvalidInput),
        (claim_in(ClaimStatus.REVIEWED).model_copy(update={"id": "c-original"}), IllegalTransition),
    ],
    ids=["missing", "unpublished"],
)
def test_a_duplicate_must_point_at_an_existing_published_claim(
    original: Claim | None, error: type[FactcheckError]
) -> None:
    with pytest.raises(error):
        lifecycle.mark_duplicate(make_claim(), ALICE, T0, "c-original", original)


def test_a_duplicate_records_the_original_and_its_rating() -> None:
    step = lifecycle.mark_duplicate(make_claim(), ALICE, T0, PUBLISHED.id, PUBLISHED)
    assert (step.claim.duplicate_of, step.claim.dismiss_reason) == ("c-original", "duplicate")
    assert step.event.detail == {
        "reason": "duplicate",
        "duplicate_of": "c-original",
        "rating": "Mostly true",
    }
    with pytest.raises(InvalidInput, match="itself"):
        lifecycle.mark_duplicate(PUBLISHED, ALICE, T0, PUBLISHED.id, PUBLISHED)


def test_assigning_the_same_reviewer_again_changes_nothing_and_another_is_a_reassignment() -> None:
    step = lifecycle.assign(make_claim(), ED, T0, "bob")
    assert step is not None and step.event.action == "assigned"
    assert lifecycle.assign(step.claim, ED, T0, "bob") is None
    again = lifecycle.assign(step.claim, ED, T0, "carol")
    assert again is not None
    assert (again.event.action, again.event.detail["previous_assignee"]) == ("reassigned", "bob")


# --- roles and allowed_actions ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("op", "actor"),
    [
        ("lease", SAM),
        ("dismiss", SAM),
        ("approve", ALICE),
        ("send_back", BOB),
        ("assign", ALICE),
        ("restore", BOB),
        ("correct", ALICE),
        ("retract", BOB),
    ],
)
def test_a_role_that_may_never_take_an_action_is_forbidden(op: str, actor: Actor) -> None:
    status = {
        "approve": ClaimStatus.REVIEWED,
        "send_back": ClaimStatus.REVIEWED,
        "restore": ClaimStatus.DISMISSED,
        "correct": ClaimStatus.PUBLISHED,
        "retract": ClaimStatus.PUBLISHED,
    }.get(op, ClaimStatus.QUEUED)
    claim = claim_in(status)
    with pytest.raises(Forbidden):
        if op == "lease":
            lifecycle.lease(claim, actor, T0, lease_for=LEASE)
        elif op == "dismiss":
            lifecycle.dismiss(claim, actor, T0, "no")
        elif op == "approve":
            lifecycle.approve(claim, actor, T0)
        elif op == "send_back":
            lifecycle.send_back(claim, actor, T0, "no")
        elif op == "restore":
            lifecycle.restore(claim, actor, T0)
        elif op == "correct":
            lifecycle.correct(claim, actor, T0, "no")
        elif op == "retract":
            lifecycle.retract(claim, actor, T0, "no")
        else:
            lifecycle.assign(claim, actor, T0, "bob")


ALLOWED = [
    (ClaimStatus.QUEUED, ALICE, T0, ["lease", "dismiss", "mark_duplicate"]),
    (ClaimStatus.QUEUED, ED, T0, ["lease", "dismiss", "mark_duplicate", "assign"]),
    (ClaimStatus.QUEUED, SAM, T0, []),
    (
        ClaimStatus.IN_REVIEW,
        ALICE,
        T0,
        ["lease", "release", "add_source", "give_verdict", "dismiss", "mark_duplicate"],
    ),
    (ClaimStatus.IN_REVIEW, BOB, T0, []),
    (ClaimStatus.IN_REVIEW, BOB, T0 + LEASE, ["lease", "dismiss", "mark_duplicate"]),
    (ClaimStatus.IN_REVIEW, ALICE, T0 + LEASE, ["lease", "release", "dismiss", "mark_duplicate"]),
    (ClaimStatus.IN_REVIEW, ED, T0, ["assign"]),
    (ClaimStatus.REVIEWED, ALICE, T0, []),
    (ClaimStatus.REVIEWED, ED, T0, ["approve", "send_back", "dismiss", "mark_duplicate"]),
    (ClaimStatus.PUBLISHED, ADA, T0, ["correct", "retract"]),
    (ClaimStatus.PUBLISHED, ED, T0, ["correct", "retract"]),
    (ClaimStatus.PUBLISHED, ALICE, T0, []),
    (ClaimStatus.RETRACTED, ADA, T0, []),
    (ClaimStatus.DISMISSED, ADA, T0, ["restore"]),
    (ClaimStatus.DISMISSED, ED, T0, ["restore"]),
    (ClaimStatus.DISMISSED, ALICE, T0, []),
]


@pytest.mark.parametrize(
    ("status", "actor", "at", "expected"),
    ALLOWED,
    ids=[f"{s}-{a.name}-{i}" for i, (s, a, _, _) in enumerate(ALLOWED)],
)
def test_allowed_actions_names_what_this_actor_may_do_now(
    status: ClaimStatus, actor: Actor, at: datetime, expected: list[str]
) -> None:
    assert lifecycle.allowed_actions(claim_in(status), actor, at) == expected


def _attempt(op: str, claim: Claim, actor: Actor, at: datetime) -> bool:
    """Whether the transition `op` by `actor` succeeds (with valid arguments)."""
    calls: dict[str, Callable[[], object]] = {
        "lease": lambda: lifecycle.lease(claim, actor, at, lease_for=LEASE),
        "release": lambda: lifecycle.release(claim, actor, at),
        "add_source": lambda: lifecycle.add_source(claim, actor, at, source(99)),
        "give_verdict": lambda: lifecycle.give_verdict(claim, actor, at, verdict(), scale=SCALE),
        "approve": lambda: lifecycle.approve(claim, actor, at),
        "send_back": lambda: lifecycle.send_back(claim, actor, at, "again"),
        "dismiss": lambda: lifecycle.dismiss(claim, actor, at, "no"),
        "mark_duplicate": lambda: lifecycle.mark_duplicate(
            claim, actor, at, PUBLISHED.id, PUBLISHED
        ),
        "assign": lambda: lifecycle.assign(claim, actor, at, "zoe"),
        "restore": lambda: lifecycle.restore(claim, actor, at),
        "correct": lambda: lifecycle.correct(claim, actor, at, "note"),
        "retract": lambda: lifecycle.retract(claim, actor, at, "reason"),
    }
    try:
        calls[op]()
    except FactcheckError:
        return False
    return True


@given(
    status=st.sampled_from(list(ClaimStatus)),
    actor=st.sampled_from([ALICE, BOB, ED, ADA, SAM]),
    holder=st.sampled_from([None, "alice", "bob", "ed"]),
    assignee=st.sampled_from([None, "alice", "bob"]),
    minutes=st.integers(min_value=-60, max_value=120),
    reviewer=st.sampled_from(["alice", "ed"]),
)
def test_allowed_actions_are_exactly_the_transitions_that_would_succeed(
    status: ClaimStatus,
    actor: Actor,
    holder: str | None,
    assignee: str | None,
    minutes: int,
    reviewer: str,
) -> None:
    # GIVEN any claim state, lease, assignment and verdict author, and any actor and time
    claim = claim_in(status).model_copy(
        update={
            "lease_holder": holder if status is ClaimStatus.IN_REVIEW else None,
            "lease_expires_at": T0 + LEASE if status is ClaimStatus.IN_REVIEW and holder else None,
            "assignee": assignee,
        }
    )
    if claim.verdict is not None:
        claim = claim.model_copy(
            update={"verdict": claim.verdict.model_copy(update={"reviewer": reviewer})}
        )
    at = T0 + timedelta(minutes=minutes)
    # WHEN the page asks what the actor may do THEN it is exactly what the API would accept
    offered = lifecycle.allowed_actions(claim, actor, at)
    assert offered == [op for op in ACTIONS if _attempt(op, claim, actor, at)]


def test_the_lifecycle_roles_agree_with_the_apis_permissions() -> None:
    from factcheck.api.auth import ROLE_PERMISSIONS, Permission

    needs = {
        "lease": Permission.REVIEW,
        "release": Permission.REVIEW,
        "add_source": Permission.REVIEW,
        "give_verdict": Permission.REVIEW,
        "approve": Permission.EDIT,
        "send_back": Permission.EDIT,
        "dismiss": Permission.DISMISS,
        "mark_duplicate": Permission.DISMISS,
        "assign": Permission.EDIT,
        "restore": Permission.EDIT,
        "correct": Permission.EDIT,
        "retract": Permission.EDIT,
    }
    for action in ACTIONS:
        api = {role for role, perms in ROLE_PERMISSIONS.items() if needs[action] in perms}
        assert api == set(ROLES[action]), action


def test_a_naive_time_is_taken_as_utc() -> None:
    naive = datetime(2030, 1, 1, 9, 0)
    step = lifecycle.lease(make_claim(), ALICE, naive, lease_for=LEASE)
    assert step.claim.lease_expires_at == datetime(2030, 1, 1, 9, 30, tzinfo=UTC)
