"""Seals and declarant signatures (SW-16, SW-17, LN-7)."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from datetime import date, datetime
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload

import models
from integrations import seal_imaging
from resolvers.cards import actions as card_cases
from resolvers.seals import actions as cases
from schema.accounts.types import Account, account_from_model
from schema.base import Connection, Info, UserError, node_pk, perform, read_upload

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
        return cases.can_delete(self.status)

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
        rows = await cases.visible(info.context, models.Seal, [int(i) for i in node_ids])
        return [cls.from_model(row) if row is not None else None for row in rows]


@strawberry.type(description="A declarant's signature (SW-17).")
class Signature(relay.Node):
    pk: relay.NodeID[int]
    name: str
    status: models.SealStatus
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

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        rows = await cases.visible(info.context, models.Signature, [int(i) for i in node_ids])
        return [cls.from_model(row) if row is not None else None for row in rows]


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


def _preview_image(root: SealPreview) -> str:
    return _data_url(root.drawn.png) if root.drawn else ""


def _preview_width(root: SealPreview) -> float:
    return root.drawn.width_mm if root.drawn else 0.0


def _preview_height(root: SealPreview) -> float:
    return root.drawn.height_mm if root.drawn else 0.0


@strawberry.type(description="A standard seal drawn without saving it, or why it cannot be.")
class SealPreview:
    image_data_url: str = strawberry.field(
        resolver=_preview_image, description="Empty when userErrors is not."
    )
    width_mm: float = strawberry.field(
        resolver=_preview_width, description="The size drawn at; 0 when userErrors is not empty."
    )
    height_mm: float = strawberry.field(resolver=_preview_height)
    user_errors: list[UserError] = strawberry.field(
        description="The rules of sealCreateStandard's `standard`: the same codes and paths."
    )
    drawn: strawberry.Private[cases.Preview | None] = None

    @classmethod
    def build(
        cls, *, user_errors: list[UserError], drawn: cases.Preview | None = None
    ) -> SealPreview:
        """The payload from ``perform``: its shown fields are resolved from what the use case
        returned (``drawn``), so a refusal nulls none of them."""
        return cls(user_errors=user_errors, drawn=drawn)


@strawberry.input
class StandardSealInput:
    unit_text: str = strawberry.field(description="印章所属单位: at most 14 characters.")
    shape: seal_imaging.Shape = seal_imaging.Shape.ROUND
    colour: seal_imaging.Colour = seal_imaging.Colour.RED
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
    type: models.SealType
    valid_from: date
    valid_to: date
    remark: str | None = None
    platform: cases.Platform = cases.Platform.SINGLE_WINDOW


@strawberry.input
class SealFilter:
    name: str | None = None
    status: models.SealStatus | None = None
    type: models.SealType | None = None
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
        seal_type=data.type,
        valid_from=data.valid_from,
        valid_to=data.valid_to,
        remark=data.remark,
        platform=data.platform,
    )


def _standard(data: StandardSealInput) -> cases.StandardSealInput:
    return cases.StandardSealInput(
        unit_text=data.unit_text,
        shape=data.shape,
        colour=data.colour,
        english_text=data.english_text,
        width_mm=data.width_mm,
        height_mm=data.height_mm,
        inner_margin_mm=data.inner_margin_mm,
    )


async def _read(info: Info, upload: Upload) -> bytes:
    """The bytes of an ``Upload`` argument (a string or number instead is bad input)."""
    return (await read_upload(info, upload))[1]


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
                status=wanted.status,
                seal_type=wanted.type,
                created_from=wanted.created_from,
                created_to=wanted.created_to,
            ),
            first,
            after,
        )
        return Connection.from_page(page, Seal.from_model)

    @strawberry.field(description="Draw a standard seal without saving it (SW-16).")
    async def seal_preview(
        self, info: Info, type: models.SealType, standard: StandardSealInput
    ) -> SealPreview:
        data = _standard(standard)
        return await perform(
            info,
            SealPreview.build,
            lambda: cases.preview(info.context, type, data),
            drawn=lambda drawn: drawn,
        )

    @strawberry.field(description="Declarant signatures of the viewer's enterprise (SW-17).")
    async def signatures(
        self,
        info: Info,
        name: str | None = None,
        status: models.SealStatus | None = None,
        first: Annotated[int, strawberry.argument(description="1 to 100")] = 20,
        after: str | None = None,
    ) -> Connection[Signature]:
        page = await cases.search_signatures(info.context, name, status, first, after)
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
        return await perform(
            info,
            SealPayload,
            lambda: cases.create_standard(info.context, record, drawn),
            seal=Seal.from_model,
        )

    @strawberry.mutation(
        description="A seal extracted from a JPEG scan (multipart upload); legal-person card only."
    )
    async def seal_create_from_image(
        self, info: Info, input: SealRecordInput, scan: Upload
    ) -> SealPayload:
        record, data = _record(info, input), await _read(info, scan)
        return await perform(
            info,
            SealPayload,
            lambda: cases.create_from_image(info.context, record, data),
            seal=Seal.from_model,
        )

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
        return await perform(
            info,
            SealPayload,
            lambda: cases.update(info.context, pk, record, drawn),
            seal=Seal.from_model,
        )

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
        return await perform(
            info,
            SealDeletePayload,
            lambda: cases.remove(info.context, models.Seal, pk),
            deleted_seal_id=lambda _: strawberry.ID(str(id)),
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
        content = await _read(info, scan)
        return await perform(
            info,
            SignaturePayload,
            lambda: cases.create_signature(info.context, data, content),
            signature=Signature.from_model,
        )

    @strawberry.mutation
    async def signature_enable(self, info: Info, id: relay.GlobalID) -> SignaturePayload:
        pk = node_pk(info, id, "Signature")
        return await perform(
            info,
            SignaturePayload,
            lambda: cases.set_status(info.context, models.Signature, pk, models.SealStatus.ENABLED),
            signature=Signature.from_model,
        )

    @strawberry.mutation
    async def signature_disable(self, info: Info, id: relay.GlobalID) -> SignaturePayload:
        pk = node_pk(info, id, "Signature")
        return await perform(
            info,
            SignaturePayload,
            lambda: cases.set_status(
                info.context, models.Signature, pk, models.SealStatus.DISABLED
            ),
            signature=Signature.from_model,
        )

    @strawberry.mutation(description="Delete a DISABLED signature, permanently.")
    async def signature_delete(self, info: Info, id: relay.GlobalID) -> SignatureDeletePayload:
        pk = node_pk(info, id, "Signature")
        return await perform(
            info,
            SignatureDeletePayload,
            lambda: cases.remove(info.context, models.Signature, pk),
            deleted_signature_id=lambda _: strawberry.ID(str(id)),
        )
