"""The embedded platform: answers after a short delay, refuses what the real one would."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import UTC, datetime

from integrations.profile_sync.base import ProfileSnapshot, SyncReceipt, SyncRejected


class SimulatedProfileSyncer:
    def __init__(self, delay_seconds: float = 0.05) -> None:
        self._delay = delay_seconds

    async def sync(self, profile: ProfileSnapshot) -> SyncReceipt:
        await asyncio.sleep(self._delay)
        # The national platform identifies people by their ID: without one nothing matches.
        if not profile.id_type or not profile.id_number:
            raise SyncRejected("IDENTITY_MISSING")
        digest = hashlib.sha256(f"{profile.account_id}:{profile.id_number}".encode()).hexdigest()
        return SyncReceipt(receipt_id=f"GOV{digest[:16].upper()}", synced_at=datetime.now(UTC))
