"""The bad-input corpus of tests/reliability/test_bad_input.py: texts that break naive text
pipelines (NASTY, also fed to the extractor itself), texts sent only to the API
(API_ONLY: refused at its edge), and request bodies that are not what they should be.
Issue 18 added the inputs the API used to accept and the pipeline could never finish.
"""

from __future__ import annotations

import json


def _number_list(size: int) -> str:
    """Bare numbers as "sentences" ("307756. 593667. ..."), about `size` characters."""
    out, n = [], 307_756
    while sum(map(len, out)) < size:
        out.append(f"{n}. ")
        n = (n * 7919 + 13) % 900_000 + 100_000
    return "".join(out)


def _nasty() -> dict[str, str]:
    """Inputs that break naive text pipelines."""
    sentence = "The budget grew 40% in 2023, three times as fast as wages. "
    return {
        "huge_single_sentence": "the deficit grew " * 11_000,  # ~190 KB, no full stop
        "only_punctuation": "?!.,;:…—–-'\"()[]{} " * 500,
        "hundred_thousand_digits": "1234567890" * 10_000,
        "digits_and_dots": "3.1.4.1.5.9.2.6. " * 3000,
        "mixed_scripts": "Экспорт вырос на 40%. 出口增长了40%。 الصادرات نمت 40٪. Exports grew 40%. "  # noqa: E501
        * 200,
        "rtl_with_marks": "\u202eThe budget grew 40% in 2023.\u202c \u200fنمت الصادرات\u200f "
        * 300,
        "zero_width": ("Exports\u200b grew\u200c 40%\u200d in\ufeff 2023. " * 400),
        "control_characters": "".join(chr(c) for c in range(1, 32)) * 50 + sentence * 20,
        "nul_bytes": ("Unemployment fell\x00 to 3% in May.\x00 " * 300),
        "combining_marks": ("Z\u0351\u0352\u0353\u0354\u0355 " * 2000) + sentence,
        "emoji_zwj": ("👨‍👩‍👧‍👦 prices rose 5% 🏳️‍🌈. " * 500),
        "crlf_and_tabs": (sentence.replace(" ", "\t") + "\r\n") * 300,
        "one_giant_line_of_sentences": sentence * 3000,  # ~180 KB
        "deeply_nested_html": "<div>" * 5000 + sentence + "</div>" * 5000,
        "html_bomb_entities": "<p>" + "&amp;" * 40_000 + sentence + "</p>",
        "html_many_tags": "<html><body>" + "<p><b><i>x</i></b></p>" * 8000 + "</body></html>",
        "html_script_only": "<html><script>" + "var a=1;" * 10_000 + "</script></html>",
        "unterminated_markup": "<p " * 5000 + sentence,
        "surrogate_like_text": "\udcff".encode("utf-8", "surrogatepass").decode("utf-8", "replace")
        * 1000
        + sentence,
        # issue 18: input the API accepted and the pipeline could never finish
        "hundred_kb_sentence_of_quantities": "prices rose 5% and " * 5_400 + "wages fell.",
        "three_thousand_character_word": sentence + "It was " + "x" * 3000 + ". " + sentence,
        "three_thousand_character_wide_word": sentence + "It was " + "\U0001d54f" * 3000 + ".",
        "bare_numbers_15kb": _number_list(15_000),
        "prose_then_many_numbers": sentence * 20 + _number_list(3_000),
        "many_claims": "".join(
            f"Region {i} grew {i % 50}% in {2000 + i % 20}, twice the rate of {i + 1}. "
            for i in range(1500)
        ),
        "zero_width_only": "\u200b\u200c\u200d\ufeff" * 100,
        "bidi_marks_only": "\u200e\u200f\u202a\u202c" * 100,
    }


NASTY = _nasty()
# Sent to the API only: refused at its edge, so the extractor never sees them (the extractor
# needs ~26 s for 150 KB of bare numbers on a loaded machine, near EXTRACT_SECONDS).
API_ONLY = {"bare_numbers_150kb": _number_list(150_000)}
DOCUMENTS = {**NASTY, **API_ONLY}


def raw_bodies() -> dict[str, tuple[bytes, str]]:
    ten_mb = json.dumps({"text": "Exports grew 40%. " * 580_000}).encode()
    return {
        "ten_megabytes": (ten_mb, "application/json"),
        "lone_surrogate_escape": (
            b'{"text": "Exports grew \\ud800 40% in 2023."}',
            "application/json",
        ),
        "nul_escape": (b'{"text": "Exports\\u0000 grew 40% in 2023."}', "application/json"),
        "invalid_utf8": (b'{"text": "Exports grew \xff\xfe 40%."}', "application/json"),
        "not_json": (b"Exports grew 40% in 2023.", "application/json"),
        "truncated_json": (b'{"text": "Exports grew', "application/json"),
        "json_array": (b'["Exports grew 40%"]', "application/json"),
        "deep_json": (b'{"text": ' + b"[" * 5000 + b"]" * 5000 + b"}", "application/json"),
        "form_encoded": (b"text=Exports+grew+40%25", "application/x-www-form-urlencoded"),
        "both_text_and_html": (
            json.dumps({"text": "a", "html": "<p>b</p>"}).encode(),
            "application/json",
        ),
        "huge_title": (
            json.dumps({"text": "Exports grew 40%.", "title": "t" * 100_000}).encode(),
            "application/json",
        ),
        # issue 18
        "integer_of_4301_digits": (
            b'{"text": "Exports grew 40%.", "n": ' + b"7" * 4301 + b"}",
            "application/json",
        ),
        "integer_of_100000_digits": (
            b'{"text": "Exports grew 40%.", "title": ' + b"9" * 100_000 + b"}",
            "application/json",
        ),
        "nul_in_title": (
            b'{"text": "Exports grew 40% in 2023.", "title": "Jobs\\u0000"}',
            "application/json",
        ),
        "escape_in_author": (
            b'{"text": "Exports grew 40% in 2023.", "author": "Ann\\u001b[31m"}',
            "application/json",
        ),
        "c1_control_in_text": (b'{"text": "Exports grew\\u0085 40%."}', "application/json"),
        "zero_width_title": (
            b'{"text": "Exports grew 40% in 2023.", "title": "\\u200b\\u200b"}',
            "application/json",
        ),
        "html_of_bare_numbers": (
            json.dumps(
                {"html": "<p>" + "</p><p>".join(str(n) for n in range(1000)) + "</p>"}
            ).encode(),
            "application/json",
        ),
    }
