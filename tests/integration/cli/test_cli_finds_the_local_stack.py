"""The command line against the local stack: `factcheck users ...` finds the running stack
from `.factcheck/stack.json` by itself, and without one refuses to guess (it never falls
through to real AWS)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factcheck.cli import main
from factcheck.local.moto_process import MotoProcess
from factcheck.settings import Settings
from factcheck.storage.dynamo import DynamoRepository

pytestmark = pytest.mark.integration


@pytest.fixture
def stack_home(tmp_path: Path, server_settings: Settings) -> Path:
    """A folder as `make run` leaves it: stack.json naming the emulator, table and queues."""
    home = tmp_path / ".factcheck"
    home.mkdir()
    resources = {
        "target": "local",
        "endpoint_url": str(server_settings.endpoint_url),
        "table_name": server_settings.table_name,
        "documents_queue_url": str(server_settings.documents_queue_url),
    }
    (home / "stack.json").write_text(json.dumps({"resources": resources}))
    return home


def test_users_commands_reach_the_running_stack_without_any_setting(
    stack_home: Path, server_settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["users", "add", "alice", "--role", "reviewer", "--home", str(stack_home)]) == 0
    token = capsys.readouterr().out.strip()
    assert token.startswith("fct_")
    repo = DynamoRepository(server_settings)
    assert repo.user_by_name("alice").role.value == "reviewer"

    assert main(["users", "set-role", "alice", "editor", "--home", str(stack_home)]) == 0
    assert main(["users", "list", "--json", "--home", str(stack_home)]) == 0
    listed = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert [(u["name"], u["role"]) for u in listed] == [("alice", "editor")]

    assert main(["users", "add", "alice", "--role", "admin", "--home", str(stack_home)]) == 2
    assert "factcheck users rotate alice" in capsys.readouterr().err


def test_without_a_running_stack_or_target_the_command_refuses_to_guess(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["users", "list", "--home", str(tmp_path / "nothing-here")])
    assert code == 2
    assert "no local stack is running" in capsys.readouterr().err


def test_a_stack_file_whose_emulator_is_gone_is_not_used(
    stack_home: Path, moto_server: MotoProcess, capsys: pytest.CaptureFixture[str]
) -> None:
    info = json.loads((stack_home / "stack.json").read_text())
    info["resources"]["endpoint_url"] = "http://127.0.0.1:9"  # nothing listens there
    (stack_home / "stack.json").write_text(json.dumps(info))
    assert main(["users", "list", "--home", str(stack_home)]) == 2
    assert "no local stack is running" in capsys.readouterr().err


def test_export_and_redrive_reach_the_running_stack_too(
    stack_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["users", "add", "alice", "--role", "editor", "--home", str(stack_home)])
    out = tmp_path / "backup"
    out.mkdir()
    assert main(["export", str(out), "--home", str(stack_home)]) == 0
    assert "alice" in (out / "items.jsonl").read_text()
    assert main(["redrive", "--json", "--home", str(stack_home)]) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["requeued"] == []


def test_a_failed_export_leaves_no_temporary_file_behind(stack_home: Path, tmp_path: Path) -> None:
    info = json.loads((stack_home / "stack.json").read_text())
    info["resources"]["table_name"] = "no-such-table"
    (stack_home / "stack.json").write_text(json.dumps(info))
    out = tmp_path / "backup"
    out.mkdir()
    assert main(["export", str(out), "--home", str(stack_home)]) == 2
    assert list(out.iterdir()) == []


FIXTURES = Path(__file__).resolve().parents[2] / "data" / "claimreviews"


def test_import_claimreviews_indexes_the_readable_checks_and_reports_the_rest(
    stack_home: Path, server_settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["import-claimreviews", str(FIXTURES), "--json", "--home", str(stack_home)])
    assert code == 1  # broken.json's items are refused, the rest imported
    captured = capsys.readouterr()
    report = json.loads(captured.out.strip().splitlines()[-1])
    assert report["imported"] == 5
    assert len(report["errors"]) == 3 and "broken.json" in captured.err
    repo = DynamoRepository(server_settings)
    (check,) = repo.get_external_checks(["x" + "0" * 16, _id_of_flat_world()])
    assert check.claim_reviewed == "The world is flat"


def _id_of_flat_world() -> str:
    from factcheck.publishing.external import external_check_id

    return external_check_id("https://example.com/news/science/worldisflat.html")
