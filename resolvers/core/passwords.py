"""Password policy (SW-2) and hashing with Argon2id, off the event loop."""

from __future__ import annotations

import re
import string

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from starlette.concurrency import run_in_threadpool

DEFAULT_OPERATOR_PASSWORD = "88888888"
_SYMBOLS = set(string.punctuation)
_ALLOWED = re.compile(r"^[\x21-\x7e]{8,16}$")


def meets_policy(password: str) -> bool:
    """8-16 printable ASCII characters using at least three of: upper, lower, digit, symbol."""
    if not _ALLOWED.match(password):
        return False
    classes = (
        any(c.isupper() for c in password),
        any(c.islower() for c in password),
        any(c.isdigit() for c in password),
        any(c in _SYMBOLS for c in password),
    )
    return sum(classes) >= 3


class PasswordHashing:
    def __init__(self, time_cost: int, memory_kib: int) -> None:
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)
        # A hash to verify against when the account does not exist, so timing reveals nothing.
        self._dummy = self._hasher.hash("not-a-real-password")

    async def hash(self, password: str) -> str:
        return await run_in_threadpool(self._hasher.hash, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        return await run_in_threadpool(self._verify, password_hash or self._dummy, password)

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
