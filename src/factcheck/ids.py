"""Content-derived identities, so every write is idempotent.

Re-submitting the same article, or a duplicate SQS delivery of the same claim, yields the
same id, and a conditional put on that id turns the repeat into a no-op.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_WS = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """NFKC, collapse whitespace, strip: what "the same text" means for identity."""
    return _WS.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def _digest(*parts: str, length: int = 16) -> str:
    h = hashlib.sha256("\x1f".join(parts).encode("utf-8"))
    return h.hexdigest()[:length]


def document_id(text: str) -> str:
    """Document id: a hash of the normalised text (the same article -> the same id)."""
    return "d" + _digest(normalise_text(text))


def claim_id(doc_id: str, start: int, text: str) -> str:
    """Claim id: a hash of document id + character offset + normalised claim text."""
    return "c" + _digest(doc_id, str(start), normalise_text(text).lower())
