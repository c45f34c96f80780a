"""The one logger of the project (Powertools), shared by the library, functions and CLI."""

from __future__ import annotations

from aws_lambda_powertools import Logger

logger = Logger(service="factcheck")
