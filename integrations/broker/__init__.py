"""The event broker behind subscriptions: in-process for one replica, Redis across replicas.

Exceptions::

    BrokerError                 the broker could not publish or subscribe
"""

from integrations.broker.base import BrokerError, EventBroker, Subscription
from integrations.broker.inprocess import InProcessBroker
from integrations.broker.redis import RedisBroker

__all__ = ["BrokerError", "EventBroker", "InProcessBroker", "RedisBroker", "Subscription"]
