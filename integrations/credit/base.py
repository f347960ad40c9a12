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


class CreditSource(Protocol):
    async def records(self, uscc: str) -> list[CreditFact]: ...
