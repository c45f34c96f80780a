"""Every scored sentence of a document, in one item next to it (`DOC#<id>` / `SENTENCES`).

Written by the extract step, because only the extract function has the model (the API's
artifact has no scorer to compute them on demand). Kept compact to stay inside DynamoDB's
400 KB item limit: one JSON string of rows `[start, end, score, logit, selected, gate,
[explanation...]]` with each gate and explanation phrase stored once and referred to by
index (the text is the document's, sliced by the offsets). A document too long for that
keeps its explanations out first, then its last rows (`truncated`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Protocol

from factcheck.domain.sentences import DocumentSentences, ScoredSentence
from factcheck.storage import keys
from factcheck.storage.base import Store
from factcheck.storage.codec import deserialise, serialise

SENTENCES_SK = "SENTENCES"
MAX_ROWS_BYTES = 360_000  # under the 400 KB item limit, with the keys and headroom
_VERSION = 1


def sentences_key(doc_id: str) -> dict[str, str]:
    return {keys.PK: f"DOC#{doc_id}", keys.SK: SENTENCES_SK}


def encode(sentences: Sequence[ScoredSentence], limit: int = MAX_ROWS_BYTES) -> tuple[str, bool]:
    """(the compact JSON, truncated): explanations dropped first, then trailing rows."""
    phrases: dict[str, int] = {}

    def ref(text: str) -> int:
        return phrases.setdefault(text, len(phrases))

    rows: list[list[Any]] = [
        [
            s.start,
            s.end,
            round(s.score, 4),
            round(s.logit, 3),
            int(s.selected),
            -1 if s.gate is None else ref(s.gate),
            [ref(e) for e in s.explanation],
        ]
        for s in sentences
    ]
    body: dict[str, Any] = {"v": _VERSION, "phrases": list(phrases), "rows": rows}
    text = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
    if len(text.encode("utf-8")) <= limit:
        return text, False
    gates: set[int] = {r[5] for r in rows if r[5] >= 0}  # keep only the gates' phrases
    keep = {old: new for new, old in enumerate(sorted(gates))}
    names = list(phrases)
    rows = [[*r[:5], keep.get(r[5], -1), []] for r in rows]
    body = {"v": _VERSION, "phrases": [names[i] for i in sorted(gates)], "rows": rows}
    while True:
        text = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
        size = len(text.encode("utf-8"))
        if size <= limit or not rows:
            return text, True
        del rows[max(1, len(rows) * limit // size) :]


def decode(doc_id: str, text: str, truncated: bool, source: str) -> DocumentSentences:
    body = json.loads(text)
    phrases: list[str] = body["phrases"]
    items = [
        ScoredSentence(
            start=start,
            end=end,
            score=score,
            logit=logit,
            selected=bool(selected),
            gate=None if gate < 0 else phrases[gate],
            explanation=[phrases[i] for i in explanation],
            text=source[start:end],
        )
        for start, end, score, logit, selected, gate, explanation in body["rows"]
    ]
    return DocumentSentences(document_id=doc_id, items=items, truncated=truncated)


class SentenceStore(Protocol):
    """Every scored sentence of a document, recorded at extraction (the API has no scorer)."""

    def put_sentences(self, doc_id: str, sentences: Sequence[ScoredSentence]) -> bool:
        """Replace them; True when some were left out to fit the item."""

    def document_sentences(self, doc_id: str, source: str) -> DocumentSentences | None:
        """Them with their text sliced from `source`; None when none were recorded."""


class Sentences(Store):
    """The extract step writes a document's sentences; reviewers read them back."""

    def put_sentences(self, doc_id: str, sentences: Sequence[ScoredSentence]) -> bool:
        """Replace the document's sentences (a re-extraction writes the same); True when
        some had to be left out to fit the item."""
        text, truncated = encode(sentences)
        item: dict[str, Any] = {
            **sentences_key(doc_id),
            keys.TYPE: "sentences",
            "rows": text,
            "truncated": truncated,
        }
        self.db.call("put_item", TableName=self.db.name, Item=serialise(item))
        return truncated

    def document_sentences(self, doc_id: str, source: str) -> DocumentSentences | None:
        """The recorded sentences with their text sliced from `source` (the document's
        text); None when extraction recorded none (not extracted yet, or before this)."""
        item = self.db.get(sentences_key(doc_id))
        if item is None:
            return None
        attrs = deserialise(item)
        return decode(doc_id, str(attrs["rows"]), bool(attrs.get("truncated")), source)
