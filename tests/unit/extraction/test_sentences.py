"""Sentence spans: abbreviations, initials, decimals, quotes; offsets slice the original."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.extraction.sentences import split_sentences

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two.", ["One.", "Two."]),
        (
            "Gen. Smith met Dr. Jones in the U.S. on Jan. 6. They spoke.",
            ["Gen. Smith met Dr. Jones in the U.S. on Jan. 6.", "They spoke."],
        ),
        (
            "It ranked No. 3 in the poll. Then it fell.",
            ["It ranked No. 3 in the poll.", "Then it fell."],
        ),
        (
            "George W. Bush won Ohio. He was pleased.",
            ["George W. Bush won Ohio.", "He was pleased."],
        ),
        (
            "Growth was 3.5 percent. Inflation was 2.1.",
            ["Growth was 3.5 percent.", "Inflation was 2.1."],
        ),
        (
            "Some states, e.g. Ohio, voted. Others did not.",
            ["Some states, e.g. Ohio, voted.", "Others did not."],
        ),
        ('He said, "We won." Then he left.', ['He said, "We won."', "Then he left."]),
        ("She asked, 'Why now?' Nobody knew.", ["She asked, 'Why now?'", "Nobody knew."]),
        ('"Why?" he asked. Silence.', ['"Why?" he asked.', "Silence."]),
        ("Wait... What happened? Nothing!", ["Wait...", "What happened?", "Nothing!"]),
        ("Prices rose... and then fell.", ["Prices rose... and then fell."]),
        ("It hurt the U.S. The allies noticed.", ["It hurt the U.S.", "The allies noticed."]),
        ("Title Without Stop\n\nBody text here.", ["Title Without Stop", "Body text here."]),
        ("   padded sentence.   ", ["padded sentence."]),
        # a quote and the quote inside it close at once: the attribution is its own
        (
            "“They said, ‘Oh that’s not fair, they should get credit,’” Bloomberg said.",
            ["“They said, ‘Oh that’s not fair, they should get credit,’”", "Bloomberg said."],
        ),
        (
            "He said, 'This is the fight,'\" she said.",
            ["He said, 'This is the fight,'\" she said."],
        ),
        ('"It is fine," he said.', ['"It is fine," he said.']),
        (
            "a line that wraps because it was typed with a hard limit of about\nsixty columns.",
            ["a line that wraps because it was typed with a hard limit of about\nsixty columns."],
        ),
    ],
)
def test_sentences_split_where_a_reader_would(text: str, expected: list[str]) -> None:
    assert [s.text for s in split_sentences(text)] == expected


def test_furniture_lines_are_not_sentences() -> None:
    text = "A real sentence.\nSource link\nRelated Posts\nLoad More Posts Loading...No More Posts."
    assert [s.text for s in split_sentences(text)] == ["A real sentence."]


@settings(max_examples=300, deadline=None, database=None)
@given(
    st.one_of(
        st.text(alphabet=st.sampled_from(list("ab AB.?!\"'”’\n\t3,:;-…()")), max_size=300),
        st.text(max_size=300),
    )
)
def test_sentence_offsets_always_slice_the_original(text: str) -> None:
    previous_end = 0
    for s in split_sentences(text):
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip() and s.text
        assert s.start >= previous_end
        previous_end = s.end
