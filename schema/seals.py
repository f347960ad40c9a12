"""Seals and declarant signatures (SW-16, SW-17, LN-7)."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from datetime import date, datetime
from typing import Annotated, Any

import strawberry
from sqlmodel import col, select
from strawberry import relay
from strawberry.file_uploads import Upload

import models
from integrations import seal_imaging
from resolvers.cards import actions as card_cases
from resolvers.seals import actions as cases
from schema.accounts.types import Account, account_from_model
from schema.base import Connection, Info, UserError, guarded, node_pk, perform

SealType = strawberry.enum(models.SealType, name="SealType")
SealMethod = strawberry.enum(models.SealMethod, name="SealMethod")
SealStatus = strawberry.enum(models.SealStatus, name="SealStatus")
SealShape = strawberry.enum(seal_imaging.Shape, name="SealShape")
SealColour = strawberry.enum(seal_imaging.Colour, name="SealColour")
SealPlatform = strawberry.enum(
    cases.Platform,
    name="SealPlatform",
    description="LIAONING limits seal names to 15 characters (LN-7).",
)


def _data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


@strawberry.type(description="An electronic seal of the viewer's enterprise (SW-16).")
class Seal(relay.Node):
    pk: relay.NodeID[int]
    name: str
    type: models.SealType
    method: models.SealMethod
    status: models.SealStatus
    valid_from: date
    valid_to: date
    unit_text: str | None
    english_text: str | None
    shape: str | None
    colour: str | None
    width_mm: float | None
    height_mm: float | None
    inner_margin_mm: float | None
    remark: str | None
    image_width: int
    image_height: int
    created_at: datetime
    holder_pk: strawberry.Private[int]
    png: strawberry.Private[bytes]

    @strawberry.field(description="Transparent PNG; only users of the owning enterprise see seals.")
    def image_data_url(self) -> str:
        return _data_url(self.png)

    @strawberry.field
    async def holder(self, info: Info) -> Account | None:
        row = await info.context.loaders.account.load(self.holder_pk)
        return account_from_model(row) if row else None

    @strawberry.field(description="Only a legal-person card session edits seals (SW-16).")
    def viewer_can_update(self, info: Info) -> bool:
        return card_cases.is_legal_person_session(info.context)

    @strawberry.field(description="Only DISABLED seals can be deleted, permanently (SW-16).")
    def viewer_can_delete(self) -> bool:
        return self.status == models.SealStatus.DISABLED

    @classmethod
    def from_model(cls, row: models.Seal) -> Seal:
        assert row.id is not None
        return cls(
            pk=row.id,
            name=row.name,
            type=row.seal_type,
            method=row.method,
            status=row.status,
            valid_from=row.valid_from,
            valid_to=row.valid_to,
            unit_text=row.unit_text,
            english_text=row.english_text,
            shape=row.shape,
            colour=row.colour,
            width_mm=row.width_mm,
            height_mm=row.height_mm,
            inner_margin_mm=row.inner_margin_mm,
            remark=row.remark,
            image_width=row.image_width,
            image_height=row.image_height,
            created_at=row.created_at,
            holder_pk=row.holder_account_id,
            png=row.image_png,
        )

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        viewer = info.context.viewer.account
        ids = [int(i) for i in node_ids]
        if viewer is None or viewer.enterprise_id is None:
            return [None] * len(ids)
        rows = await info.context.db.exec(
            select(models.Seal)
            .where(col(models.Seal.id).in_(ids))
            .where(col(models.Seal.enterprise_id) == viewer.enterprise_id)
        )
        found = {row.id: cls.from_model(row) for row in rows.all()}
        return [found.get(i) for i in ids]


@strawberry.type(description="A declarant's signature (SW-17).")
class Signature(relay.Node):
    pk: relay.NodeID[int]
    name: str
    status: SealStatus  # type: ignore[valid-type]
    remark: str | None
    image_width: int
    image_height: int
    created_at: datetime
    declarant_pk: strawberry.Private[int]
    png: strawberry.Private[bytes]

    @strawberry.field
    def image_data_url(self) -> str:
        return _data_url(self.png)

    @strawberry.field
    async def declarant(self, info: Info) -> Account | None:
        row = await info.context.loaders.account.load(self.declarant_pk)
        return account_from_model(row) if row else None

    @classmethod
    def from_model(cls, row: models.Signature) -> Signature:
        assert row.id is not None
        return cls(
            pk=row.id,
            name=row.name,
            status=row.status,
            remark=row.remark,
            image_width=row.image_width,
            image_height=row.image_height,
            created_at=row.created_at,
            declarant_pk=row.declarant_account_id,
            png=row.image_png,
        )


@strawberry.type(
    description="Who may hold a seal: the legal representative or a card-bound operator."
)
class SealHolder:
    account: Account
    card_number: str
    certificate_valid_from: date = strawberry.field(
        description="Seal validity must lie inside this."
    )
    certificate_valid_to: date


@strawberry.type
class SealPreview:
    image_data_url: str
    width_mm: float
    height_mm: float


@strawberry.input
class StandardSealInput:
    unit_text: str = strawberry.field(description="印章所属单位: at most 14 characters.")
    shape: SealShape = seal_imaging.Shape.ROUND  # type: ignore[valid-type]
    colour: SealColour = seal_imaging.Colour.RED  # type: ignore[valid-type]
    english_text: str | None = strawberry.field(
        default=None, description="Chinese+English seals only."
    )
    width_mm: float | None = strawberry.field(
        default=None, description="Default: the standard size."
    )
    height_mm: float | None = None
    inner_margin_mm: float = strawberry.field(
        default=0.0, description="印章微调: moves the arc text inward."
    )


@strawberry.input
class SealRecordInput:
    holder_id: relay.GlobalID = strawberry.field(description="One of sealHolders.")
    name: str = strawberry.field(description="At most 25 characters (15 on the Liaoning platform).")
    type: SealType  # type: ignore[valid-type]
    valid_from: date
    valid_to: date
    remark: str | None = None
    platform: SealPlatform = cases.Platform.SINGLE_WINDOW  # type: ignore[valid-type]


@strawberry.input
class SealFilter:
    name: str | None = None
    status: SealStatus | None = None  # type: ignore[valid-type]
    type: SealType | None = None  # type: ignore[valid-type]
    created_from: date | None = None
    created_to: date | None = None


@strawberry.input
class SignatureInput:
    declarant_id: relay.GlobalID = strawberry.field(description="An operator of the enterprise.")
    name: str
    remark: str | None = None


@strawberry.type
class SealPayload:
    seal: Seal | None
    user_errors: list[UserError]


@strawberry.type
class SealDeletePayload:
    deleted_seal_id: strawberry.ID | None
    user_errors: list[UserError]


@strawberry.type
class SignaturePayload:
    signature: Signature | None
    user_errors: list[UserError]


@strawberry.type
class SignatureDeletePayload:
    deleted_signature_id: strawberry.ID | None
    user_errors: list[UserError]


def _record(info: Info, data: SealRecordInput) -> cases.SealRecordInput:
    return cases.SealRecordInput(
        holder_id=node_pk(info, data.holder_id, "EnterpriseAdmin", "Operator"),
        name=data.name,
        seal_type=models.SealType(data.type),
        valid_from=data.valid_from,
        valid_to=data.valid_to,
        remark=data.remark,
        platform=cases.Platform(data.platform),
    )


def _standard(data: StandardSealInput) -> cases.StandardSealInput:
    return cases.StandardSealInput(
        unit_text=data.unit_text,
        shape=seal_imaging.Shape(data.shape),
        colour=seal_imaging.Colour(data.colour),
        english_text=data.english_text,
        width_mm=data.width_mm,
        height_mm=data.height_mm,
        inner_margin_mm=data.inner_margin_mm,
    )


async def _read(upload: Upload) -> bytes:
    return await upload.read()  # type: ignore[attr-defined]


@strawberry.type
class SealQuery:
    @strawberry.field(
        description="Who may hold a new seal, with their certificate validity (SW-16)."
    )
    async def seal_holders(self, info: Info) -> list[SealHolder]:
        return [
            SealHolder(
                account=account_from_model(h.account),
                card_number=h.card.card_number,
                certificate_valid_from=h.card.not_before.date(),
                certificate_valid_to=h.card.not_after.date(),
            )
            for h in await cases.holders(info.context)
        ]

    @strawberry.field(description="Seals of the viewer's enterprise, newest first (SW-16).")
    async def seals(
        self,
        info: Info,
        filter: SealFilter | None = None,
        first: Annotated[int, strawberry.argument(description="1 to 100")] = 20,
        after: str | None = None,
    ) -> Connection[Seal]:
        wanted = filter or SealFilter()
        page = await cases.search(
            info.context,
            cases.SealFilter(
                name=wanted.name,
                status=models.SealStatus(wanted.status) if wanted.status else None,
                seal_type=models.SealType(wanted.type) if wanted.type else None,
                created_from=wanted.created_from,
                created_to=wanted.created_to,
            ),
            first,
            after,
        )
        return Connection.from_page(page, Seal.from_model)

    @strawberry.field(description="Draw a standard seal without saving it (SW-16).")
    async def seal_preview(
        self,
        info: Info,
        type: SealType,  # type: ignore[valid-type]
        standard: StandardSealInput,
    ) -> SealPreview:
        data = _standard(standard)
        png = await cases.preview(info.context, models.SealType(type), data)
        default_w, default_h = seal_imaging.default_size(
            seal_imaging.Kind(models.SealType(type).value), data.shape
        )
        return SealPreview(
            image_data_url=_data_url(png),
            width_mm=data.width_mm or default_w,
            height_mm=data.height_mm
            or (data.width_mm if data.shape == seal_imaging.Shape.ROUND else None)
            or default_h,
        )

    @strawberry.field(description="Declarant signatures of the viewer's enterprise (SW-17).")
    async def signatures(
        self,
        info: Info,
        name: str | None = None,
        status: SealStatus | None = None,  # type: ignore[valid-type]
        first: Annotated[int, strawberry.argument(description="1 to 100")] = 20,
        after: str | None = None,
    ) -> Connection[Signature]:
        wanted = models.SealStatus(status) if status else None
        page = await cases.search_signatures(info.context, name, wanted, first, after)
        return Connection.from_page(page, Signature.from_model)


@strawberry.type
class SealMutation:
    @strawberry.mutation(
        description="A standard seal drawn from parameters; legal-person card only."
    )
    async def seal_create_standard(
        self, info: Info, input: SealRecordInput, standard: StandardSealInput
    ) -> SealPayload:
        record, drawn = _record(info, input), _standard(standard)
        row, errors = await guarded(
            info, lambda: cases.create_standard(info.context, record, drawn)
        )
        return SealPayload(seal=Seal.from_model(row) if row else None, user_errors=errors)

    @strawberry.mutation(
        description="A seal extracted from a JPEG scan (multipart upload); legal-person card only."
    )
    async def seal_create_from_image(
        self, info: Info, input: SealRecordInput, scan: Upload
    ) -> SealPayload:
        record, data = _record(info, input), await _read(scan)
        row, errors = await guarded(
            info, lambda: cases.create_from_image(info.context, record, data)
        )
        return SealPayload(seal=Seal.from_model(row) if row else None, user_errors=errors)

    @strawberry.mutation(
        description="Edit a seal; standard seals are drawn again. Legal-person card only."
    )
    async def seal_update(
        self,
        info: Info,
        id: relay.GlobalID,
        input: SealRecordInput,
        standard: StandardSealInput | None = None,
    ) -> SealPayload:
        pk, record = node_pk(info, id, "Seal"), _record(info, input)
        drawn = _standard(standard) if standard else None
        row, errors = await guarded(info, lambda: cases.update(info.context, pk, record, drawn))
        return SealPayload(seal=Seal.from_model(row) if row else None, user_errors=errors)

    @strawberry.mutation
    async def seal_enable(self, info: Info, id: relay.GlobalID) -> SealPayload:
        pk = node_pk(info, id, "Seal")
        return await perform(
            info,
            SealPayload,
            lambda: cases.set_status(info.context, models.Seal, pk, models.SealStatus.ENABLED),
            seal=Seal.from_model,
        )

    @strawberry.mutation
    async def seal_disable(self, info: Info, id: relay.GlobalID) -> SealPayload:
        pk = node_pk(info, id, "Seal")
        return await perform(
            info,
            SealPayload,
            lambda: cases.set_status(info.context, models.Seal, pk, models.SealStatus.DISABLED),
            seal=Seal.from_model,
        )

    @strawberry.mutation(description="Delete a DISABLED seal, permanently.")
    async def seal_delete(self, info: Info, id: relay.GlobalID) -> SealDeletePayload:
        pk = node_pk(info, id, "Seal")
        deleted, errors = await guarded(info, lambda: cases.remove(info.context, models.Seal, pk))
        return SealDeletePayload(
            deleted_seal_id=strawberry.ID(str(id)) if deleted else None, user_errors=errors
        )

    @strawberry.mutation(
        description="A declarant's signature from a JPEG scan; legal-person card only (SW-17)."
    )
    async def signature_create(
        self, info: Info, input: SignatureInput, scan: Upload
    ) -> SignaturePayload:
        data = cases.SignatureInput(
            node_pk(info, input.declarant_id, "Operator"), input.name, input.remark
        )
        content = await _read(scan)
        row, errors = await guarded(
            info, lambda: cases.create_signature(info.context, data, content)
        )
        return SignaturePayload(
            signature=Signature.from_model(row) if row else None, user_errors=errors
        )

    @strawberry.mutation
    async def signature_enable(self, info: Info, id: relay.GlobalID) -> SignaturePayload:
        pk = node_pk(info, id, "Signature")
        row, errors = await guarded(
            info,
            lambda: cases.set_status(info.context, models.Signature, pk, models.SealStatus.ENABLED),
        )
        return SignaturePayload(
            signature=Signature.from_model(row) if row else None, user_errors=errors
        )

    @strawberry.mutation
    async def signature_disable(self, info: Info, id: relay.GlobalID) -> SignaturePayload:
        pk = node_pk(info, id, "Signature")
        row, errors = await guarded(
            info,
            lambda: cases.set_status(
                info.context, models.Signature, pk, models.SealStatus.DISABLED
            ),
        )
        return SignaturePayload(
            signature=Signature.from_model(row) if row else None, user_errors=errors
        )

    @strawberry.mutation(description="Delete a DISABLED signature, permanently.")
    async def signature_delete(self, info: Info, id: relay.GlobalID) -> SignatureDeletePayload:
        pk = node_pk(info, id, "Signature")
        deleted, errors = await guarded(
            info, lambda: cases.remove(info.context, models.Signature, pk)
        )
        return SignatureDeletePayload(
            deleted_signature_id=strawberry.ID(str(id)) if deleted else None, user_errors=errors
        )
