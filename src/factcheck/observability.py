"""The one logger of the project (Powertools), shared by the library, functions and CLI.

Named `observability`, not `logging`: a module called `factcheck.logging` reads like, and in
some tools resolves as, the standard library's `logging`.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger

logger = Logger(service="factcheck")
