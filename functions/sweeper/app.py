"""Sweeper function (scheduled): re-queue documents stuck in received/extracting (and fail
the ones re-queued too often: factcheck.pipeline.sweeper)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.parser import event_parser
from aws_lambda_powertools.utilities.parser.models import EventBridgeModel
from aws_lambda_powertools.utilities.typing import LambdaContext

from factcheck.observability import logger
from factcheck.pipeline import services
from factcheck.pipeline.sweeper import sweep


@logger.inject_lambda_context
@event_parser(model=EventBridgeModel)
def lambda_handler(event: EventBridgeModel, context: LambdaContext) -> dict[str, Any]:
    deps = services.current()
    report = sweep(
        deps.repository,
        deps.queues,
        older_than_seconds=deps.settings.stuck_after_seconds,
        max_requeues=deps.settings.max_requeues,
    )
    return {"requeued": len(report.requeued), "failed": len(report.failed)}
