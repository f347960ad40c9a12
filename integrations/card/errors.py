"""What can go wrong with a card, from the reader to the certificate."""

from __future__ import annotations


class CardError(Exception):
    """Anything that stopped a card operation."""


class CardNotPresent(CardError):
    """No reader, or no card in it, or not the card asked for."""


class WrongPin(CardError):
    def __init__(self, tries_left: int) -> None:
        super().__init__(f"wrong PIN, {tries_left} tries left")
        self.tries_left = tries_left


class CardBlocked(CardError):
    """The PIN tries are used up; the card signs nothing until it is unblocked."""


class CardCommunicationError(CardError):
    """The card answered with an unexpected status word."""

    def __init__(self, status: int) -> None:
        super().__init__(f"card status {status:04X}")
        self.status = status


class CertificateRejected(CardError):
    """The certificate is malformed, untrusted, expired, not yet valid, revoked, or not for
    signing; ``reason`` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SignatureInvalid(CardError):
    """The signature does not verify with the certificate's key over the expected digest."""
