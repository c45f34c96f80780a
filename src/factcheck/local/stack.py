"""The whole stack on one machine: emulator, resources, API, poller, sweeper, seeds.

`factcheck stack` (and `make run`) starts it. Nothing here needs Docker or an AWS account:

1. the AWS emulator (moto, DynamoDB requests serialised: see `emulator.py`) runs as a child
   process in its own session, so a crash or SIGKILL of this process never takes the data
   with it: the next start finds it still answering and adopts it, and makes the messages
   the dead process had received visible again at once (`journal_client.claim`). Its
   journal (`.factcheck/journal/`) makes every acknowledged write survive the emulator's
   death too: a new emulator replays it (docs/storage.md, "Durability");
2. the table and queues are created by reading template.yaml;
3. without a journal (`--no-journal`), or on the first start with one, the state saved by
   an earlier clean stop (`.factcheck/state/`) is imported;
4. the Flask app is served by waitress; the event-source poller and the sweeper run on
   threads; `seeds/` is ingested through the same submit path as the API;
5. the URLs and one token per role are printed and written to `.factcheck/stack.json`.

A clean stop (Ctrl-C, SIGTERM) stops polling and stops the emulator, which writes a
snapshot of its journal. Without a journal it first exports the table and the visible
messages to `.factcheck/state/`. `factcheck export/import` stay the portable backup.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factcheck.domain.errors import NotFound
from factcheck.domain.models import Document, Role
from factcheck.ids import document_id
from factcheck.local import journal_client, stack_guard, state
from factcheck.local.moto_process import MotoProcess, free_port, start_moto
from factcheck.local.resources import QUEUE_SETTINGS_FIELD, provision
from factcheck.observability import logger
from factcheck.settings import Settings, Target

TABLE_NAME = "factcheck-local"
QUEUE_PREFIX = "factcheck-local"
SEED_SUFFIXES = (".txt", ".html", ".htm", ".md")


@dataclass
class StackOptions:
    host: str = "127.0.0.1"
    port: int = 8000  # 0 = any free port
    home: Path = Path(".factcheck")
    seeds_dir: Path | None = Path("seeds")
    restore: bool = True
    sweep_interval: float = 30.0
    poll_wait_seconds: int = 1
    threads: int = 8
    journal: bool = True  # the emulator's durable journal in <home>/journal


@dataclass
class StackInfo:
    api_url: str
    docs_url: str
    web_url: str
    tokens: dict[str, str]
    endpoint_url: str
    seeded: list[str] = field(default_factory=list)
    # What the CLI needs to reach this stack by itself (factcheck.cli.target).
    resources: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "api_url": self.api_url,
            "docs_url": self.docs_url,
            "web_url": self.web_url,
            "openapi_url": f"{self.api_url}/openapi.json",
            "tokens": self.tokens,
            "endpoint_url": self.endpoint_url,
            "resources": self.resources,
            # the seeded documents' ids: a script (or test) can wait for their extraction
            "seeded": self.seeded,
        }


def _resources(settings: Settings | None) -> dict[str, str]:
    """The settings a CLI process needs to use this stack's table and queues."""
    if settings is None:
        return {}
    names = ("target", "endpoint_url", "region", "table_name", *QUEUE_SETTINGS_FIELD.values())
    values = {name: getattr(settings, name) for name in names}
    return {name: str(value) for name, value in values.items() if value is not None}


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/moto-api/", timeout=2):
            return True
    except (urllib.error.URLError, ConnectionError, TimeoutError, ValueError):
        return False


class LocalStack:
    """Start with `start()`, stop with `stop()`; or use `running()` as a context manager."""

    def __init__(self, options: StackOptions | None = None) -> None:
        self.options = options or StackOptions()
        self.home = self.options.home
        self.state_dir = self.home / "state"
        self._emulator: MotoProcess | None = None
        self._adopted_endpoint: str | None = None
        self._server: Any = None
        self._server_thread: threading.Thread | None = None
        self._poller: Any = None
        self._stop = threading.Event()
        self._sweeper: threading.Thread | None = None
        self.settings: Settings | None = None
        self.info: StackInfo | None = None

    # --- emulator -----------------------------------------------------------------------
    def _emulator_file(self) -> Path:
        return self.home / "emulator.json"

    def _start_emulator(self) -> tuple[str, bool]:
        """Adopt a still-running emulator (after a crash) or start one. Returns (url, adopted)."""
        record = self._emulator_file()
        if record.exists():
            previous = json.loads(record.read_text())
            if _answers(previous["endpoint_url"]):
                owner = previous.get("owner")  # the stack process that ran it before
                if owner is not None and stack_guard.owner_running(owner, os.getpid()):
                    raise stack_guard.StackAlreadyRunning(self.home, previous)  # not ours
                self._adopted_endpoint = previous["endpoint_url"]
                gone = owner is not None and not journal_client.alive(int(owner))
                released = journal_client.claim(
                    previous["endpoint_url"], os.getpid(), release=int(owner) if gone else None
                )
                logger.info("emulator adopted", extra={"released_messages": released})
                record.write_text(json.dumps({**previous, "owner": os.getpid()}))
                return previous["endpoint_url"], True
        self.home.mkdir(parents=True, exist_ok=True)
        journal = self.home / "journal" if self.options.journal else None
        if journal is not None and not self.options.restore:
            shutil.rmtree(journal, ignore_errors=True)  # --fresh: start from nothing
        self._emulator = start_moto(
            stack_guard.emulator_port(self.home),  # stable per checkout
            serialise=True,
            new_session=True,
            log=self.home / "emulator.log",
            journal=journal,
            timeout=180,  # includes the journal's replay
        )
        journal_client.claim(self._emulator.endpoint_url, os.getpid())
        record.write_text(
            json.dumps(
                {
                    "endpoint_url": self._emulator.endpoint_url,
                    "pid": self._emulator.process.pid,
                    "owner": os.getpid(),
                }
            )
        )
        return self._emulator.endpoint_url, False

    def _stop_emulator(self) -> None:
        if self._emulator is None and self._adopted_endpoint is None:
            return  # never started nor adopted one (a refused start): another stack's
        if self._emulator is not None:
            self._emulator.stop()
            self._emulator = None
        elif self._adopted_endpoint is not None:
            record = self._emulator_file()
            if record.exists():
                pid = int(json.loads(record.read_text())["pid"])
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGTERM)
                deadline = time.monotonic() + 60  # it writes its journal's snapshot first
                while journal_client.alive(pid) and time.monotonic() < deadline:
                    time.sleep(0.1)
        self._emulator_file().unlink(missing_ok=True)

    # --- settings, tokens ----------------------------------------------------------------
    def _cursor_secret(self) -> str:
        path = self.home / "cursor_secret"
        if not path.exists():
            path.write_text(secrets.token_urlsafe(32))
            path.chmod(0o600)
        return path.read_text().strip()

    def _settings(self, endpoint_url: str, api_url: str) -> Settings:
        base = Settings(
            target=Target.LOCAL,
            endpoint_url=endpoint_url,
            table_name=TABLE_NAME,
            cursor_secret=self._cursor_secret(),  # type: ignore[arg-type]
            public_base_url=api_url,
            # The emulator serialises every DynamoDB request of every process, so this
            # process need not also queue its own calls behind one lock.
            serialise_storage=False,
        )
        return provision(base, prefix=QUEUE_PREFIX)

    def _tokens(self, repo: Any) -> dict[str, str]:
        """One token per role; the ones of the last run stay valid if their users survived."""
        from factcheck.api.auth import ensure_user, hash_token

        previous: dict[str, str] = {}
        stack_file = self.home / "stack.json"
        if stack_file.exists():
            with contextlib.suppress(ValueError, KeyError):
                previous = dict(json.loads(stack_file.read_text())["tokens"])
        tokens: dict[str, str] = {}
        for role in Role:
            token = previous.get(role.value)
            if token:
                try:
                    repo.user_by_token_hash(hash_token(token))
                    tokens[role.value] = token
                    continue
                except NotFound:
                    pass
            _, tokens[role.value] = ensure_user(repo, f"local-{role.value}", role)
        return tokens

    # --- state ----------------------------------------------------------------------------
    def _restore(self, repo: Any, queues: Any) -> None:
        items = state.import_items(repo, self.state_dir)
        messages = state.read_messages(self.state_dir)
        by_queue: dict[str, list[str]] = {}
        for queue, body in messages:
            by_queue.setdefault(queue, []).append(body)
        for logical_id, bodies in by_queue.items():
            url = getattr(self.settings, QUEUE_SETTINGS_FIELD[logical_id])
            queues.send_bodies(url, bodies)
        logger.info("state restored", extra={"items": items, "messages": len(messages)})

    def _drain_queue_bodies(self, client: Any) -> Iterator[tuple[str, str]]:
        """Every visible message of every queue (the emulator is about to stop)."""
        for logical_id, field_name in QUEUE_SETTINGS_FIELD.items():
            url = getattr(self.settings, field_name)
            while True:
                got = client.receive_message(
                    QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0
                ).get("Messages", [])
                if not got:
                    break
                for message in got:
                    yield logical_id, message["Body"]
                    client.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])

    def export_state(self) -> state.StateCounts:
        import boto3

        from factcheck.storage.dynamo import DynamoRepository

        assert self.settings is not None
        repo = DynamoRepository(self.settings)
        counts = state.StateCounts(items=state.export_items(repo, self.state_dir))
        client = boto3.client("sqs", **self.settings.boto_kwargs())
        counts.messages = state.export_messages(self.state_dir, self._drain_queue_bodies(client))
        return counts

    # --- seeds ----------------------------------------------------------------------------
    def _seed(self, repo: Any, queues: Any) -> list[str]:
        from factcheck.pipeline.submit import submit_document

        seeds_dir = self.options.seeds_dir
        if seeds_dir is None or not seeds_dir.is_dir():
            return []
        ids = []
        for path in sorted(seeds_dir.iterdir()):
            if path.suffix.lower() not in SEED_SUFFIXES or not path.is_file():
                continue
            text = path.read_text(encoding="utf-8")
            if path.suffix.lower() in (".html", ".htm"):
                from factcheck.extraction.clean import html_to_text

                text = html_to_text(text)
            title = next((line.strip() for line in text.splitlines() if line.strip()), None)
            doc = Document(id=document_id(text), text=text, title=title, url=None)
            stored, _created = submit_document(repo, queues, doc)
            ids.append(stored.id)
        return ids

    # --- lifecycle -------------------------------------------------------------------------
    def start(self) -> StackInfo:
        from factcheck.api import create_app
        from factcheck.local.http_server import create_http_server
        from factcheck.local.poller import Poller
        from factcheck.pipeline.queues import Queues
        from factcheck.storage.dynamo import DynamoRepository

        opts = self.options
        stack_guard.refuse_to_start(self.home, opts.host, opts.port)  # before touching it
        endpoint_url, adopted = self._start_emulator()
        port = opts.port or free_port(opts.host)
        api_url = f"http://{opts.host}:{port}"
        self.settings = self._settings(endpoint_url, api_url)
        repo = DynamoRepository(self.settings)
        queues = Queues(self.settings)
        # with a journal, the export of an earlier stop is read only into an empty store
        if (
            opts.restore
            and not adopted
            and (not opts.journal or journal_client.empty(journal_client.status(endpoint_url)))
        ):
            self._restore(repo, queues)
        tokens = self._tokens(repo)

        app = create_app(self.settings, repository=repo, queues=queues)
        # waitress, with its own 400s (a NUL in a header...) in the API's error envelope
        self._server = create_http_server(app, host=opts.host, port=port, threads=opts.threads)
        self._server_thread = threading.Thread(
            target=self._server.run, name="waitress", daemon=True
        )
        self._server_thread.start()

        self._poller = Poller(self.settings, wait_time_seconds=opts.poll_wait_seconds)
        self._poller.start()
        self._sweeper = threading.Thread(
            target=self._sweep_loop, args=(repo, queues), name="sweeper", daemon=True
        )
        self._sweeper.start()

        seeded = self._seed(repo, queues)
        self.info = StackInfo(
            api_url=api_url,
            docs_url=f"{api_url}/docs",
            web_url=f"{api_url}/",
            tokens=tokens,
            endpoint_url=endpoint_url,
            seeded=seeded,
            resources=_resources(self.settings),
        )
        stack_file = self.home / "stack.json"
        stack_file.write_text(json.dumps(self.info.as_json(), indent=2) + "\n")
        stack_file.chmod(0o600)
        return self.info

    def _sweep_loop(self, repo: Any, queues: Any) -> None:
        from factcheck.pipeline.sweeper import sweep

        assert self.settings is not None
        while not self._stop.wait(self.options.sweep_interval):
            try:
                sweep(
                    repo,
                    queues,
                    older_than_seconds=self.settings.stuck_after_seconds,
                    max_requeues=self.settings.max_requeues,
                )
            except Exception:  # the sweeper must outlive a transient fault; it runs again
                logger.exception("sweep failed")

    def stop(self) -> state.StateCounts | None:
        """Stop polling and serving, save the state, stop the emulator."""
        self._stop.set()
        if self._poller is not None:
            self._poller.stop(timeout=30)
        if self._server is not None:
            self._server.close()
        counts = None
        if self.settings is not None and self.options.journal:
            with contextlib.suppress(OSError, ValueError):  # the count is only reported
                info = journal_client.status(self.settings.endpoint_url or "")
                counts = state.StateCounts(sum(info["items"].values()), info["messages"])
        elif self.settings is not None:
            try:
                counts = self.export_state()
            except Exception:  # still stop the emulator; the state of the last stop remains
                logger.exception("state export failed")
        self._stop_emulator()
        return counts


def wait_until_ready(api_url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with (
            contextlib.suppress(urllib.error.URLError, ConnectionError, TimeoutError),
            urllib.request.urlopen(f"{api_url}/health", timeout=2),
        ):
            return
        time.sleep(0.1)
    raise TimeoutError(f"{api_url} did not answer within {timeout:.0f}s")
