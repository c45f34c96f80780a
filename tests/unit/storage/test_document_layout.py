"""A document's block layout (an HTML page's blocks) is stored with its text and read back
as it was; one whose layout would push the item over DynamoDB's limit is stored without it
(the text is the document, the layout an aid)."""

from __future__ import annotations

import pytest

from factcheck import ids
from factcheck.domain.models import Document
from factcheck.storage.documents import MAX_ITEM_BYTES
from factcheck.storage.dynamo import DynamoRepository

pytestmark = pytest.mark.unit

TEXT = "Prices Rise Again\n\nInflation rose to 3.2% in May.\nIt was 2.9% in April.\n\nPhoto: AP"
LAYOUT = [(0, 17, "heading", 0.0, 1), (19, 71, "paragraph", 0.0, 2), (73, 82, "caption", 0.5, 3)]


def test_a_layout_is_stored_with_the_text_and_reads_back_equal(repo: DynamoRepository) -> None:
    doc = Document(id=ids.document_id(TEXT), text=TEXT, layout=LAYOUT)
    stored, created = repo.put_document(doc)
    got = repo.get_document(doc.id)
    assert created and got == stored == doc
    assert got.layout == LAYOUT
    assert [got.text[s:e] for s, e, *_ in got.layout] == [
        "Prices Rise Again",
        "Inflation rose to 3.2% in May.\nIt was 2.9% in April.",
        "Photo: AP",
    ]


def test_a_document_without_a_layout_reads_back_with_none(repo: DynamoRepository) -> None:
    doc = Document(id=ids.document_id(TEXT), text=TEXT)
    repo.put_document(doc)
    assert repo.get_document(doc.id).layout is None


def test_a_layout_that_would_pass_the_item_limit_is_dropped_and_the_text_kept(
    repo: DynamoRepository,
) -> None:
    # GIVEN a text within the text limit whose layout of one block per character is not
    text = "a " * (repo.settings.max_document_bytes // 2 - 1) + "a"
    layout = [(i, i + 1, "paragraph", 0.0, i) for i in range(0, len(text), 2)]
    assert len(text.encode()) <= repo.settings.max_document_bytes
    assert len(layout) * 20 > MAX_ITEM_BYTES  # well over, whatever the encoding
    doc = Document(id=ids.document_id(text), text=text, layout=layout)
    # WHEN it is written THEN it is stored, without the layout
    stored, created = repo.put_document(doc)
    assert created and stored.layout is None
    got = repo.get_document(doc.id)
    assert got.text == text and got.layout is None
