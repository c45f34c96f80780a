"""News fine-tuning rows come from the fit pages only, and extra rows carry their weight."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factcheck.training.config import config_from_args
from factcheck.training.data import combine, load_jsonl
from factcheck.training.news import main, pages_with_html, read_rows, split_pages, train_rows
from factcheck.training.train import build_parser

pytestmark = pytest.mark.unit


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


ROWS: list[dict[str, object]] = [
    {"page": "a", "text": "Posted Monday.", "label": 0, "furniture": True},
    {"page": "a", "text": "Prices rose 5%.", "label": 1, "furniture": False},
    {"page": "a", "text": "Prices rose 5%.", "label": 1, "furniture": False},
    {"page": "a", "text": "He smiled.", "label": 0, "furniture": False},
    {"page": "b", "text": "Unemployment fell to 3%.", "label": 1, "furniture": False},
    {"page": "c", "text": "Sales doubled in 2020.", "label": 1, "furniture": False},
]


def test_pages_are_split_every_other_by_sorted_name_as_the_calibration_splits_them() -> None:
    fit, held = split_pages(["d", "b", "a", "c", "e", "b"])
    assert fit == ["a", "c", "e"] and held == ["b", "d"]
    assert not set(fit) & set(held)


def test_only_rows_of_the_chosen_pages_are_kept_and_repeats_once() -> None:
    got = train_rows(ROWS, ["a", "c"])
    assert [r["text"] for r in got] == ["Prices rose 5%.", "He smiled.", "Sales doubled in 2020."]
    assert {r["page"] for r in got} == {"a", "c"}


def test_furniture_is_dropped_by_default_or_kept_as_a_negative() -> None:
    assert all(r["text"] != "Posted Monday." for r in train_rows(ROWS, ["a"]))
    kept = train_rows(ROWS, ["a"], furniture="negative")
    assert {"text": "Posted Monday.", "label": 0, "page": "a"} in kept


def test_only_pages_with_an_html_file_are_evaluated(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("<p>x</p>", encoding="utf-8")
    (tmp_path / "c.html").write_text("<p>x</p>", encoding="utf-8")
    assert pages_with_html(ROWS, tmp_path) == ["a", "c"]


def test_a_row_without_a_page_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path / "l.jsonl", [{"text": "x", "label": 1}])
    with pytest.raises(ValueError, match="page"):
        read_rows(path)


def test_the_command_writes_the_fit_half_with_no_held_out_text(tmp_path: Path) -> None:
    labels = _write(tmp_path / "l.jsonl", ROWS)
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.html").write_text("<p>x</p>", encoding="utf-8")
    out = tmp_path / "fit.jsonl"
    assert main(["--pages", str(tmp_path), "--labels", str(labels), "--out", str(out)]) == 0
    data = load_jsonl(out)
    assert "Unemployment fell to 3%." not in data.texts  # page b is held out
    assert data.texts == ["Prices rose 5%.", "He smiled.", "Sales doubled in 2020."]


def test_extra_rows_weigh_what_they_are_given_and_base_rows_weigh_one(tmp_path: Path) -> None:
    base = load_jsonl(_write(tmp_path / "t.jsonl", [{"text": "a", "label": 1}] * 2))
    extra = load_jsonl(_write(tmp_path / "n.jsonl", [{"text": "b", "label": 0}]))
    both = combine(base, extra, 3.0)
    assert both.texts == ["a", "a", "b"] and both.labels == [1, 1, 0]
    assert both.row_weights() == [1.0, 1.0, 3.0]
    parts = both.provenance()["parts"]
    assert isinstance(parts, list) and [p["weight"] for p in parts] == [1.0, 3.0]
    with pytest.raises(ValueError, match="extra_weight"):
        combine(base, extra, 0.0)


def test_a_plain_dataset_weighs_every_row_one(tmp_path: Path) -> None:
    data = load_jsonl(_write(tmp_path / "t.jsonl", [{"text": "a", "label": 0}] * 3))
    assert data.row_weights() == [1.0, 1.0, 1.0]
    assert "parts" not in data.provenance()


def test_the_train_command_takes_an_extra_train_file_and_its_weight() -> None:
    args = build_parser().parse_args(
        ["--out", "x", "--extra-train", "news.jsonl", "--extra-weight", "2.5"]
    )
    cfg = config_from_args(args)
    assert cfg.extra_train == Path("news.jsonl") and cfg.extra_weight == 2.5
    assert config_from_args(build_parser().parse_args(["--out", "x"])).extra_train is None
