"""The views' way to the app's `Services` (settings, repository, queues, rating scale).

The one `Services` class is the pipeline's (`factcheck.pipeline.services`): the API holds an
instance in `app.extensions["factcheck"]`, created with the app; its repository and queues
are built lazily, so building the app creates no AWS client, and tests can pass a
repository and queues of their own to `create_app`.
"""

from __future__ import annotations

from flask import current_app

from factcheck.pipeline.services import Services

__all__ = ["Services", "services"]


def services() -> Services:
    svc: Services = current_app.extensions["factcheck"]
    return svc
