"""Identity checks (SW-9, SW-10, SW-18): a person's name and document against the issuing
authority, and the four bank-card elements against the card's bank.

Exceptions::

    IdentityError
    +-- IdentityUnavailable   the service could not be reached: try again later
    +-- IdentityRejected      the service refused the query itself

A completed check is not an exception: it returns an :class:`Outcome` (MATCH, NAME_MISMATCH ...).
"""

from integrations.identity.base import (
    BankCard,
    IdentityError,
    IdentityRejected,
    IdentityUnavailable,
    IdentityVerifier,
    Outcome,
    Person,
)
from integrations.identity.face import (
    EID_WEBHOOK,
    FaceRules,
    FaceSession,
    FaceVerifier,
    HttpFaceVerifier,
    SimulatedFaceVerifier,
)
from integrations.identity.http import HttpIdentityVerifier
from integrations.identity.simulator import (
    SimulatedIdentityVerifier,
    person_from_json,
    person_to_json,
)

__all__ = [
    "EID_WEBHOOK",
    "BankCard",
    "FaceRules",
    "FaceSession",
    "FaceVerifier",
    "HttpFaceVerifier",
    "HttpIdentityVerifier",
    "IdentityError",
    "IdentityRejected",
    "IdentityUnavailable",
    "IdentityVerifier",
    "Outcome",
    "Person",
    "SimulatedFaceVerifier",
    "SimulatedIdentityVerifier",
    "person_from_json",
    "person_to_json",
]
