"""Page-level evaluation: the extractor run on whole HTML pages against labelled sentences.

A newsroom labels the sentences of its own pages (`{page, text, label, furniture}` per
line, as in ../shared/eval/news/) and measures what a reviewer would see. Each claim is
matched to the labelled sentence of its page that shares most of its words; it is a hit
on a label-1 sentence, a miss on a label-0 one, "furniture" on a furniture line or on no
labelled sentence at all, and a "join" when it holds a line break or a substantial part
of a second labelled sentence. Recall counts distinct label-1 sentences hit.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

_TOKEN = re.compile(r"\w+")
MIN_MATCH = 0.5  # share of a claim's words its sentence must hold to count as matched
JOIN_MIN_WORDS = 3  # words of another sentence, outside the matched one, that make a join
TOP_K = 5


class ScoredSpan(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def score(self) -> float: ...


@dataclass(frozen=True, slots=True)
class LabelledSentence:
    text: str
    label: int
    furniture: bool


@dataclass(frozen=True, slots=True)
class PageOutcome:
    """What the extractor returned for one page: a status and its claims, best first."""

    status: str
    claims: Sequence[ScoredSpan]
    sentences: int = 0
    language: str | None = None
    scored: Sequence[ScoredSpan] = ()  # the sentences no gate refused, for calibration
    # every sentence in document order, each with a `start` (claims among them): a claim is
    # then matched where it sits in the page, gated copies of its line taken into account
    every: Sequence[ScoredSpan] = ()


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


@dataclass
class PageReport:
    page: str
    status: str
    language: str | None
    claims: int = 0
    hits: int = 0
    on_label0: int = 0
    furniture: int = 0
    joins: int = 0
    tied: int = 0
    article_sentences: int = 0
    positives: int = 0
    positives_found: int = 0
    top_k_hits: int = 0
    top_k_n: int = 0
    average_precision: float = 0.0
    examples: dict[str, list[str]] = field(default_factory=dict)
    calibration_pairs: list[tuple[float, int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        p, r, f1 = _prf(self.hits, self.claims, self.positives_found, self.positives)
        return {
            "page": self.page,
            "status": self.status,
            "language": self.language,
            "claims": self.claims,
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f1, 4),
            "precision_at_5": round(self.top_k_hits / self.top_k_n, 4) if self.top_k_n else None,
            "average_precision": round(self.average_precision, 4),
            "flag_rate": _rate(self.claims, self.article_sentences),
            "label_rate": _rate(self.positives, self.article_sentences),
            "furniture_claims": self.furniture,
            "joined_claims": self.joins,
            "tied_scores": self.tied,
            "examples": self.examples,
        }


def _rate(n: int, d: int) -> float | None:
    return round(n / d, 4) if d else None


def _prf(hits: int, claims: int, found: int, positives: int) -> tuple[float, float, float]:
    p = hits / claims if claims else 0.0
    r = found / positives if positives else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _match(
    claim: str, labelled: Sequence[LabelledSentence], taken: frozenset[int] = frozenset()
) -> tuple[int | None, bool]:
    """(index of the best labelled sentence or None, whether the claim joins two).

    Of equally good sentences the first not in `taken` wins: a line the page prints twice
    (a pull quote, then the paragraph it repeats) is two labelled rows, and the second
    claim on it is on the second row."""
    words = _tokens(claim)
    if not words:
        return None, False
    bag = Counter(words)
    overlaps = [sum((bag & Counter(_tokens(s.text))).values()) for s in labelled]
    if not overlaps or max(overlaps) < MIN_MATCH * len(words):
        return None, "\n" in claim
    best = max(range(len(overlaps)), key=lambda i: (overlaps[i], i not in taken, -i))
    rest = bag - Counter(_tokens(labelled[best].text))
    joined = "\n" in claim.strip()
    if sum(rest.values()) >= JOIN_MIN_WORDS:
        for i, s in enumerate(labelled):
            if i != best and sum((rest & Counter(_tokens(s.text))).values()) >= min(
                JOIN_MIN_WORDS, len(_tokens(s.text))
            ):
                shared = sum((rest & Counter(_tokens(s.text))).values())
                if shared >= 0.5 * len(_tokens(s.text)):
                    joined = True
                    break
    return best, joined


def evaluate_page(
    page: str, outcome: PageOutcome, labelled: Sequence[LabelledSentence]
) -> PageReport:
    """Match one page's claims (best first) to its labelled sentences and count."""
    report = PageReport(page, outcome.status, outcome.language)
    report.article_sentences = sum(1 for s in labelled if not s.furniture)
    report.positives = sum(1 for s in labelled if s.label == 1 and not s.furniture)
    matches = _claim_matches(outcome, labelled)
    order = sorted(range(len(outcome.claims)), key=lambda i: -outcome.claims[i].score)
    claims = [outcome.claims[i] for i in order]  # stable: document order on ties
    report.claims = len(claims)
    counts = Counter(c.score for c in claims)
    report.tied = sum(n for n in counts.values() if n > 1)
    found: set[int] = set()
    precision_sum = 0.0
    examples: dict[str, list[str]] = defaultdict(list)
    for rank, (index, claim) in enumerate(zip(order, claims, strict=True), start=1):
        best, joined = matches[index]
        hit = best is not None and labelled[best].label == 1 and not labelled[best].furniture
        if best is None or labelled[best].furniture:
            report.furniture += 1
            examples["furniture"].append(claim.text[:160])
        elif not hit:
            report.on_label0 += 1
        if joined:
            report.joins += 1
            examples["joined"].append(claim.text[:160])
        if hit:
            report.hits += 1
            if rank <= TOP_K:
                report.top_k_hits += 1
            if best not in found:
                found.add(best)  # type: ignore[arg-type]
                precision_sum += report.hits / rank
    report.top_k_n = min(TOP_K, len(claims))
    report.positives_found = len(found)
    report.average_precision = precision_sum / report.positives if report.positives else 0.0
    report.examples = {k: v[:5] for k, v in examples.items()}
    scored = _in_order([s.text for s in outcome.scored], labelled)
    for sentence, (best, _) in zip(outcome.scored, scored, strict=True):
        hit = best is not None and labelled[best].label == 1 and not labelled[best].furniture
        report.calibration_pairs.append((float(sentence.score), int(hit)))
    return report


def _claim_matches(
    outcome: PageOutcome, labelled: Sequence[LabelledSentence]
) -> list[tuple[int | None, bool]]:
    """`_match` of each claim, assigned in document order over every sentence when the
    outcome has them (a claim on the second copy of a line takes the second row)."""
    starts = [getattr(c, "start", None) for c in outcome.claims]
    if not outcome.every or None in starts:
        return _in_order([c.text for c in outcome.claims], labelled)
    every = _in_order([s.text for s in outcome.every], labelled)
    at = {getattr(s, "start", None): m for s, m in zip(outcome.every, every, strict=True)}
    return [
        at.get(start) or _match(c.text, labelled)
        for start, c in zip(starts, outcome.claims, strict=True)
    ]


def _in_order(
    texts: Sequence[str], labelled: Sequence[LabelledSentence]
) -> list[tuple[int | None, bool]]:
    """`_match` of each text in document order, each taking the labelled row it matched."""
    taken: set[int] = set()
    out: list[tuple[int | None, bool]] = []
    for text in texts:
        best, joined = _match(text, labelled, frozenset(taken))
        if best is not None:
            taken.add(best)
        out.append((best, joined))
    return out


def read_labels(path: Path) -> dict[str, list[LabelledSentence]]:
    """Labelled sentences per page, in file order; a bad line raises ValueError naming it."""
    pages: dict[str, list[LabelledSentence]] = defaultdict(list)
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            page, text, label = row["page"], row["text"], int(row["label"])
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{path}:{number}: need page, text and label ({exc})") from exc
        if label not in (0, 1) or not isinstance(page, str) or not isinstance(text, str):
            raise ValueError(f"{path}:{number}: label must be 0 or 1, page and text strings")
        pages[page].append(LabelledSentence(text, label, bool(row.get("furniture", False))))
    return dict(pages)


def pooled(reports: Iterable[PageReport]) -> dict[str, Any]:
    """Totals over the labelled pages: micro P/R/F1, mean P@5 and AP, rates and counts."""
    rs = [r for r in reports]
    hits = sum(r.hits for r in rs)
    claims = sum(r.claims for r in rs)
    found = sum(r.positives_found for r in rs)
    positives = sum(r.positives for r in rs)
    article = sum(r.article_sentences for r in rs)
    p, rec, f1 = _prf(hits, claims, found, positives)
    with_claims = [r for r in rs if r.top_k_n]
    return {
        "pages": len(rs),
        "claims": claims,
        "precision": round(p, 4),
        "recall": round(rec, 4),
        "f1": round(f1, 4),
        "precision_at_5": round(sum(r.top_k_hits / r.top_k_n for r in with_claims) / len(rs), 4)
        if rs
        else None,
        "mean_average_precision": round(sum(r.average_precision for r in rs) / len(rs), 4)
        if rs
        else None,
        "flag_rate": _rate(claims, article),
        "label_rate": _rate(positives, article),
        "furniture_claims": sum(r.furniture for r in rs),
        "joined_claims": sum(r.joins for r in rs),
        "tied_scores": sum(r.tied for r in rs),
        "empty_pages": sum(1 for r in rs if r.status != "ok" or r.claims == 0),
        "statuses": dict(Counter(r.status for r in rs)),
        "calibration": _calibration([p for r in rs for p in r.calibration_pairs]),
    }


def _calibration(pairs: list[tuple[float, int]]) -> dict[str, object] | None:
    """ECE and reliability of the calibrated scores of the sentences no gate refused."""
    if not pairs:
        return None
    from factcheck.extraction.metrics import calibration_error

    return calibration_error([p for p, _ in pairs], [y for _, y in pairs])


def evaluate_pages(
    pages_dir: Path,
    labels: dict[str, list[LabelledSentence]],
    run_page: Callable[[str], PageOutcome],
) -> dict[str, Any]:
    """Run `run_page` on every `*.html` of `pages_dir`; labelled pages are scored, the others
    (e.g. other languages) are listed with their status and claim count."""
    labelled_reports: list[PageReport] = []
    unlabelled: list[dict[str, Any]] = []
    for path in sorted(pages_dir.glob("*.html")):
        name = path.stem
        outcome = run_page(path.read_text(encoding="utf-8", errors="replace"))
        if name in labels:
            labelled_reports.append(evaluate_page(name, outcome, labels[name]))
        else:
            unlabelled.append(
                {
                    "page": name,
                    "status": outcome.status,
                    "language": outcome.language,
                    "claims": len(outcome.claims),
                }
            )
    missing = sorted(set(labels) - {r.page for r in labelled_reports})
    return {
        "pooled": pooled(labelled_reports),
        "pages": [r.to_dict() for r in labelled_reports],
        "unlabelled_pages": unlabelled,
        "unlabelled_claims": sum(u["claims"] for u in unlabelled),
        "labelled_pages_missing_html": missing,
    }


def table(report: dict[str, Any]) -> str:
    """A reviewer-readable table: one line per page, then the pooled figures."""
    head = f"{'page':<42} {'st':<6} {'n':>3} {'P':>5} {'R':>5} {'F1':>5} {'P@5':>5} {'AP':>5} "
    head += f"{'flag':>5} {'lab':>5} {'furn':>4} {'join':>4} {'tie':>4}"
    lines = [head]

    def f(x: float | None) -> str:
        return f"{x:5.2f}" if isinstance(x, float) else f"{'-':>5}"

    for r in report["pages"]:
        lines.append(
            f"{r['page'][:42]:<42} {r['status'][:6]:<6} {r['claims']:>3} {f(r['precision'])} "
            f"{f(r['recall'])} {f(r['f1'])} {f(r['precision_at_5'])} {f(r['average_precision'])} "
            f"{f(r['flag_rate'])} {f(r['label_rate'])} {r['furniture_claims']:>4} "
            f"{r['joined_claims']:>4} {r['tied_scores']:>4}"
        )
    for u in report["unlabelled_pages"]:
        lines.append(f"{u['page'][:42]:<42} {u['status'][:6]:<6} {u['claims']:>3}  (unlabelled)")
    p = report["pooled"]
    lines.append("")
    for key, value in p.items():
        if key == "calibration" and isinstance(value, dict):
            value = f"ECE {value['ece']} over {value['n']} sentences (reliability in --json)"
        lines.append(f"{key:<24} {value}")
    lines.append(f"{'unlabelled_claims':<24} {report['unlabelled_claims']}")
    return "\n".join(lines)
