"""Signed documents: PDFs rendered with the seal, signed by cards with PAdES in two steps.

Exceptions::

    DocumentError
    +-- DocumentSignatureInvalid    the signature does not match the prepared document
"""

from integrations.documents.errors import DocumentError, DocumentSignatureInvalid
from integrations.documents.render import Document, Party, render
from integrations.documents.signing import (
    Prepared,
    SignatureReport,
    complete,
    prepare,
    sign_with_key,
    validate,
)

__all__ = [
    "Document",
    "DocumentError",
    "DocumentSignatureInvalid",
    "Party",
    "Prepared",
    "SignatureReport",
    "complete",
    "prepare",
    "render",
    "sign_with_key",
    "validate",
]
