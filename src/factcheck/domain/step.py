"""One lifecycle step: the claim after a transition and the Event that records it.

Shared by `lifecycle` and `corrections` (so neither imports the other's internals)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from factcheck.domain.guards import Actor, as_utc
from factcheck.domain.models import Claim, ClaimStatus, Event


@dataclass(frozen=True)
class Transition:
    """What a legal transition decided: the claim after it and the event that records it."""

    claim: Claim
    event: Event


# --- transitions ----------------------------------------------------------------------------


def step(
    claim: Claim,
    actor: Actor,
    now: datetime,
    action: str,
    to: ClaimStatus,
    changes: dict[str, Any],
    detail: dict[str, str] | None = None,
) -> Transition:
    at = as_utc(now)
    new = claim.model_copy(
        update={**changes, "status": to, "version": claim.version + 1, "updated_at": at}
    )
    event = Event(
        claim_id=claim.id,
        seq=new.version,
        at=at,
        actor=actor.name,
        action=action,
        from_status=claim.status,
        to_status=to,
        detail=detail or {},
    )
    return Transition(new, event)
