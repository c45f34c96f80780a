"""Submitting HTML: its main text (trafilatura) is what is stored, identified and queued."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

pytestmark = pytest.mark.unit

PAGE = """<!doctype html><html><head><title>Sanctions</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Sanctions and the war economy</h1>
<p>Russia's economy grew 3.6% in 2023 despite sanctions, according to official figures.</p>
<p>Military spending rose to 6% of GDP, the highest share since the Soviet era.</p>
<p>Economists expect growth to slow to about 1% next year as labour shortages bite.</p>
</article>
<footer>Share this article. Load More Posts. Source link</footer>
</body></html>"""


def test_an_html_page_is_stored_as_its_article_text_and_resubmitting_it_is_idempotent(
    client: FlaskClient, as_user: Callable[[str], dict[str, str]]
) -> None:
    # GIVEN an article page with navigation and footer furniture
    headers = as_user("sam-submitter")
    # WHEN it is submitted as HTML
    first = client.post("/documents", json={"html": PAGE, "title": "Sanctions"}, headers=headers)
    # THEN the stored text is the article, without the page furniture
    assert first.status_code == 201, first.get_data(as_text=True)
    stored = client.get(f"/documents/{first.get_json()['id']}", headers=headers).get_json()
    assert "grew 3.6% in 2023" in stored["text"]
    assert "Load More Posts" not in stored["text"] and "Home" not in stored["text"]
    # AND the same page again is the same document
    again = client.post("/documents", json={"html": PAGE}, headers=headers)
    assert again.status_code == 200
    assert again.get_json()["id"] == first.get_json()["id"]
