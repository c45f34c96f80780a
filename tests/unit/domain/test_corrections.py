"""Corrections and retractions of published checks, as pure lifecycle transitions (no moto).

A correction goes back through review and approval, four eyes included, while readers keep
seeing the published version; its approval keeps datePublished, sets dateModified and
records the note and the earlier rating. A retraction withdraws the check for good.
"""

from __future__ import annotations

from datetime import timedelta

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
)
from factcheck.domain.lifecycle import ACTIONS, Actor
from factcheck.domain.models import Claim, ClaimStatus, Role, WebhookEventType
from factcheck.domain.outbox import transition_event
from factcheck.domain.rating import RatingScale
from factcheck.settings import DEFAULT_RATING_SCALE
from factories import T0, make_claim, verdict

pytestmark = pytest.mark.unit

LEASE = timedelta(minutes=30)
SCALE = RatingScale(DEFAULT_RATING_SCALE)
ALICE = Actor(name="alice", role=Role.REVIEWER)
BOB = Actor(name="bob", role=Role.REVIEWER)
ED = Actor(name="ed", role=Role.EDITOR)
EVE = Actor(name="eve", role=Role.EDITOR)
ADA = Actor(name="ada", role=Role.ADMIN)
NOTE = "The unemployment figure was for 2019, not 2020."


def published() -> Claim:
    """alice reviewed (Mostly true), ed approved at T0."""
    claim = make_claim()
    claim = lifecycle.lease(claim, ALICE, T0, lease_for=LEASE).claim
    claim = lifecycle.give_verdict(claim, ALICE, T0, verdict(), scale=SCALE).claim
    return lifecycle.approve(claim, ED, T0).claim


def reviewed_correction(reviewer: Actor = BOB, rating: str = "False") -> Claim:
    """ed reopened the check an hour later; `reviewer` gave the new verdict."""
    claim = lifecycle.correct(published(), ED, T0 + timedelta(hours=1), NOTE).claim
    at = T0 + timedelta(hours=2)
    claim = lifecycle.lease(claim, reviewer, at, lease_for=LEASE).claim
    new = verdict(rating, "The 2020 figure is twice as high.")
    return lifecycle.give_verdict(claim, reviewer, at, new, scale=SCALE).claim


@pytest.mark.parametrize("editor", [ED, ADA])
def test_correcting_reopens_the_check_for_review_and_readers_keep_the_published_version(
    editor: Actor,
) -> None:
    # GIVEN a published check WHEN an editor (or admin) opens a correction with a note
    before = published()
    step = lifecycle.correct(before, editor, T0 + timedelta(hours=1), f"  {NOTE} ")
    claim = step.claim
    # THEN it is back in the queue, without a current verdict, the note on it
    assert (claim.status, claim.verdict, claim.approved_by) == (ClaimStatus.QUEUED, None, None)
    assert claim.correction is not None and claim.correction.note == NOTE
    assert (step.event.action, step.event.detail["previous_rating"]) == (
        "correction_opened",
        "Mostly true",
    )
    # AND readers still see exactly what was published
    shown = lifecycle.public_version(claim)
    assert shown is not None and shown.status is ClaimStatus.PUBLISHED
    assert (shown.verdict, shown.approved_by, shown.published_at) == (
        before.verdict,
        "ed",
        T0,
    )
    # AND it may not be dismissed meanwhile: it is still a published check
    assert "dismiss" not in lifecycle.allowed_actions(claim, editor, T0 + timedelta(hours=1))
    with pytest.raises(IllegalTransition, match="under correction"):
        lifecycle.dismiss(claim, editor, T0 + timedelta(hours=1), "no")


def test_approving_a_correction_keeps_date_published_sets_date_modified_and_records_it() -> None:
    claim = reviewed_correction()
    at = T0 + timedelta(hours=3)
    step = lifecycle.approve(claim, ED, at)
    done = step.claim
    assert (done.status, done.published_at, done.modified_at) == (ClaimStatus.PUBLISHED, T0, at)
    assert done.verdict is not None and done.verdict.rating == "False"
    assert done.correction is None
    (record,) = done.corrections
    assert (record.note, record.previous_rating, record.rating) == (NOTE, "Mostly true", "False")
    assert (record.opened_by, record.reviewer, record.approved_by) == ("ed", "bob", "ed")
    assert step.event.action == "corrected"
    assert lifecycle.approval_action(done) == "corrected"
    assert lifecycle.public_version(done) == done
    # AND the webhook event it causes is claim.corrected, with the note and earlier rating
    event = transition_event(done, step.event.action)
    assert event is not None and event.type is WebhookEventType.CLAIM_CORRECTED
    assert (event.data["correction_note"], event.data["previous_rating"]) == (NOTE, "Mostly true")


@pytest.mark.parametrize("role", [Role.EDITOR, Role.ADMIN])
def test_four_eyes_holds_for_corrections_the_new_verdicts_reviewer_never_approves(
    role: Role,
) -> None:
    # GIVEN eve, an editor, gave the correction's new verdict herself
    claim = reviewed_correction(reviewer=Actor(name="eve", role=role))
    # WHEN she approves it THEN four eyes refuses; another editor may
    with pytest.raises(FourEyesViolation):
        lifecycle.approve(claim, Actor(name="eve", role=role), T0 + timedelta(hours=3))
    assert lifecycle.approve(claim, ED, T0 + timedelta(hours=3)).claim.corrections


def test_a_plain_approval_is_approved_and_a_second_correction_lists_both() -> None:
    assert lifecycle.approval_action(published()) == "approved"
    once = lifecycle.approve(reviewed_correction(), ED, T0 + timedelta(hours=3)).claim
    again = lifecycle.correct(once, EVE, T0 + timedelta(hours=4), "A typo in the summary.").claim
    again = lifecycle.lease(again, ALICE, T0 + timedelta(hours=5), lease_for=LEASE).claim
    again = lifecycle.give_verdict(
        again, ALICE, T0 + timedelta(hours=5), verdict("False"), scale=SCALE
    ).claim
    twice = lifecycle.approve(again, EVE, T0 + timedelta(hours=6)).claim
    assert [c.note for c in twice.corrections] == [NOTE, "A typo in the summary."]
    assert [c.previous_rating for c in twice.corrections] == ["Mostly true", "False"]
    assert (twice.published_at, twice.modified_at) == (T0, T0 + timedelta(hours=6))


def test_a_correction_sent_back_stays_a_correction_and_keeps_the_published_version() -> None:
    claim = lifecycle.send_back(reviewed_correction(), ED, T0 + timedelta(hours=3), "Cite it.")
    assert claim.claim.status is ClaimStatus.QUEUED
    assert claim.claim.correction is not None
    shown = lifecycle.public_version(claim.claim)
    assert shown is not None and shown.verdict is not None
    assert shown.verdict.rating == "Mostly true"


@pytest.mark.parametrize("under_correction", [False, True])
def test_retracting_withdraws_the_check_with_the_reason_keeping_what_readers_last_saw(
    under_correction: bool,
) -> None:
    claim = reviewed_correction() if under_correction else published()
    step = lifecycle.retract(claim, ED, T0 + timedelta(days=1), " The source was forged. ")
    gone = step.claim
    assert gone.status is ClaimStatus.RETRACTED
    assert gone.retraction is not None
    assert (gone.retraction.reason, gone.retraction.retracted_by) == (
        "The source was forged.",
        "ed",
    )
    assert gone.retraction.retracted_at == T0 + timedelta(days=1)
    # the record keeps the verdict readers last saw (the correction's is abandoned)
    assert gone.verdict is not None and gone.verdict.rating == "Mostly true"
    assert (gone.correction, gone.lease_holder) == (None, None)
    assert lifecycle.public_version(gone) is None
    assert lifecycle.allowed_actions(gone, ADA, T0 + timedelta(days=1)) == []
    event = transition_event(gone, step.event.action)
    assert event is not None and event.type is WebhookEventType.CLAIM_RETRACTED
    assert event.data["retraction_reason"] == "The source was forged."


@pytest.mark.parametrize(
    ("op", "actor", "error"),
    [
        ("correct", ALICE, Forbidden),
        ("retract", BOB, Forbidden),
        ("correct", ED, InvalidInput),
        ("retract", ED, InvalidInput),
    ],
    ids=["reviewer-corrects", "reviewer-retracts", "blank-note", "blank-reason"],
)
def test_only_an_editor_corrects_or_retracts_and_only_with_a_note_or_reason(
    op: str, actor: Actor, error: type[FactcheckError]
) -> None:
    text = " " if error is InvalidInput else "why"
    with pytest.raises(error):
        getattr(lifecycle, op)(published(), actor, T0, text)


def test_a_check_under_correction_cannot_be_corrected_again_but_can_be_retracted() -> None:
    claim = lifecycle.correct(published(), ED, T0, NOTE).claim
    with pytest.raises(IllegalTransition):
        lifecycle.correct(claim, ED, T0, "again")
    assert "retract" in lifecycle.allowed_actions(claim, ED, T0)
    assert "correct" not in lifecycle.allowed_actions(claim, ED, T0)


def _attempt(op: str, claim: Claim, actor: Actor) -> bool:
    at = T0 + timedelta(hours=2, minutes=10)
    calls = {
        "lease": lambda: lifecycle.lease(claim, actor, at, lease_for=LEASE),
        "release": lambda: lifecycle.release(claim, actor, at),
        "add_source": lambda: None,  # covered in test_lifecycle; needs a source
        "give_verdict": lambda: lifecycle.give_verdict(claim, actor, at, verdict(), scale=SCALE),
        "approve": lambda: lifecycle.approve(claim, actor, at),
        "send_back": lambda: lifecycle.send_back(claim, actor, at, "again"),
        "dismiss": lambda: lifecycle.dismiss(claim, actor, at, "no"),
        "mark_duplicate": lambda: lifecycle.mark_duplicate(claim, actor, at, "cx", published()),
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
    stage=st.sampled_from(["opened", "leased", "reviewed"]),
    actor=st.sampled_from([ALICE, BOB, ED, EVE, ADA]),
)
def test_allowed_actions_during_a_correction_are_exactly_what_would_succeed(
    stage: str, actor: Actor
) -> None:
    claim = reviewed_correction()
    if stage != "reviewed":
        claim = lifecycle.correct(published(), ED, T0 + timedelta(hours=1), NOTE).claim
    if stage == "leased":
        claim = lifecycle.lease(claim, BOB, T0 + timedelta(hours=2), lease_for=LEASE).claim
    offered = lifecycle.allowed_actions(claim, actor, T0 + timedelta(hours=2, minutes=10))
    expected = [op for op in ACTIONS if op != "add_source" and _attempt(op, claim, actor)]
    assert [op for op in offered if op != "add_source"] == expected
