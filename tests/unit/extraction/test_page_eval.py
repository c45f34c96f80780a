"""Page-level evaluation: claims matched to labelled sentences, and the counts built on them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from factcheck.extraction.page_eval import (
    LabelledSentence,
    PageOutcome,
    evaluate_page,
    evaluate_pages,
    read_labels,
    table,
)

pytestmark = pytest.mark.unit

LABELLED = [
    LabelledSentence("Storm kills three in Texas", 0, True),
    LabelledSentence(
        "Unemployment rose to 7 percent in May, the statistics office said.", 1, False
    ),
    LabelledSentence("The mayor called it a sad day for the city.", 0, False),
    LabelledSentence("Police arrested 12 people after the march on Sunday.", 1, False),
]


@dataclass(frozen=True)
class Claim:
    text: str
    score: float


def outcome(*claims: tuple[str, float]) -> PageOutcome:
    return PageOutcome("ok", [Claim(t, s) for t, s in claims])


def test_a_claim_on_a_label_one_sentence_is_a_hit_and_counts_towards_recall() -> None:
    report = evaluate_page("p", outcome((LABELLED[1].text, 0.9)), LABELLED).to_dict()
    assert (report["precision"], report["recall"]) == (1.0, 0.5)
    assert report["furniture_claims"] == report["joined_claims"] == 0


def test_a_claim_on_a_furniture_line_or_on_no_sentence_is_furniture() -> None:
    report = evaluate_page(
        "p", outcome((LABELLED[0].text, 0.9), ("Subscribe to our newsletter today", 0.8)), LABELLED
    )
    assert report.furniture == 2
    assert report.hits == 0


def test_a_headline_glued_to_the_first_sentence_is_a_join() -> None:
    glued = LABELLED[0].text + "\n" + LABELLED[1].text
    assert evaluate_page("p", outcome((glued, 0.9)), LABELLED).joins == 1
    two = LABELLED[1].text + " " + LABELLED[3].text
    assert evaluate_page("p", outcome((two, 0.9)), LABELLED).joins == 1


@pytest.mark.parametrize(
    ("scores", "tied"), [((0.9, 0.8, 0.7), 0), ((0.9, 0.9, 0.7), 2), ((0.5, 0.5, 0.5), 3)]
)
def test_tied_scores_count_every_claim_sharing_a_score(
    scores: tuple[float, ...], tied: int
) -> None:
    texts = (LABELLED[1].text, LABELLED[2].text, LABELLED[3].text)
    report = evaluate_page("p", outcome(*zip(texts, scores, strict=True)), LABELLED)
    assert report.tied == tied


def test_average_precision_rewards_putting_the_hits_first() -> None:
    good = outcome((LABELLED[1].text, 0.9), (LABELLED[3].text, 0.8), (LABELLED[2].text, 0.7))
    bad = outcome((LABELLED[2].text, 0.9), (LABELLED[1].text, 0.8), (LABELLED[3].text, 0.7))
    assert evaluate_page("p", good, LABELLED).average_precision == pytest.approx(1.0)
    assert evaluate_page("p", bad, LABELLED).average_precision == pytest.approx((1 / 2 + 2 / 3) / 2)


def test_pages_without_labels_are_listed_with_their_status(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("<p>x</p>")
    (tmp_path / "other.html").write_text("<p>y</p>")
    labels_file = tmp_path / "labels.jsonl"
    labels_file.write_text(
        "\n".join(
            json.dumps({"page": "a", "text": s.text, "label": s.label, "furniture": s.furniture})
            for s in LABELLED
        )
    )
    labels = read_labels(labels_file)
    report = evaluate_pages(tmp_path, labels, lambda html: outcome((LABELLED[1].text, 0.9)))
    assert report["pooled"]["pages"] == 1
    assert report["unlabelled_pages"] == [
        {"page": "other", "status": "ok", "language": None, "claims": 1}
    ]
    assert "pooled" not in table(report).splitlines()[0]


def test_the_pooled_report_checks_the_calibration_of_every_scored_sentence() -> None:
    scored = [Claim(LABELLED[1].text, 0.9), Claim(LABELLED[2].text, 0.2)]
    page = evaluate_page("p", PageOutcome("ok", scored[:1], scored=scored), LABELLED)
    assert page.calibration_pairs == [(0.9, 1), (0.2, 0)]
    from factcheck.extraction.page_eval import pooled

    assert pooled([page])["calibration"]["ece"] == pytest.approx(0.15)


def test_a_bad_labels_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "l.jsonl"
    path.write_text('{"page": "a", "text": "x", "label": 1}\n{"page": "a"}\n')
    with pytest.raises(ValueError, match=r"l\.jsonl:2"):
        read_labels(path)


@dataclass(frozen=True)
class Placed:
    text: str
    score: float
    start: int


def test_a_claim_on_the_second_copy_of_a_repeated_line_is_matched_to_the_second_row() -> None:
    # GIVEN a page whose pull quote (furniture) repeats a line the article prints later
    line = "Police arrested 12 people after the march on Sunday."
    labelled = [
        LabelledSentence(line, 0, True),
        LabelledSentence("The mayor called it a sad day for the city.", 0, False),
        LabelledSentence(line, 1, False),
    ]
    pull, mayor, article = (
        Placed(line, 0.9, 0),
        Placed(labelled[1].text, 0.2, 60),
        Placed(line, 0.9, 110),
    )
    # WHEN only the article's copy became a claim (the pull quote was gated)
    placed = PageOutcome("ok", [article], every=[pull, mayor, article])
    unplaced = PageOutcome("ok", [Claim(line, 0.9)])
    # THEN it is a hit on the article's row; without positions it falls on the first row
    assert (
        evaluate_page("p", placed, labelled).hits,
        evaluate_page("p", placed, labelled).furniture,
    ) == (1, 0)
    assert evaluate_page("p", unplaced, labelled).furniture == 1
