"""我的资质: the enterprise's registrations with customs and other departments (SW-15)."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

import models
from resolvers.qualifications import actions as cases
from schema.base import Info, UserError, perform, to_domain

SyncSource = strawberry.enum(cases.SyncSource, name="QualificationSyncSource")
CustomsBusinessType = strawberry.enum(cases.CustomsBusinessType, name="CustomsBusinessType")


@strawberry.type(description="Read-only: from registration (灰色字段).")
class RegisteredIdentity:
    uscc: str
    org_code: str
    name: str
    legal_rep_name: str
    address: str | None


@strawberry.type(description="The market regulator's licence data (synced, read-only).")
class MarketRegistration:
    status: str | None
    enterprise_type: str | None
    established_on: date | None
    registered_capital: str | None
    authority: str | None
    business_scope: str | None
    synced_at: datetime | None


@strawberry.type(description="海关: customs registration.")
class CustomsRegistration:
    customs_code: str | None = strawberry.field(
        description="10-digit customs code; read-only (from the departments' records)."
    )
    office: str | None = strawberry.field(description="4-digit customs district code.")
    business_type: cases.CustomsBusinessType | None
    registered_on: date | None


@strawberry.type(description="报检: inspection filing.")
class InspectionFiling:
    number: str | None
    office: str | None
    filed_on: date | None
    contact: str | None
    phone: str | None


@strawberry.type(description="对外贸易经营者备案: foreign-trade operator filing.")
class ForeignTradeFiling:
    number: str | None
    filed_on: date | None
    english_name: str | None
    english_address: str | None
    operator_type: str | None
    synced_at: datetime | None


@strawberry.type(description="我的资质 (admins only).")
class Qualifications:
    identity: RegisteredIdentity
    market: MarketRegistration
    customs: CustomsRegistration
    inspection: InspectionFiling
    foreign_trade: ForeignTradeFiling
    updated_at: datetime | None

    @classmethod
    def build(cls, enterprise: models.Enterprise, row: models.Qualification) -> Qualifications:
        return cls(
            identity=RegisteredIdentity(
                uscc=enterprise.uscc,
                org_code=enterprise.org_code,
                name=enterprise.name,
                legal_rep_name=enterprise.legal_rep_name,
                address=enterprise.address,
            ),
            market=MarketRegistration(
                status=row.registration_status,
                enterprise_type=row.enterprise_type,
                established_on=row.established_on,
                registered_capital=row.registered_capital,
                authority=row.registration_authority,
                business_scope=row.business_scope,
                synced_at=row.market_synced_at,
            ),
            customs=CustomsRegistration(
                customs_code=row.customs_code,
                office=row.customs_office,
                business_type=cases.CustomsBusinessType(row.customs_business_type)
                if row.customs_business_type
                else None,
                registered_on=row.customs_registered_on,
            ),
            inspection=InspectionFiling(
                number=row.inspection_number,
                office=row.inspection_office,
                filed_on=row.inspection_filed_on,
                contact=row.inspection_contact,
                phone=row.inspection_phone,
            ),
            foreign_trade=ForeignTradeFiling(
                number=row.foreign_trade_number,
                filed_on=row.foreign_trade_filed_on,
                english_name=row.english_name,
                english_address=row.english_address,
                operator_type=row.operator_type,
                synced_at=row.commerce_synced_at,
            ),
            updated_at=row.updated_at,
        )


@strawberry.input
class CustomsRegistrationInput:
    office: str | None = None
    business_type: cases.CustomsBusinessType | None = None
    registered_on: date | None = None


@strawberry.input
class InspectionFilingInput:
    number: str | None = strawberry.field(default=None, description="10 digits.")
    office: str | None = None
    filed_on: date | None = None
    contact: str | None = None
    phone: str | None = None


@strawberry.input
class ForeignTradeFilingInput:
    number: str | None = None
    filed_on: date | None = None
    english_name: str | None = None
    english_address: str | None = None
    operator_type: str | None = None


@strawberry.input(
    description="The editable fields of the tabs given (a tab left out is unchanged; a field "
    "left out of a given tab is cleared). Read-only fields cannot be sent."
)
class QualificationsUpdateInput:
    customs: CustomsRegistrationInput | None = None
    inspection: InspectionFilingInput | None = None
    foreign_trade: ForeignTradeFilingInput | None = None


@strawberry.type(description="One field a sync changed.")
class QualificationChange:
    field: str
    before: str | None
    after: str | None


def _changes(root: QualificationsPayload) -> list[QualificationChange]:
    return [
        QualificationChange(field=c.field, before=c.before, after=c.after)
        for c in root.changed or []
    ]


@strawberry.type
class QualificationsPayload:
    qualifications: Qualifications | None
    changes: list[QualificationChange] = strawberry.field(resolver=_changes)
    user_errors: list[UserError]
    changed: strawberry.Private[list[cases.Change] | None] = None

    @classmethod
    def build(
        cls,
        *,
        user_errors: list[UserError],
        qualifications: Qualifications | None,
        changed: list[cases.Change] | None = None,
    ) -> QualificationsPayload:
        """The payload from ``perform``: ``changes`` is resolved from what the use case returned
        (``changed``): a refusal nulls only ``qualifications``."""
        return cls(user_errors=user_errors, qualifications=qualifications, changed=changed)


@strawberry.type
class QualificationQuery:
    @strawberry.field(description="我的资质: the admin's enterprise (SW-15).")
    async def enterprise_qualifications(self, info: Info) -> Qualifications:
        enterprise, row = await cases.view(info.context)
        return Qualifications.build(enterprise, row)


@strawberry.type
class QualificationMutation:
    @strawberry.mutation(description="Save the editable qualification fields (SW-15).")
    async def qualifications_update(
        self, info: Info, input: QualificationsUpdateInput
    ) -> QualificationsPayload:
        data = cases.UpdateInput(
            customs=to_domain(cases.CustomsInput, input.customs) if input.customs else None,
            inspection=to_domain(cases.InspectionInput, input.inspection)
            if input.inspection
            else None,
            foreign_trade=to_domain(cases.ForeignTradeInput, input.foreign_trade)
            if input.foreign_trade
            else None,
        )
        return await perform(
            info,
            QualificationsPayload.build,
            lambda: cases.update(info.context, data),
            qualifications=lambda found: Qualifications.build(*found),
        )

    @strawberry.mutation(
        description="市场局同步更新 / 商务部同步更新: refresh from the department; returns "
        "every field that changed."
    )
    async def qualifications_sync(
        self, info: Info, source: cases.SyncSource
    ) -> QualificationsPayload:
        return await perform(
            info,
            QualificationsPayload.build,
            lambda: cases.sync(info.context, source),
            qualifications=lambda synced: Qualifications.build(synced[0], synced[1]),
            changed=lambda synced: synced[2],
        )
