"""Government registers: the market regulator (enterprise records, name search, the electronic
business licence) and the commerce ministry (foreign-trade operator filings). Used by real-name
verification and password reset (SW-10, SW-18) and by the qualification sync (SW-15).

Exceptions::

    RegistryError
    +-- RegistryUnavailable   the register could not be reached: try again later
    +-- RegistryRejected      the register refused the query

"No such record" is not an exception: look-ups return ``None``.
"""

from integrations.registry.base import (
    CommerceRegistry,
    ElectronicLicence,
    EnterpriseRecord,
    ForeignTradeRecord,
    LicenceChallenge,
    MarketRegistry,
    RegistryError,
    RegistryRejected,
    RegistryUnavailable,
)
from integrations.registry.http import (
    HttpCommerceRegistry,
    HttpElectronicLicence,
    HttpMarketRegistry,
)
from integrations.registry.records import (
    enterprise_from_json,
    enterprise_to_json,
    foreign_trade_from_json,
    foreign_trade_to_json,
)
from integrations.registry.simulator import (
    LICENCE_WEBHOOK,
    LicenceRules,
    SimulatedElectronicLicence,
    SimulatedRegistry,
)

__all__ = [
    "LICENCE_WEBHOOK",
    "CommerceRegistry",
    "ElectronicLicence",
    "EnterpriseRecord",
    "ForeignTradeRecord",
    "HttpCommerceRegistry",
    "HttpElectronicLicence",
    "HttpMarketRegistry",
    "LicenceChallenge",
    "LicenceRules",
    "MarketRegistry",
    "RegistryError",
    "RegistryRejected",
    "RegistryUnavailable",
    "SimulatedElectronicLicence",
    "SimulatedRegistry",
    "enterprise_from_json",
    "enterprise_to_json",
    "foreign_trade_from_json",
    "foreign_trade_to_json",
]
