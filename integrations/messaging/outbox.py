"""The embedded sender: keeps what it "sent" in an inspectable outbox instead of delivering.

The development view lists this outbox so that a newcomer in GraphiQL, and black-box tests,
can read the codes they were sent. It is a simulator, not a test double: it enforces the
provider's rules the real adapter would meet (numbers reserved for failure are refused).
"""

from __future__ import annotations

import asyncio
from collections import deque
from datetime import UTC, datetime

from integrations.messaging.base import Channel, DeliveryRejected, SentMessage

# Numbers the simulated provider refuses, so that failure paths can be exercised.
REJECTED_MOBILES = frozenset({"13000000000"})


class OutboxSender:
    def __init__(self, capacity: int = 1000, delay_seconds: float = 0.0) -> None:
        self._messages: deque[SentMessage] = deque(maxlen=capacity)
        self._delay = delay_seconds

    @property
    def messages(self) -> list[SentMessage]:
        """Newest first."""
        return list(reversed(self._messages))

    async def send_sms(self, mobile: str, text: str) -> None:
        if mobile in REJECTED_MOBILES:
            raise DeliveryRejected(f"the simulated provider refuses {mobile[:3]}****")
        await self._deliver("SMS", mobile, "", text)

    async def send_email(self, address: str, subject: str, text: str) -> None:
        await self._deliver("EMAIL", address, subject, text)

    async def _deliver(self, channel: Channel, target: str, subject: str, text: str) -> None:
        if self._delay:
            await asyncio.sleep(self._delay)
        self._messages.append(SentMessage(channel, target, subject, text, datetime.now(UTC)))
