"""What can go wrong signing a document."""

from __future__ import annotations


class DocumentError(Exception):
    """A document could not be made or signed."""


class DocumentSignatureInvalid(DocumentError):
    """The card's signature does not match the prepared document or the certificate."""
