"""What financial institutions (banks, insurers) and the gateway say to each other, and how it
is signed. Requests go out through the outbox; answers come back through a signed webhook."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from typing import Any, Protocol


class InstitutionError(Exception):
    """A request did not reach the institution, or the institution refused it."""


class InstitutionUnavailable(InstitutionError):
    """Timeout, connection failure or a 5xx: try again later."""


class InstitutionRejected(InstitutionError):
    """The institution refused the request itself (4xx): retrying will not help."""


@dataclass(frozen=True)
class InstitutionRequest:
    kind: str  # AGREEMENT_SUBMIT, LOAN_SUBMIT, QUOTA_APPLY, POLICY_APPLY ...
    idempotency_key: str
    institution_code: str
    payload: dict[str, Any] = field(default_factory=dict)


class Institution(Protocol):
    async def send(self, request: InstitutionRequest) -> None: ...


SIGNATURE_HEADER = "x-signature"
TIMESTAMP_HEADER = "x-timestamp"


def signature(secret: bytes, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over ``timestamp.body``: the same scheme both ways."""
    return hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def verify(
    secret: bytes, timestamp: str, body: bytes, given: str, now: float, tolerance: float = 300
) -> bool:
    try:
        age = abs(now - float(timestamp))
    except ValueError:
        return False
    return age <= tolerance and hmac.compare_digest(signature(secret, timestamp, body), given)
