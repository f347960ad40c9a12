"""我的资质 (SW-15): the enterprise's registrations with customs and other departments.

Only the admin views and edits them. The enterprise's identity (USCC, organisation code, name,
legal representative) comes from registration and the customs code from the departments'
records: those are read-only. The rest the admin fills in and saves, with no declaration or
approval. Two syncs refresh the record from the market regulator (licence data, and the
enterprise's name, legal representative and address) and from the commerce ministry (the
foreign-trade operator filing and the customs code), and report every field that changed.

A sync that changes the legal representative voids the admin's real-name level, as editing it
would (SW-18).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from integrations.registry import RegistryError
from models import Enterprise, Qualification, RealNameLevel
from resolvers.core import events, fields, permissions
from resolvers.core.context import RequestContext
from resolvers.core.errors import CommonErrorCode, Problems, UserErrors
from resolvers.core.uow import commit
from resolvers.identity.checks import registry_record
from resolvers.insurance import customs


class SyncSource(StrEnum):
    MARKET_REGULATOR = "MARKET_REGULATOR"
    COMMERCE_MINISTRY = "COMMERCE_MINISTRY"


class CustomsBusinessType(StrEnum):
    CONSIGNEE_CONSIGNOR = "CONSIGNEE_CONSIGNOR"  # 进出口货物收发货人
    CUSTOMS_BROKER = "CUSTOMS_BROKER"  # 报关企业


@dataclass(frozen=True, slots=True)
class Change:
    field: str
    before: str | None
    after: str | None


@dataclass
class CustomsInput:
    office: str | None = None
    business_type: CustomsBusinessType | None = None
    registered_on: date | None = None


@dataclass
class InspectionInput:
    number: str | None = None
    office: str | None = None
    filed_on: date | None = None
    contact: str | None = None
    phone: str | None = None


@dataclass
class ForeignTradeInput:
    number: str | None = None
    filed_on: date | None = None
    english_name: str | None = None
    english_address: str | None = None
    operator_type: str | None = None


@dataclass
class UpdateInput:
    customs: CustomsInput | None = None
    inspection: InspectionInput | None = None
    foreign_trade: ForeignTradeInput | None = None


async def _own(ctx: RequestContext) -> tuple[Enterprise, Qualification]:
    admin = permissions.require_admin(ctx)
    assert admin.enterprise_id is not None
    enterprise = await ctx.loaders.enterprise.load(admin.enterprise_id)
    row = await ctx.db.get(Qualification, admin.enterprise_id)
    return enterprise, row or Qualification(enterprise_id=admin.enterprise_id)


async def view(ctx: RequestContext) -> tuple[Enterprise, Qualification]:
    return await _own(ctx)


def _optional(problems: Problems, value: str | None, *field: str, max_length: int) -> str | None:
    return fields.text(problems, value, *field, max_length=max_length, required=False)


def _not_future(ctx: RequestContext, problems: Problems, value: date | None, *field: str) -> None:
    if value is not None and value > ctx.clock.today():
        problems.add(CommonErrorCode.DATE_RANGE, *field)


async def update(ctx: RequestContext, data: UpdateInput) -> tuple[Enterprise, Qualification]:
    """Save the editable fields of the tabs given; read-only fields have no input at all."""
    enterprise, row = await _own(ctx)
    problems = Problems()
    values: dict[str, Any] = {}
    if data.customs is not None:
        c = data.customs
        office = _optional(problems, c.office, "customs", "office", max_length=4)
        if office is not None and office not in customs.OFFICES:
            problems.add(CommonErrorCode.CUSTOMS_UNKNOWN, "customs", "office")
        _not_future(ctx, problems, c.registered_on, "customs", "registeredOn")
        values |= {
            "customs_office": office,
            "customs_business_type": c.business_type.value if c.business_type else None,
            "customs_registered_on": c.registered_on,
        }
    if data.inspection is not None:
        i = data.inspection
        number = _optional(problems, i.number, "inspection", "number", max_length=10)
        if number is not None and not (number.isdigit() and len(number) == 10):
            problems.add(CommonErrorCode.INVALID_FORMAT, "inspection", "number")
        _not_future(ctx, problems, i.filed_on, "inspection", "filedOn")
        phone = _optional(problems, i.phone, "inspection", "phone", max_length=20)
        values |= {
            "inspection_number": number,
            "inspection_office": _optional(
                problems, i.office, "inspection", "office", max_length=60
            ),
            "inspection_filed_on": i.filed_on,
            "inspection_contact": _optional(
                problems, i.contact, "inspection", "contact", max_length=50
            ),
            "inspection_phone": phone,
        }
    if data.foreign_trade is not None:
        f = data.foreign_trade
        _not_future(ctx, problems, f.filed_on, "foreignTrade", "filedOn")
        values |= {
            "foreign_trade_number": _optional(
                problems, f.number, "foreignTrade", "number", max_length=20
            ),
            "foreign_trade_filed_on": f.filed_on,
            "english_name": _optional(
                problems, f.english_name, "foreignTrade", "englishName", max_length=200
            ),
            "english_address": _optional(
                problems, f.english_address, "foreignTrade", "englishAddress", max_length=300
            ),
            "operator_type": _optional(
                problems, f.operator_type, "foreignTrade", "operatorType", max_length=40
            ),
        }
    problems.raise_if_any()
    if not values:
        raise UserErrors.one(CommonErrorCode.NO_CHANGE)
    for name, value in values.items():
        setattr(row, name, value)
    row.updated_at = ctx.clock.now()
    ctx.db.add(row)
    await commit(ctx)
    return enterprise, row


def _text(value: object) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)


def _apply(target: object, changes: list[Change], prefix: str, values: dict[str, Any]) -> None:
    for name, value in values.items():
        before = getattr(target, name)
        if before != value:
            changes.append(Change(f"{prefix}{_camel(name)}", _text(before), _text(value)))
            setattr(target, name, value)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


async def sync(
    ctx: RequestContext, source: SyncSource
) -> tuple[Enterprise, Qualification, list[Change]]:
    enterprise, row = await _own(ctx)
    changes: list[Change] = []
    if source == SyncSource.MARKET_REGULATOR:
        await _sync_market(ctx, enterprise, row, changes)
        row.market_synced_at = ctx.clock.now()
    else:
        await _sync_commerce(ctx, enterprise, row, changes)
        row.commerce_synced_at = ctx.clock.now()
    row.updated_at = ctx.clock.now()
    ctx.db.add(row)
    ctx.db.add(enterprise)
    admin = permissions.require_admin(ctx)
    events.account_event(ctx, admin, events.AccountEventKind.QUALIFICATIONS_SYNCED)
    await commit(ctx)
    return enterprise, row, changes


async def _sync_market(
    ctx: RequestContext, enterprise: Enterprise, row: Qualification, changes: list[Change]
) -> None:
    record = await registry_record(ctx, enterprise.uscc, "source")
    rep_before = (enterprise.legal_rep_name, enterprise.legal_rep_id_number)
    _apply(
        enterprise,
        changes,
        "enterprise.",
        {
            "name": record.name,
            "legal_rep_name": record.legal_rep_name,
            "legal_rep_id_type": record.legal_rep_id_type,
            "legal_rep_id_number": record.legal_rep_id_number,
            "address": record.address,
        },
    )
    _apply(
        row,
        changes,
        "",
        {
            "registration_status": record.status,
            "enterprise_type": record.enterprise_type,
            "established_on": record.established_on,
            "registered_capital": record.registered_capital,
            "registration_authority": record.authority,
            "business_scope": record.business_scope,
        },
    )
    # The legal representative's ID is the regulator's, never shown: report the change only.
    for change in changes:
        if change.field == "enterprise.legalRepIdNumber":
            changes[changes.index(change)] = Change(change.field, "******", "******")
    if rep_before != (enterprise.legal_rep_name, enterprise.legal_rep_id_number):
        admin = permissions.require_admin(ctx)
        if admin.real_name_level != RealNameLevel.NONE:
            admin.real_name_level = RealNameLevel.NONE
            ctx.db.add(admin)
            events.account_event(ctx, admin, events.AccountEventKind.REAL_NAME_CHANGED)


async def _sync_commerce(
    ctx: RequestContext, enterprise: Enterprise, row: Qualification, changes: list[Change]
) -> None:
    try:
        record = await ctx.services.commerce.foreign_trade_filing(enterprise.uscc)
    except RegistryError as error:
        raise UserErrors.one(CommonErrorCode.REGISTRY_UNAVAILABLE, "source") from error
    if record is None:
        raise UserErrors.one(CommonErrorCode.ENTERPRISE_NOT_IN_REGISTRY, "source")
    _apply(
        row,
        changes,
        "",
        {
            "foreign_trade_number": record.filing_number,
            "foreign_trade_filed_on": record.filed_on,
            "english_name": record.english_name,
            "english_address": record.english_address,
            "operator_type": record.operator_type,
            "customs_code": record.customs_code,
        },
    )
