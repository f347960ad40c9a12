"""The interface shared by the HTTP adapter and the simulator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


class ProfileSyncError(Exception):
    """The profile was not synchronised."""


class SyncRejected(ProfileSyncError):
    """The platform refused the profile."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SyncUnavailable(ProfileSyncError):
    """The platform could not be reached in time."""


@dataclass(frozen=True, slots=True)
class ProfileSnapshot:
    """What is sent: the account's identity as the Single Window holds it."""

    account_id: int
    username: str
    name: str
    id_type: str | None
    id_number: str | None
    mobile: str | None
    email: str | None
    enterprise_uscc: str | None
    enterprise_name: str | None


@dataclass(frozen=True, slots=True)
class SyncReceipt:
    receipt_id: str
    synced_at: datetime


class ProfileSyncer(Protocol):
    async def sync(self, profile: ProfileSnapshot) -> SyncReceipt: ...
