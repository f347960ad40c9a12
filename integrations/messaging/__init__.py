"""SMS and email delivery.

Exceptions::

    MessagingError              anything that stopped a message
    +-- DeliveryRejected        the provider refused it (bad number, blocked content)
    +-- DeliveryUnavailable     the provider could not be reached or timed out
"""

from integrations.messaging.base import (
    DeliveryRejected,
    DeliveryUnavailable,
    MessageSender,
    MessagingError,
    SentMessage,
)
from integrations.messaging.http import HttpMessageSender
from integrations.messaging.outbox import OutboxSender

__all__ = [
    "DeliveryRejected",
    "DeliveryUnavailable",
    "HttpMessageSender",
    "MessageSender",
    "MessagingError",
    "OutboxSender",
    "SentMessage",
]
