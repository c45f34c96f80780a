"""Documents: submit an article (written, then queued for extraction) and read it back."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import url_for
from flask.views import MethodView

from factcheck.api.auth import Permission, requires
from factcheck.api.common import Blueprint, check_id, error_responses
from factcheck.api.schemas import ClaimListSchema, DocumentCreateSchema, DocumentSchema
from factcheck.api.schemas.documents import SentenceListSchema
from factcheck.api.services import services
from factcheck.domain import limits
from factcheck.domain.errors import DocumentTooLarge, InvalidInput
from factcheck.domain.models import Document
from factcheck.ids import document_id, normalise_text

blp = Blueprint("documents", __name__, url_prefix="/documents", description="Submitted articles.")


LIMITS_DESCRIPTION = f"""\
A new document is a 201 with its `Location`; the same text again is a 200.

Refused with 422 before anything is written: control characters (other than tab and
newlines) in any field, a text of only invisible characters, and a text that does not
read as prose (at least half ({limits.MIN_PROSE_SHARE}) of its words must have letters:
a list of numbers is not an article). Sentences that cannot be a claim (over
{limits.MAX_CLAIM_CHARS:,} characters, or without a word) and claims over the document's
budget ({limits.CLAIMS_BASE} plus one per {limits.CHARS_PER_CLAIM} characters of text, at
most {limits.MAX_CLAIMS_PER_DOCUMENT}) are skipped when it is extracted, and the document's
`error` says how many and why."""


def _html_article(html: str) -> tuple[str, dict[str, Any]]:
    """The page's article text (what the extractor's offsets slice), its metadata and its
    block layout as Document fields; trafilatura is in the API's extra, the scorer is not.

    The layout (each block's span, kind, link share and list/quote group) is stored so the
    pipeline extracts the stored text with the page's structure, as from the HTML itself,
    without keeping or parsing the HTML again."""
    from factcheck.extraction.structure import layout_rows, structured_text

    page = structured_text(html)
    meta = page.metadata
    published = None
    if meta.date:
        try:  # trafilatura writes YYYY-MM-DD; a date it could not normalise is left out
            published = datetime.fromisoformat(meta.date).replace(tzinfo=UTC)
        except ValueError:
            published = None
    found = {
        "title": meta.title,
        "author": ", ".join(meta.authors) or None,
        "published_at": published,
        "site_name": meta.site_name,
        "url": meta.url,
        "canonical_url": meta.url,
        "layout": layout_rows(page.blocks),
    }
    limit = {"title": 500, "author": 200, "site_name": 200}  # as the submitter's fields
    for key, most in limit.items():
        value = found[key]
        if isinstance(value, str) and len(value) > most:
            found[key] = value[: most - 1].rstrip() + "…"
    if found["url"] and not str(found["url"]).startswith(("http://", "https://")):
        found["url"] = found["canonical_url"] = None  # a relative or odd link says nothing
    return page.source, found


def _check_prose(text: str, field: str) -> None:
    """A list of numbers or symbols is refused: the pipeline would make a claim of each."""
    share = limits.prose_share(text)
    if share.is_prose:
        return
    if not share.lettered:
        what = "The HTML's text" if field == "html" else "The text"
        if not share.numeric:
            raise InvalidInput(f"{what} has no words (only punctuation or symbols).", field=field)
    counted = share.lettered + share.numeric
    raise InvalidInput(
        f"The text does not read as prose: {share.share:.0%} of its {counted:,} words have "
        f"letters, and at least {limits.MIN_PROSE_SHARE:.0%} must (a list of numbers or a "
        "table is not an article).",
        field=field,
    )


def document_from_input(data: dict[str, Any], max_bytes: int) -> Document:
    """Validate the body's text (or HTML's main text) and build the Document; no write."""
    page: dict[str, Any] = {}
    if "html" in data:
        text, page = _html_article(data["html"])
        field = "html"
        if not normalise_text(limits.visible_text(text)):
            raise InvalidInput("No readable article text was found in the HTML.", field="html")
    else:
        field, text = "text", data["text"]
        if not normalise_text(limits.visible_text(text)):
            raise InvalidInput("The text is empty.", field="text")
    _check_prose(text, field)
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        raise DocumentTooLarge(
            f"The document's text is {size} bytes; the limit is {max_bytes} bytes.",
            size=size,
            limit=max_bytes,
        )
    # The submitter's own fields win over what the page says about itself.
    given = {k: data.get(k) for k in ("title", "url", "author", "published_at")}
    fields = {**page, **{k: v for k, v in given.items() if v is not None}}
    return Document(id=document_id(text), text=text, **fields)


@blp.route("")
class Documents(MethodView):
    @requires(Permission.SUBMIT)
    @blp.doc(description=LIMITS_DESCRIPTION)
    @blp.arguments(DocumentCreateSchema)
    @blp.response(
        201,
        DocumentSchema,
        description="Created and queued for extraction.",
        headers={
            "Location": {
                "description": "The new document's URL.",
                "schema": {"type": "string", "format": "uri-reference"},
            }
        },
    )
    @blp.alt_response(200, schema=DocumentSchema, description="The same text was submitted before.")
    @error_responses(blp, 400, 413, 415)
    def post(self, data: dict[str, Any]) -> tuple[Document, int, dict[str, str]]:
        """Submit an article (plain text or HTML) for claim extraction."""
        from factcheck.pipeline.submit import submit_document

        svc = services()
        document = document_from_input(data, svc.settings.max_document_bytes)
        stored, created = submit_document(svc.repository, svc.queues, document)
        location = url_for("documents.DocumentById", doc_id=stored.id)
        return stored, 201 if created else 200, {"Location": location}


@blp.route("/<string:doc_id>")
class DocumentById(MethodView):
    @requires(Permission.READ_DOCUMENTS)
    @blp.response(200, DocumentSchema)
    @error_responses(blp, 404)
    def get(self, doc_id: str) -> Document:
        """Get a document and its extraction status."""
        return services().repository.get_document(check_id(doc_id, "document"))


@blp.route("/<string:doc_id>/claims")
class DocumentClaims(MethodView):
    @requires(Permission.READ_DOCUMENTS)
    @blp.response(200, ClaimListSchema)
    @error_responses(blp, 404)
    def get(self, doc_id: str) -> dict[str, Any]:
        """List the claims found in a document, in text order."""
        repo = services().repository
        document = repo.get_document(check_id(doc_id, "document"))
        return {"items": repo.document_claims(document.id)}


@blp.route("/<string:doc_id>/sentences")
class DocumentSentences(MethodView):
    @requires(Permission.READ_CLAIMS)
    @blp.response(200, SentenceListSchema)
    @error_responses(blp, 404)
    def get(self, doc_id: str) -> dict[str, Any]:
        """Every sentence of a document as extraction scored it, selected or not (staff).

        Recorded at extraction (only the extract function has the scorer), so nothing a
        reviewer might want is hidden: a sentence below the line has its score, and a
        gated one the rule's reason."""
        repo = services().repository
        document = repo.get_document(check_id(doc_id, "document"))
        found = repo.document_sentences(document.id, document.text)
        return {
            "document_id": document.id,
            "status": document.status,
            "language": document.language,
            "recorded": found is not None,
            "truncated": bool(found and found.truncated),
            "items": found.items if found else [],
        }
