"""Claim extraction: clean -> split -> score -> keep, pure Python and offline.

`from factcheck.extraction import extract` is resolved lazily, so importing the package
(e.g. for `factcheck --help`) loads no model and no regex tables.
"""

from __future__ import annotations

from typing import Any

# `extract_document` returns an `ExtractionResult`: the claims, every sentence scored
# (`sentences`, each with `selected` and `gate`), status, language, metadata.
__all__ = ["ExtractedClaim", "ExtractionResult", "extract", "extract_document", "extract_html"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from factcheck.extraction import extractor

        return getattr(extractor, name)
    raise AttributeError(name)
