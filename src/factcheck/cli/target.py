"""Where a CLI command's AWS calls go: the running local stack, found by itself, unless
`--target` (or FACTCHECK_ENDPOINT_URL / FACTCHECK_TARGET) says otherwise.

`make run` writes `.factcheck/stack.json` with the emulator's endpoint, the table and the
queue URLs (`resources`); a command run in the same checkout reads it, checks that the
emulator answers, and uses exactly those. Without a running stack and without a target, a
command refuses to guess: boto3's defaults would silently send it to real AWS.
"""

from __future__ import annotations

import argparse
import json
import os
import urllib.error
import urllib.request
from pathlib import Path

from factcheck.cli import CliError
from factcheck.settings import Settings, Target, get_settings

DEFAULT_HOME = Path(".factcheck")


def add_target_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--target",
        choices=[t.value for t in Target],
        help="local: the stack `make run` started (found in --home); localstack; aws "
        "(boto3's credentials and region). Default: the running local stack, else "
        "FACTCHECK_* settings",
    )
    parser.add_argument(
        "--home",
        type=Path,
        default=DEFAULT_HOME,
        help="the local stack's folder (default .factcheck)",
    )


def _emulator_answers(endpoint: str) -> bool:
    try:
        with urllib.request.urlopen(f"{endpoint.rstrip('/')}/moto-api/", timeout=3):
            return True
    except (urllib.error.URLError, ConnectionError, TimeoutError, ValueError):
        return False


def local_stack_settings(home: Path) -> Settings | None:
    """The settings of the local stack running from `home`, or None if none is running."""
    try:
        info = json.loads((home / "stack.json").read_text(encoding="utf-8"))
        resources = dict(info["resources"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    endpoint = resources.get("endpoint_url")
    if not endpoint or not _emulator_answers(endpoint):
        return None
    secret = home / "cursor_secret"
    if secret.exists():
        resources["cursor_secret"] = secret.read_text().strip()
    return Settings(**resources)


def cli_settings(args: argparse.Namespace) -> Settings:
    """The settings for this command (see the module docstring)."""
    target = getattr(args, "target", None)
    home = getattr(args, "home", DEFAULT_HOME)
    explicit_env = any(os.environ.get(k) for k in ("FACTCHECK_ENDPOINT_URL", "FACTCHECK_TARGET"))
    if target in (None, Target.LOCAL.value) and not explicit_env:
        found = local_stack_settings(home)
        if found is not None:
            return found
        raise CliError(
            f"no local stack is running from {home}/ (start one with `make run`), and no "
            "other target was given: pass --target aws or --target localstack, or set "
            "FACTCHECK_ENDPOINT_URL"
        )
    settings = get_settings()
    return settings.model_copy(update={"target": Target(target)}) if target else settings
