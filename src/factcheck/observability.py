"""The one logger of the project (Powertools), shared by the library, functions and CLI.

Named `observability`, not `logging`: a module called `factcheck.logging` reads like, and in
some tools resolves as, the standard library's `logging`.

Keys appended to it (`inject_lambda_context`'s function name and request id, correlation
ids) belong to the thread that appended them. Powertools' `append_keys` is global to the
logger, which is right for one Lambda invocation per process, but the local stack runs the
API and every function in threads of one process: an API error was logged as
`"function_name": "ExtractFunction"`. Powertools' own thread-safe keys (a context variable;
a new thread starts without any) keep each thread's context to itself, on Lambda too.
"""

from __future__ import annotations

from collections.abc import Iterable

from aws_lambda_powertools import Logger


class ThreadLocalKeysLogger(Logger):
    """A Powertools Logger whose appended keys are the calling thread's.

    Built on Powertools' `thread_safe_*` methods (aws-lambda-powertools>=3.37, as pinned).
    """

    def append_keys(self, **additional_keys: object) -> None:
        self.thread_safe_append_keys(**additional_keys)

    def remove_keys(self, keys: Iterable[str]) -> None:
        keys = list(keys)
        self.thread_safe_remove_keys(keys)
        super().remove_keys(keys)

    def clear_state(self) -> None:
        self.thread_safe_clear_keys()
        super().clear_state()


logger = ThreadLocalKeysLogger(service="factcheck")
