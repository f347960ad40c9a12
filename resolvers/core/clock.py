"""The clock the use cases read, so that expiry rules can be tested without sleeping."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta


class Clock:
    """Wall-clock time in UTC, optionally shifted (tests and the embedded demo shift it)."""

    def __init__(self) -> None:
        self._offset = timedelta()

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset

    def today(self) -> date:
        """Today in China Standard Time, the calendar the manuals' rules use."""
        return (self.now() + timedelta(hours=8)).date()

    def advance(self, delta: timedelta) -> None:
        self._offset += delta
