"""What Lambda gives a handler, locally: the deployed handler module, and a context object.

The local poller invokes the SAME `lambda_handler` the function deploys, loaded by path from
the template's Handler (`functions/extract/app.lambda_handler`), once per concurrency slot as
a cold start would, with a context carrying the attributes handlers and Powertools read.
"""

from __future__ import annotations

import importlib.util
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from factcheck.template import REPO_ROOT, TemplateError

Handler = Callable[[dict[str, Any], Any], Any]

_load_lock = threading.Lock()


def load_function_module(
    module_path: str, root: Path = REPO_ROOT, *, instance: int = 0
) -> ModuleType:
    """Import `functions/x/app` from its file, once per process and `instance` (as a cold
    start would): each concurrent invocation slot gets its own module, so module state such
    as a handler's BatchProcessor is never shared between two invocations, as on Lambda."""
    path = (root / f"{module_path}.py").resolve()
    name = "factcheck_functions." + module_path.replace("/", ".").replace("-", "_")
    if instance:
        name += f"__{instance}"
    with _load_lock:
        module = sys.modules.get(name)
        if module is None:
            spec = importlib.util.spec_from_file_location(name, path)
            if spec is None or spec.loader is None:
                raise TemplateError(f"cannot load function module {module_path} from {path}")
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            try:
                spec.loader.exec_module(module)
            except BaseException:
                del sys.modules[name]
                raise
    return module


def load_handler(handler: str, root: Path = REPO_ROOT, *, instance: int = 0) -> Handler:
    """The function named by a template Handler such as `functions/extract/app.lambda_handler`."""
    module_path, _, attr = handler.rpartition(".")
    func: Handler = getattr(load_function_module(module_path, root, instance=instance), attr)
    return func


@dataclass
class LocalLambdaContext:
    """The attributes of Lambda's context object that handlers and Powertools read."""

    function_name: str
    memory_limit_in_mb: int
    timeout_seconds: int
    region: str
    function_version: str = "$LATEST"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    _deadline: float = field(default=0.0, repr=False)

    def __post_init__(self) -> None:
        self._deadline = time.monotonic() + self.timeout_seconds

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:{self.region}:000000000000:function:{self.function_name}"

    @property
    def log_group_name(self) -> str:
        return f"/aws/lambda/{self.function_name}"

    @property
    def log_stream_name(self) -> str:
        return f"local/{self.aws_request_id}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))
