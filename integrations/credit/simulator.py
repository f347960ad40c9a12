"""Credit records in software: a customs rating and a tax grade for every enterprise, drawn from
its USCC so that the same enterprise always has the same record, and about one in twelve with a
blemish (a penalty, an abnormal-operations listing, a dishonest-debtor listing). Tests pin an
enterprise's records with :meth:`SimulatedCreditSource.set`; the demo data writes a JSON dataset
(``{uscc: [record, ...]}``, records as the HTTP service returns them) that the simulator reads."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import orjson

from integrations.credit.base import CreditFact, WhitelistEntry

CUSTOMS = "海关总署"
TAX = "国家税务总局"
REGULATOR = "国家企业信用信息公示系统"
COURTS = "中国执行信息公开网"
# The dataset's key for the whitelist entries; every other key is a USCC with its records.
WHITELIST_KEY = "whitelist"


def customs_rating(uscc: str, rating: str, since: date = date(2025, 1, 1)) -> CreditFact:
    return CreditFact("CUSTOMS_CREDIT_RATING", rating, CUSTOMS, since, f"HG{uscc[-8:]}")


class SimulatedCreditSource:
    def __init__(self, dataset: Path | None = None) -> None:
        self._pinned: dict[str, list[CreditFact]] = {}
        self._whitelist: list[WhitelistEntry] = []
        if dataset is not None and dataset.exists():
            data = orjson.loads(dataset.read_bytes())
            self._whitelist = [entry_from_json(item) for item in data.pop(WHITELIST_KEY, [])]
            for uscc, items in data.items():
                self._pinned[uscc] = [fact_from_json(item) for item in items]

    def set(self, uscc: str, facts: list[CreditFact]) -> None:
        self._pinned[uscc] = list(facts)

    def list_on_whitelist(self, entry: WhitelistEntry) -> None:
        self._whitelist.append(entry)

    async def whitelist(self, region_code: str) -> list[WhitelistEntry]:
        prefix = region_code.rstrip("0") or region_code
        found = [e for e in self._whitelist if e.region_code.startswith(prefix)]
        return sorted(found, key=lambda e: (e.listed_on, e.uscc), reverse=True)

    async def records(self, uscc: str) -> list[CreditFact]:
        if uscc in self._pinned:
            return list(self._pinned[uscc])
        return generated(uscc)


def entry_from_json(item: dict[str, str]) -> WhitelistEntry:
    return WhitelistEntry(
        uscc=item["uscc"],
        name=item["name"],
        region_code=item["regionCode"],
        source=item["source"],
        listed_on=date.fromisoformat(item["listedOn"]),
    )


def fact_from_json(item: dict[str, str]) -> CreditFact:
    """One record in the credit service's JSON shape (the HTTP adapter reads the same)."""
    return CreditFact(
        kind=item["kind"],
        value=item["value"],
        source=item["source"],
        record_date=date.fromisoformat(item["recordDate"]),
        external_id=item.get("id"),
        active_until=date.fromisoformat(item["activeUntil"]) if item.get("activeUntil") else None,
    )


def generated(uscc: str) -> list[CreditFact]:
    draw = hashlib.sha256(uscc.encode()).digest()
    rating = "ADVANCED_CERTIFIED" if draw[0] < 26 else "GENERAL"
    facts = [
        customs_rating(uscc, rating),
        CreditFact("TAX_CREDIT_RATING", "AB"[draw[1] % 2], TAX, date(2025, 4, 1)),
    ]
    blemish = draw[2] % 12
    if blemish == 0:
        facts.append(
            CreditFact(
                "ADMINISTRATIVE_PENALTY",
                "未按规定申报纳税，罚款人民币2,000元",
                TAX,
                date(2025, 9, 12),
                f"CF{draw[3]:03d}{uscc[-6:]}",
                date(2026, 9, 12),
            )
        )
    elif blemish == 1:
        facts.append(
            CreditFact("ABNORMAL_OPERATIONS", "通过登记的住所无法联系", REGULATOR, date(2025, 6, 3))
        )
    elif blemish == 2:
        facts[0] = customs_rating(uscc, "DISHONEST", date(2025, 11, 20))
        facts.append(
            CreditFact(
                "DISHONEST_JUDGMENT_DEBTOR",
                "有履行能力而拒不履行生效法律文书确定义务",
                COURTS,
                date(2025, 11, 2),
                f"(2025)执{draw[4]:04d}号",
            )
        )
    return facts
