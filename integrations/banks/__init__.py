"""Banks: one interface, an HTTP adapter and a simulator answering through signed webhooks.

Exceptions::

    BankError
    +-- BankUnavailable     timeout, connection failure, 5xx: the outbox tries again later
    +-- BankRejected        the bank refused the request (4xx): not retried
"""

from integrations.banks.base import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    Bank,
    BankError,
    BankRejected,
    BankRequest,
    BankUnavailable,
    signature,
    verify,
)
from integrations.banks.directory import BankDirectory
from integrations.banks.http import HttpBank
from integrations.banks.simulator import BankSimulator, SimulatorRules

__all__ = [
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "Bank",
    "BankDirectory",
    "BankError",
    "BankRejected",
    "BankRequest",
    "BankSimulator",
    "BankUnavailable",
    "HttpBank",
    "SimulatorRules",
    "signature",
    "verify",
]
