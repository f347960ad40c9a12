"""风险监控标识 (XC-9): risk flags computed from an enterprise's credit records, each with its
severity; an order shows its enterprise's flags and its highest severity, and orders can be
filtered by it (in SQL, from the same rules).

A record counts while it is active (no end date, or the end date not passed). Ratings are the
current ones: the credit service reports the rating in force and a refresh replaces the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import IntEnum, StrEnum
from typing import Any

from sqlalchemy import and_, exists, or_
from sqlmodel import col, select

from models import CreditRecord, CreditRecordKind


class RiskSeverity(IntEnum):
    LOW = 1
    MEDIUM = 2
    HIGH = 3


class RiskFlagCode(StrEnum):
    DISHONEST_JUDGMENT_DEBTOR = "DISHONEST_JUDGMENT_DEBTOR"  # 失信被执行人
    JUDGMENT_DEBTOR = "JUDGMENT_DEBTOR"  # 被执行人
    ADMINISTRATIVE_PENALTY = "ADMINISTRATIVE_PENALTY"  # 行政处罚
    ABNORMAL_OPERATIONS = "ABNORMAL_OPERATIONS"  # 经营异常名录
    TAX_CREDIT_LOW = "TAX_CREDIT_LOW"  # 纳税信用 C / D 级
    CUSTOMS_DISHONEST = "CUSTOMS_DISHONEST"  # 海关失信企业


@dataclass(frozen=True, slots=True)
class Rule:
    code: RiskFlagCode
    severity: RiskSeverity
    kind: CreditRecordKind
    values: frozenset[str] | None = None  # for ratings: the values that raise the flag


RULES = (
    Rule(
        RiskFlagCode.DISHONEST_JUDGMENT_DEBTOR,
        RiskSeverity.HIGH,
        CreditRecordKind.DISHONEST_JUDGMENT_DEBTOR,
    ),
    Rule(RiskFlagCode.JUDGMENT_DEBTOR, RiskSeverity.MEDIUM, CreditRecordKind.COURT_ENFORCEMENT),
    Rule(
        RiskFlagCode.ADMINISTRATIVE_PENALTY,
        RiskSeverity.MEDIUM,
        CreditRecordKind.ADMINISTRATIVE_PENALTY,
    ),
    Rule(
        RiskFlagCode.ABNORMAL_OPERATIONS, RiskSeverity.MEDIUM, CreditRecordKind.ABNORMAL_OPERATIONS
    ),
    Rule(
        RiskFlagCode.TAX_CREDIT_LOW,
        RiskSeverity.MEDIUM,
        CreditRecordKind.TAX_CREDIT_RATING,
        frozenset({"C"}),
    ),
    Rule(
        RiskFlagCode.TAX_CREDIT_LOW,
        RiskSeverity.HIGH,
        CreditRecordKind.TAX_CREDIT_RATING,
        frozenset({"D"}),
    ),
    Rule(
        RiskFlagCode.CUSTOMS_DISHONEST,
        RiskSeverity.HIGH,
        CreditRecordKind.CUSTOMS_CREDIT_RATING,
        frozenset({"DISHONEST"}),
    ),
)


@dataclass(frozen=True, slots=True)
class RiskFlag:
    code: RiskFlagCode
    severity: RiskSeverity
    record: CreditRecord


def _matches(rule: Rule, record: CreditRecord, today: date) -> bool:
    active = record.active_until is None or record.active_until >= today
    return (
        active and record.kind == rule.kind and (rule.values is None or record.value in rule.values)
    )


def flags(records: list[CreditRecord], today: date) -> list[RiskFlag]:
    """Every flag the records raise, the most severe first."""
    raised = [
        RiskFlag(rule.code, rule.severity, record)
        for record in records
        for rule in RULES
        if _matches(rule, record, today)
    ]
    return sorted(raised, key=lambda f: (-f.severity, f.record.record_date), reverse=False)


def level(raised: list[RiskFlag]) -> RiskSeverity | None:
    return max((f.severity for f in raised), default=None)


def at_least(enterprise_id: Any, severity: RiskSeverity, today: date) -> Any:
    """SQL: the enterprise has an active record raising a flag of ``severity`` or more."""
    kind, value = col(CreditRecord.kind), col(CreditRecord.value)
    wanted = [
        and_(kind == rule.kind, value.in_(rule.values)) if rule.values else kind == rule.kind
        for rule in RULES
        if rule.severity >= severity
    ]
    until = col(CreditRecord.active_until)
    return exists(
        select(CreditRecord.id).where(
            col(CreditRecord.enterprise_id) == enterprise_id,
            or_(until.is_(None), until >= today),
            or_(*wanted),
        )
    )
