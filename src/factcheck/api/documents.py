"""Documents: submit an article (written, then queued for extraction) and read it back."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from factcheck.api.auth import Permission, requires
from factcheck.api.common import Blueprint, check_id, error_responses
from factcheck.api.schemas import ClaimListSchema, DocumentCreateSchema, DocumentSchema
from factcheck.api.services import services
from factcheck.domain.errors import DocumentTooLarge, InvalidInput
from factcheck.domain.models import Document
from factcheck.ids import document_id, normalise_text

blp = Blueprint("documents", __name__, url_prefix="/documents", description="Submitted articles.")


def _html_to_text(html: str) -> str:
    from factcheck.extraction.clean import html_to_text

    return html_to_text(html)


def document_from_input(data: dict[str, Any], max_bytes: int) -> Document:
    """Validate the body's text (or HTML's main text) and build the Document; no write."""
    if "html" in data:
        text = _html_to_text(data["html"])
        if not normalise_text(text):
            raise InvalidInput("No readable article text was found in the HTML.", field="html")
    else:
        text = data["text"]
        if not normalise_text(text):
            raise InvalidInput("The text is empty.", field="text")
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        raise DocumentTooLarge(
            f"The document's text is {size} bytes; the limit is {max_bytes} bytes.",
            size=size,
            limit=max_bytes,
        )
    return Document(
        id=document_id(text),
        text=text,
        title=data.get("title"),
        url=data.get("url"),
        author=data.get("author"),
        published_at=data.get("published_at"),
    )


@blp.route("")
class Documents(MethodView):
    @requires(Permission.SUBMIT)
    @blp.arguments(DocumentCreateSchema)
    @blp.response(201, DocumentSchema, description="Created and queued for extraction.")
    @blp.alt_response(200, schema=DocumentSchema, description="The same text was submitted before.")
    @error_responses(blp, 400, 413, 415)
    def post(self, data: dict[str, Any]) -> tuple[Document, int]:
        """Submit an article (plain text or HTML) for claim extraction."""
        from factcheck.pipeline.submit import submit_document

        svc = services()
        document = document_from_input(data, svc.settings.max_document_bytes)
        stored, created = submit_document(svc.repository, svc.queues, document)
        return stored, 201 if created else 200


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
