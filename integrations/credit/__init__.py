"""Enterprise credit records (TI-1, XC-8): customs credit rating, tax grade, penalties, court and
market-regulator listings, from the credit service.

Exceptions::

    CreditError
    +-- CreditUnavailable   the service could not be reached: try again later
    +-- CreditRejected      the service refused the query
"""

from integrations.credit.base import (
    CreditError,
    CreditFact,
    CreditRejected,
    CreditSource,
    CreditUnavailable,
    WhitelistEntry,
)
from integrations.credit.http import HttpCreditSource
from integrations.credit.simulator import SimulatedCreditSource, customs_rating

__all__ = [
    "CreditError",
    "CreditFact",
    "CreditRejected",
    "CreditSource",
    "CreditUnavailable",
    "HttpCreditSource",
    "SimulatedCreditSource",
    "WhitelistEntry",
    "customs_rating",
]
