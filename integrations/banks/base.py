"""What banks and the gateway say to each other, and how it is signed."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from typing import Any, Protocol


class BankError(Exception):
    """A request did not reach the bank, or the bank refused it."""


class BankUnavailable(BankError):
    """Timeout, connection failure or a 5xx: try again later."""


class BankRejected(BankError):
    """The bank refused the request itself (4xx): retrying will not help."""


@dataclass(frozen=True)
class BankRequest:
    kind: str  # AGREEMENT_SUBMIT, AGREEMENT_TERMINATE, LOAN_SUBMIT ...
    idempotency_key: str
    bank_code: str
    payload: dict[str, Any] = field(default_factory=dict)


class Bank(Protocol):
    async def send(self, request: BankRequest) -> None: ...


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
