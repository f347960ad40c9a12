"""The interface shared by the HTTP adapter and the simulator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol


class CreditError(Exception):
    """The credit records could not be had."""


class CreditUnavailable(CreditError):
    """The credit service could not be reached in time."""


class CreditRejected(CreditError):
    """The credit service refused the query (unknown enterprise, malformed USCC)."""


@dataclass(frozen=True, slots=True)
class CreditFact:
    """One record as the source reports it. ``kind`` is a ``CreditRecordKind`` name."""

    kind: str
    value: str
    source: str
    record_date: date
    external_id: str | None = None
    active_until: date | None = None


@dataclass(frozen=True, slots=True)
class WhitelistEntry:
    """An enterprise on a region's credit-easy-loan (信易贷) whitelist, as published."""

    uscc: str
    name: str
    region_code: str
    source: str
    listed_on: date


class CreditSource(Protocol):
    async def records(self, uscc: str) -> list[CreditFact]: ...

    async def whitelist(self, region_code: str) -> list[WhitelistEntry]:
        """The whitelist of a region and the regions inside it (410000 covers 411000)."""
        ...
