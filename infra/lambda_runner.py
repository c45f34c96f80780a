"""Run one built Lambda handler the way the python3.12 runtime does, and nothing more.

    python3.12 -I -S infra/lambda_runner.py ARTIFACT_DIR HANDLER [RUNTIME_DIR]
    e.g. ... .aws-sam/build/ApiFunction functions/api/app.lambda_handler .deploy-runtime

Started with `-I -S`, the interpreter has only the standard library on sys.path; the
artefact is put in front, as Lambda puts /var/task, and RUNTIME_DIR after it, as Lambda
puts /var/runtime (where the runtime's boto3 is: the artefacts do not ship it). The
handler module is imported by its dotted path like Lambda's bootstrap and timed (the cold
import), then requests are read as JSON lines on stdin:

    {"event": {...}}                      -> {"result": ...} or {"error": ...}
    {"event": {...}, "raw_wsgi": true}    -> the app through bare apig-wsgi (no stage fix)
    {"call": "module:function", "args": [...]} -> {"result": repr} or {"error": ...}

Answers go, one JSON line each, to the stdout this process started with; whatever the
function prints or logs goes to stderr. This file imports nothing from the project: it is
run by an interpreter that has only the artefact.
"""

import importlib
import json
import os
import sys
import sysconfig
import time
import traceback
import uuid

ARTIFACT = os.path.abspath(sys.argv[1])
HANDLER = sys.argv[2]
RUNTIME = os.path.abspath(sys.argv[3]) if len(sys.argv) > 3 else None
sys.path.insert(0, ARTIFACT)
if RUNTIME:
    sys.path.insert(1, RUNTIME)

answers = os.fdopen(os.dup(1), "w", buffering=1)
os.dup2(2, 1)  # the function's own output goes to stderr


def answer(**fields):
    answers.write(json.dumps(fields, default=repr) + "\n")


class Context:
    """The attributes of Lambda's context object that Powertools reads."""

    def __init__(self):
        name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "function")
        region = os.environ.get("AWS_REGION", "")
        self.function_name = name
        self.function_version = "$LATEST"
        self.memory_limit_in_mb = int(os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512"))
        self.invoked_function_arn = f"arn:aws:lambda:{region}:123456789012:function:{name}"
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{name}"
        self.log_stream_name = "deploy-check"

    def get_remaining_time_in_millis(self):
        return 30_000


def foreign_modules():
    """Loaded modules whose file is neither in the artefact nor in the standard library."""
    paths = sysconfig.get_paths()
    allowed = tuple(p for p in (ARTIFACT, RUNTIME, paths["stdlib"], paths["platstdlib"]) if p)
    out = []
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None) if name != "__main__" else None
        if path and not os.path.abspath(path).startswith(allowed):
            out.append(f"{name}: {path}")
    return sorted(out)


module_path, _, attribute = HANDLER.rpartition(".")
started = time.perf_counter()
try:
    module = importlib.import_module(module_path.replace("/", "."))
    handler = getattr(module, attribute)
except BaseException as e:  # report any init failure, as Lambda's Runtime.ImportModuleError
    answer(init_error=f"{type(e).__name__}: {e}", traceback=traceback.format_exc())
    sys.exit(1)
answer(
    ready=True,
    import_s=time.perf_counter() - started,
    python=sys.version.split()[0],
    foreign=foreign_modules(),
)

for line in sys.stdin:
    request = json.loads(line)
    try:
        if "call" in request:
            target, _, function = request["call"].partition(":")
            result = getattr(importlib.import_module(target), function)(*request.get("args", []))
            answer(result=repr(result)[:2000], foreign=foreign_modules())
        elif request.get("raw_wsgi"):
            from apig_wsgi import make_lambda_handler

            answer(result=make_lambda_handler(module.app)(request["event"], Context()))
        else:
            answer(result=handler(request["event"], Context()))
    except BaseException as e:
        answer(error=f"{type(e).__name__}: {e}", traceback=traceback.format_exc())
