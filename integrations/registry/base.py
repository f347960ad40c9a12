"""The interfaces shared by the HTTP adapters and the simulator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol


class RegistryError(Exception):
    """The department's register gave no answer."""


class RegistryUnavailable(RegistryError):
    """The register could not be reached in time: try again later."""


class RegistryRejected(RegistryError):
    """The register refused the query (malformed code, unsupported enterprise)."""


@dataclass(frozen=True, slots=True)
class EnterpriseRecord:
    """The market regulator's record of an enterprise (照面信息), as its licence shows it.

    The legal representative's ID is held by the regulator and used for checks only; the
    gateway never shows it."""

    uscc: str
    name: str
    legal_rep_name: str
    legal_rep_id_type: str
    legal_rep_id_number: str
    status: str
    enterprise_type: str
    established_on: date
    registered_capital: str
    authority: str
    address: str
    region_code: str
    industry: str
    business_scope: str


@dataclass(frozen=True, slots=True)
class ForeignTradeRecord:
    """The commerce ministry's foreign-trade operator filing (对外贸易经营者备案登记)."""

    uscc: str
    filing_number: str
    filed_on: date
    operator_type: str
    english_name: str
    english_address: str
    customs_code: str


@dataclass(frozen=True, slots=True)
class LicenceChallenge:
    """What the page shows as a QR code for the e-licence mini-program to scan."""

    session_id: str
    qr_content: str
    expires_at: datetime


class MarketRegistry(Protocol):
    async def lookup(self, uscc: str) -> EnterpriseRecord | None: ...

    async def search(self, name: str, limit: int = 10) -> list[EnterpriseRecord]: ...


class CommerceRegistry(Protocol):
    async def foreign_trade_filing(self, uscc: str) -> ForeignTradeRecord | None: ...


class ElectronicLicence(Protocol):
    """The market regulator's electronic business licence: the legal representative scans a QR
    code with the licence mini-program; the service then calls the gateway back (signed) with the
    USCC whose licence authorised the session."""

    async def start(self, session_id: str, uscc: str) -> LicenceChallenge: ...
