"""`factcheck extract` and `factcheck eval`: output shapes, speed, and one-line errors."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from factcheck.cli.extract_cmd import MAX_INPUT_BYTES

CliRun = Callable[..., tuple[int, str, str]]  # the run_cli fixture: (status, stdout, stderr)

pytestmark = pytest.mark.unit

CLAIM_KEYS = {
    "id",
    "text",
    "start",
    "end",
    "score",
    "reasons",
    "categories",
    "quantities",
    "context",
    "context_before",
    "context_after",
}


def test_extract_json_prints_one_array_of_claims(run_cli: CliRun, seed_path: Path) -> None:
    status, out, err = run_cli("extract", str(seed_path), "--format", "json", "--model", "linear")
    assert status == 0, err
    claims = json.loads(out)
    original = seed_path.read_text(encoding="utf-8")
    assert 1 <= len(claims) <= 15
    for claim in claims:
        assert set(claim) >= CLAIM_KEYS
        assert original[claim["start"] : claim["end"]] == claim["text"]
        for q in claim["quantities"]:
            assert set(q) == {"kind", "low", "high", "unit", "text"}


def test_extract_all_prints_every_sentence(run_cli: CliRun, seed_path: Path) -> None:
    _, kept, _ = run_cli("extract", str(seed_path), "--format", "json", "--model", "linear")
    _, every, _ = run_cli(
        "extract", str(seed_path), "--format", "json", "--all", "--model", "linear"
    )
    assert len(json.loads(every)) > len(json.loads(kept))


def test_extract_table_is_the_default(run_cli: CliRun, seed_path: Path) -> None:
    status, out, _ = run_cli("extract", str(seed_path), "--model", "linear")
    assert status == 0
    assert out.splitlines()[0].split()[:3] == ["score", "span", "categories"]


def test_extract_reads_stdin(
    run_cli: CliRun, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    source = tmp_path / "in.txt"
    source.write_text("Unemployment rose 40 percent in 2020, the biggest rise on record.\n")
    with source.open("rb") as handle:
        monkeypatch.setattr("sys.stdin", type("S", (), {"buffer": handle})())
        status, out, _ = run_cli("extract", "-", "--format", "json", "--model", "linear")
    assert status == 0
    assert json.loads(out)[0]["quantities"][0]["kind"] == "percent"


def test_extract_several_files_maps_each_path(run_cli: CliRun, tmp_path: Path) -> None:
    paths = []
    for name in ("a.txt", "b.txt"):
        path = tmp_path / name
        path.write_text("Exports fell 12 percent in 2023, the largest drop in a decade.\n")
        paths.append(str(path))
    status, out, _ = run_cli("extract", *paths, "--format", "json", "--model", "linear")
    assert status == 0
    assert set(json.loads(out)) == set(paths)


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n", "empty"),
        ("junk.bin", bytes(range(256)) * 4, "binary"),
        ("latin1.txt", "café crème".encode("latin-1"), "not UTF-8"),
        ("controls.txt", b"\x01\x02\x03\x04\x05\x06\x07\x08" * 10 + b"abc", "binary"),
    ],
)
@pytest.mark.parametrize("command", ["extract", "eval"])
def test_bad_input_is_one_clear_line_and_a_nonzero_exit(
    run_cli: CliRun, tmp_path: Path, command: str, name: str, data: bytes, message: str
) -> None:
    status, out, err = run_cli(command, str(_write(tmp_path, name, data)))
    assert status != 0
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err + out


@pytest.mark.parametrize("command", ["extract", "eval"])
def test_a_missing_file_is_reported(run_cli: CliRun, tmp_path: Path, command: str) -> None:
    status, _, err = run_cli(command, str(tmp_path / "nope.txt"))
    assert status != 0 and "no such file" in err


@pytest.mark.parametrize("command", ["extract", "eval"])
def test_a_directory_is_reported(run_cli: CliRun, tmp_path: Path, command: str) -> None:
    status, _, err = run_cli(command, str(tmp_path))
    assert status != 0 and "not a regular file" in err


@pytest.mark.parametrize("command", ["extract", "eval"])
def test_a_file_over_50_mb_is_refused_by_size_before_reading(
    run_cli: CliRun, tmp_path: Path, command: str
) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(MAX_INPUT_BYTES + 1)  # sparse: nothing is written
    status, _, err = run_cli(command, str(big))
    assert status != 0 and "too large" in err


@pytest.mark.parametrize("value", ["-0.1", "1.5", "abc"])
def test_threshold_outside_the_unit_interval_is_a_usage_error(
    run_cli: CliRun, seed_path: Path, value: str
) -> None:
    status, _, err = run_cli("extract", str(seed_path), "--threshold", value)
    assert status == 2 and "threshold" in err


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (['{"id": "a", "text": "x", "label": 1}', "{not json"], ":2: invalid JSON"),
        (['{"id": "a", "label": 1}'], ":1: missing or non-string 'text'"),
        (['{"id": "a", "text": "x", "label": 7}'], ":1: 'label' must be 0 or 1"),
        (["[1, 2]"], ":1: expected a JSON object"),
        (['{"id": "a", "text": "x", "label": 1}', "", '{"text": 3, "label": 0}'], ":3: missing"),
    ],
)
def test_invalid_jsonl_names_the_line(
    run_cli: CliRun, tmp_path: Path, lines: list[str], message: str
) -> None:
    path = _write(tmp_path, "bad.jsonl", "\n".join(lines).encode())
    status, _, err = run_cli("eval", str(path))
    assert status != 0
    assert message in err and len(err.strip().splitlines()) == 1


def test_eval_prints_the_metrics(run_cli: CliRun, tmp_path: Path) -> None:
    rows = [
        {"id": "1", "text": "Unemployment rose 40 percent in 2020, a record.", "label": 1},
        {"id": "2", "text": "Thank you very much.", "label": 0},
        {"id": "3", "text": "The deficit doubled to $1.2 trillion last year.", "label": 1},
        {"id": "4", "text": "I think we should all be kind.", "label": 0},
    ]
    path = _write(tmp_path, "small.jsonl", "\n".join(json.dumps(r) for r in rows).encode())
    status, out, _ = run_cli("eval", str(path), "--json", "--model", "linear")
    assert status == 0
    metrics = json.loads(out)
    assert set(metrics) == {"precision", "recall", "f1", "average_precision", "n", "threshold"}
    assert metrics["n"] == 4 and metrics["average_precision"] == 1.0
    status, text, _ = run_cli("eval", str(path), "--model", "linear", "--threshold", "0.5")
    assert status == 0 and "f1" in text and "0.5" in text


def test_eval_on_dev_is_fast_and_good(run_cli: CliRun, eval_dir: Path) -> None:
    started = time.perf_counter()
    status, out, _ = run_cli(
        "eval", str(eval_dir / "checkworthy_dev.jsonl"), "--json", "--model", "linear"
    )
    elapsed = time.perf_counter() - started
    assert status == 0
    metrics = json.loads(out)
    assert metrics["n"] == 1032
    assert metrics["f1"] >= 0.8 and metrics["average_precision"] >= 0.85
    assert elapsed < 10.0


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (
            "Die Bundesregierung hat am Mittwoch beschlossen, die Steuern im kommenden Jahr "
            "deutlich zu senken. Die Opposition kritisierte den Plan scharf.\n",
            "unsupported_language",
        ),
        ("<html><body><nav>Home</nav><footer>Contact</footer></body></html>", "no_text"),
    ],
)
def test_extract_says_on_stderr_why_a_document_has_no_claims_and_exits_non_zero(
    run_cli: CliRun, tmp_path: Path, content: str, says: str
) -> None:
    path = tmp_path / "doc.html"
    path.write_text(content, encoding="utf-8")
    status, out, err = run_cli("extract", str(path), "--format", "json", "--model", "linear")
    assert status == 3
    assert json.loads(out) == []
    assert says in err and str(path) in err


def test_eval_pages_reports_pooled_and_per_page_figures(run_cli: CliRun, tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    sentence = "Unemployment rose to 7.4 percent in March, the highest rate since 2010."
    (pages / "a.html").write_text(
        f"<html><body><article><h1>Jobs Report Shows A Rise</h1><p>{sentence}</p>"
        "<p>The mayor called it a sad day for the whole city and its families.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    labels = tmp_path / "labels.jsonl"
    rows = [
        {"page": "a", "text": "Jobs Report Shows A Rise", "label": 0, "furniture": True},
        {"page": "a", "text": sentence, "label": 1, "furniture": False},
        {
            "page": "a",
            "text": "The mayor called it a sad day for the whole city and its families.",
            "label": 0,
            "furniture": False,
        },
    ]
    labels.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    status, out, err = run_cli(
        "eval", "--pages", str(pages), "--labels", str(labels), "--json", "--model", "linear"
    )
    assert status == 0, err
    report = json.loads(out)
    assert report["pooled"]["pages"] == 1
    assert report["pooled"]["furniture_claims"] == 0
    assert report["pages"][0]["label_rate"] == 0.5


def test_eval_pages_needs_both_options(run_cli: CliRun, tmp_path: Path) -> None:
    status, _, err = run_cli("eval", "--pages", str(tmp_path))
    assert status == 2 and "--labels" in err
