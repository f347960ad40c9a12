"""The sender interface shared by the real adapter and the embedded outbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

Channel = Literal["SMS", "EMAIL"]


class MessagingError(Exception):
    """A message could not be sent."""


class DeliveryRejected(MessagingError):
    """The provider refused the message."""


class DeliveryUnavailable(MessagingError):
    """The provider could not be reached in time."""


@dataclass(frozen=True, slots=True)
class SentMessage:
    channel: Channel
    target: str
    subject: str
    text: str
    sent_at: datetime


class MessageSender(Protocol):
    async def send_sms(self, mobile: str, text: str) -> None: ...

    async def send_email(self, address: str, subject: str, text: str) -> None: ...
