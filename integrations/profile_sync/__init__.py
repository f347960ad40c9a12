"""Profile sync (信息同步, SW-12): pushes an account's identity to the national government
service platform (State Council office) and returns its receipt.

Exceptions::

    ProfileSyncError            the profile was not synchronised
    +-- SyncRejected            the platform refused the profile (its reason is kept)
    +-- SyncUnavailable         the platform could not be reached in time
"""

from integrations.profile_sync.base import (
    ProfileSnapshot,
    ProfileSyncer,
    ProfileSyncError,
    SyncReceipt,
    SyncRejected,
    SyncUnavailable,
)
from integrations.profile_sync.http import HttpProfileSyncer
from integrations.profile_sync.simulator import SimulatedProfileSyncer

__all__ = [
    "HttpProfileSyncer",
    "ProfileSnapshot",
    "ProfileSyncError",
    "ProfileSyncer",
    "SimulatedProfileSyncer",
    "SyncReceipt",
    "SyncRejected",
    "SyncUnavailable",
]
