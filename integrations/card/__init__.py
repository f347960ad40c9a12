"""The card: certificates, the PIV protocol, virtual cards and the card agent.

Exceptions::

    CardError
    +-- CardNotPresent          no reader, no card, or not the card asked for
    +-- WrongPin                the card refused the PIN (``tries_left``)
    +-- CardBlocked             the PIN tries are used up
    +-- CardCommunicationError  an unexpected status word
    +-- CertificateRejected     malformed, untrusted, expired, not yet valid, revoked, wrong usage
    +-- SignatureInvalid        the signature does not verify
"""

from integrations.card.agent import CardAgent, CardInfo, PcscBackend, Signed, VirtualBackend
from integrations.card.certificates import (
    CardHolder,
    CardIdentity,
    CertificateAuthority,
    CertificateVerifier,
    login_digest,
)
from integrations.card.errors import (
    CardBlocked,
    CardCommunicationError,
    CardError,
    CardNotPresent,
    CertificateRejected,
    SignatureInvalid,
    WrongPin,
)
from integrations.card.virtual import VirtualCardStore

__all__ = [
    "CardAgent",
    "CardBlocked",
    "CardCommunicationError",
    "CardError",
    "CardHolder",
    "CardIdentity",
    "CardInfo",
    "CardNotPresent",
    "CertificateAuthority",
    "CertificateRejected",
    "CertificateVerifier",
    "PcscBackend",
    "SignatureInvalid",
    "Signed",
    "VirtualBackend",
    "VirtualCardStore",
    "WrongPin",
    "login_digest",
]
