"""The benchmark fixture (PERFORMANCE-NOTES §3.1): a deterministic generator, fixed seed.

20 banks with one portal user each, 2,000 enterprises with their admins and five credit records
each, 20,000 loan orders spread over the banks. The same generator loads SQLite and PostgreSQL, on a migrated database:

    python -m tests.benchmarks.dataset        # uses DATABASE_URL / GATEWAY_DATA_DIR
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.database import create_engine
from gateway.settings import Settings, load_settings
from models import (
    Account,
    AccountKind,
    CreditRecord,
    CreditRecordKind,
    Enterprise,
    EnterpriseKind,
    Institution,
    InstitutionKind,
    LoanOrder,
    LoanOrderStatus,
)
from resolvers.core.identifiers import org_code_check_char, uscc_check_char

PASSWORD = "Bench@2026"
SEED = 42


@dataclass(frozen=True)
class Size:
    banks: int = 20
    enterprises: int = 2_000
    orders: int = 20_000


def bank_code(number: int) -> str:
    return f"BENCH{number:02d}"


def portal_username(number: int) -> str:
    return f"benchbank{number:02d}"


def uscc_for(index: int) -> str:
    body = f"{index:08d}"
    org_code = body + org_code_check_char(body)
    first17 = "91210100" + org_code
    return first17 + uscc_check_char(first17)


def rows(size: Size) -> dict[str, list[dict[str, Any]]]:
    """Every row, by table, with explicit ids (the database is fresh)."""
    rng = random.Random(SEED)
    # One cheap hash for every account: logging in is not what is measured.
    password_hash = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    banks = [
        Institution(
            id=10_000 + b,
            code=bank_code(b),
            name=f"基准测试银行{b:02d}",
            kind=InstitutionKind.BANK,
        )
        for b in range(1, size.banks + 1)
    ]
    enterprises, admins = [], []
    for e in range(1, size.enterprises + 1):
        uscc = uscc_for(e)
        enterprises.append(
            Enterprise(
                id=10_000 + e,
                kind=EnterpriseKind.ENTERPRISE,
                uscc=uscc,
                org_code=uscc[8:17],
                name=f"基准测试进出口有限公司{e:04d}",
                legal_rep_name=rng.choice(["张伟", "王芳", "李娜", "刘洋", "陈静"]),
                legal_rep_id_type="RESIDENT_ID",
                legal_rep_id_number=f"2101{e:014d}",
                legal_rep_id_valid_from="20200101",
                legal_rep_id_valid_to="20400101",
                address=f"辽宁省沈阳市和平区测试路{e}号",
                created_at=start,
            )
        )
        admins.append(_account(10_000 + e, f"benchent{e:05d}", password_hash, enterprise=e))
    portal = [
        _account(
            20_000 + b,
            portal_username(b),
            password_hash,
            institution=10_000 + b,
            kind=AccountKind.INSTITUTION_USER,
        )
        for b in range(1, size.banks + 1)
    ]
    statuses = [
        LoanOrderStatus.ACCEPTED,
        LoanOrderStatus.APPROVED,
        LoanOrderStatus.REJECTED,
        LoanOrderStatus.SUBMITTED,
    ]
    orders = []
    for o in range(1, size.orders + 1):
        e = rng.randint(1, size.enterprises)
        at = start + timedelta(minutes=o * 13 + rng.randint(0, 12))
        orders.append(
            LoanOrder(
                id=100_000 + o,
                number=f"LB{o:012d}",
                enterprise_id=10_000 + e,
                institution_id=10_000 + (o % size.banks) + 1,
                amount=Decimal(rng.randint(10, 5_000) * 1_000) / 1,
                term_months=rng.choice([3, 6, 12, 24, 36]),
                purpose=rng.choice(["采购原材料", "支付关税", "补充流动资金", "设备更新"]),
                contact_name="联系人",
                contact_phone=f"139{o:08d}"[:11],
                status=rng.choice(statuses),
                applied_by_account_id=10_000 + e,
                submitted_at=at,
                updated_at=at,
            )
        )
    return {
        "institution": [b.model_dump() for b in banks],
        "enterprise": [e.model_dump() for e in enterprises],
        "account": [a.model_dump() for a in admins + portal],
        "loan_order": [o.model_dump() for o in orders],
        "credit_record": [r.model_dump() for r in credit_records(rng, size, start)],
    }


def credit_records(rng: random.Random, size: Size, fetched: datetime) -> list[CreditRecord]:
    """Five records per enterprise (XC-8): two ratings and three listings, some of them raising
    risk flags (XC-9), some expired."""
    listings = [
        ("ADMINISTRATIVE_PENALTY", "未按期申报纳税，罚款人民币2,000元", "国家税务总局"),
        ("ABNORMAL_OPERATIONS", "通过登记的住所无法联系", "国家企业信用信息公示系统"),
        ("COURT_ENFORCEMENT", "(2025)辽0102执1234号 执行标的50,000元", "中国执行信息公开网"),
        (
            "DISHONEST_JUDGMENT_DEBTOR",
            "有履行能力而拒不履行生效法律文书确定义务",
            "中国执行信息公开网",
        ),
    ]
    records, pk = [], 200_000
    for e in range(1, size.enterprises + 1):
        chosen = [
            (
                "CUSTOMS_CREDIT_RATING",
                rng.choice(["GENERAL", "ADVANCED_CERTIFIED", "DISHONEST"]),
                "海关总署",
            ),
            ("TAX_CREDIT_RATING", rng.choice("ABMCD"), "国家税务总局"),
            *rng.sample(listings, 3),
        ]
        for kind, value, source in chosen:
            pk += 1
            day = date(2024, 1, 1) + timedelta(days=rng.randint(0, 900))
            until = day + timedelta(days=365) if kind in ("ADMINISTRATIVE_PENALTY",) else None
            records.append(
                CreditRecord(
                    id=pk,
                    enterprise_id=10_000 + e,
                    kind=CreditRecordKind(kind),
                    value=value,
                    source=source,
                    external_id=f"CR{pk}",
                    record_date=day,
                    active_until=until,
                    fetched_at=fetched,
                )
            )
    return records


def _account(
    pk: int,
    username: str,
    password_hash: str,
    *,
    enterprise: int | None = None,
    institution: int | None = None,
    kind: AccountKind = AccountKind.ENTERPRISE_ADMIN,
) -> Account:
    return Account(
        id=pk,
        kind=kind,
        username=username,
        username_key=username,
        password_hash=password_hash,
        enterprise_id=10_000 + enterprise if enterprise else None,
        institution_id=institution,
        name="基准测试用户",
        mobile=f"138{pk:08d}"[:11],
    )


async def load(engine: AsyncEngine, size: Size = Size()) -> None:
    tables = {"institution": Institution, "enterprise": Enterprise, "account": Account}
    tables["loan_order"] = LoanOrder  # type: ignore[assignment]
    tables["credit_record"] = CreditRecord  # type: ignore[assignment]
    async with engine.begin() as connection:
        for name, table_rows in rows(size).items():
            table = tables[name].__table__  # type: ignore[attr-defined]
            for chunk in range(0, len(table_rows), 2_000):
                await connection.execute(insert(table), table_rows[chunk : chunk + 2_000])
        if engine.dialect.name == "postgresql":
            for name in tables:
                await connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                        f"(SELECT max(id) FROM {name}))"
                    )
                )


async def seed(settings: Settings, size: Size = Size()) -> None:
    engine = create_engine(settings)
    try:
        await load(engine, size)
    finally:
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(seed(load_settings()))
