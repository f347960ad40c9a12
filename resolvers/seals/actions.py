"""Seals and signatures (SW-16, SW-17, LN-7).

Rules: the holder is the legal representative (the admin with a bound legal-person card) or an
operator with a bound card; names at most 25 characters (15 on the Liaoning platform); unit
text at most 14 (longer units must use a scanned image); remark at most 200; the validity lies
inside the holder's certificate; new seals are DISABLED; only a legal-person card session
creates or edits; any user of the enterprise views, enables, disables and deletes, and only
DISABLED ones can be deleted. A deleted seal leaves every list, look-up and use for good, but its
row stays (``deleted_at``): the agreements and letters it signed keep pointing at it, their
documents keep its image and their history. Deleted signatures (nothing refers to them) are
removed. Image work runs off the event loop.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any, TypeVar, cast

import sqlalchemy
from sqlalchemy import func, true
from sqlmodel import col, select
from starlette.concurrency import run_in_threadpool

from integrations import seal_imaging
from models import Account, AccountKind, Card, Seal, SealMethod, SealStatus, SealType, Signature
from resolvers.cards import actions as cards
from resolvers.core import fields, pagination, permissions
from resolvers.core.context import RequestContext
from resolvers.core.errors import CommonErrorCode, Forbidden, Problems, UserErrors
from resolvers.core.uow import commit
from resolvers.seals.errors import SealErrorCode, imaging_code

UNIT_TEXT_MAX = 14
REMARK_MAX = 200
SIZE_RANGE_MM = (10.0, 80.0)
MARGIN_RANGE_MM = (-5.0, 5.0)

log = logging.getLogger(__name__)


class Platform(StrEnum):
    """Which front-end asks: the Liaoning platform allows shorter seal names (LN-7)."""

    SINGLE_WINDOW = "SINGLE_WINDOW"
    LIAONING = "LIAONING"


NAME_MAX = {Platform.SINGLE_WINDOW: 25, Platform.LIAONING: 15}


@dataclass
class SealRecordInput:
    holder_id: int
    name: str
    seal_type: SealType
    valid_from: date
    valid_to: date
    remark: str | None = None
    platform: Platform = Platform.SINGLE_WINDOW


@dataclass
class StandardSealInput:
    unit_text: str
    shape: seal_imaging.Shape = seal_imaging.Shape.ROUND
    colour: seal_imaging.Colour = seal_imaging.Colour.RED
    english_text: str | None = None
    width_mm: float | None = None
    height_mm: float | None = None
    inner_margin_mm: float = 0.0


@dataclass
class SealFilter:
    name: str | None = None
    status: SealStatus | None = None
    seal_type: SealType | None = None
    created_from: date | None = None
    created_to: date | None = None


@dataclass(frozen=True, slots=True)
class Holder:
    account: Account
    card: Card


@dataclass(frozen=True, slots=True)
class Preview:
    """A standard seal drawn but not saved, with the size it was drawn at."""

    png: bytes
    width_mm: float
    height_mm: float


def _seal_user(account: Account | None) -> bool:
    return (
        account is not None
        and account.kind in (AccountKind.ENTERPRISE_ADMIN, AccountKind.OPERATOR)
        and account.enterprise_id is not None
    )


def enterprise_account(ctx: RequestContext) -> Account:
    account = permissions.require_account(ctx)
    if not _seal_user(account):
        raise Forbidden("ENTERPRISE_ACCOUNTS_ONLY", ctx.locale)
    return account


async def holders(ctx: RequestContext) -> list[Holder]:
    """The legal representative and the card-bound operators of the viewer's enterprise."""
    account = enterprise_account(ctx)
    rows = await ctx.db.exec(
        select(Account, Card)
        .join(Card, col(Card.account_id) == col(Account.id))
        .where(col(Account.enterprise_id) == account.enterprise_id)
        .order_by(col(Account.kind), col(Account.id))
    )
    return [Holder(a, c) for a, c in rows.all()]


def _render_options(data: StandardSealInput, seal_type: SealType) -> seal_imaging.StandardSeal:
    return seal_imaging.StandardSeal(
        unit_text=data.unit_text.strip(),
        kind=seal_imaging.Kind(seal_type.value),
        shape=data.shape,
        colour=data.colour,
        english_text=(data.english_text or "").strip() or None,
        width_mm=data.width_mm,
        height_mm=data.height_mm,
        inner_margin_mm=data.inner_margin_mm,
    )


def _check_standard(problems: Problems, data: StandardSealInput) -> None:
    unit = (data.unit_text or "").strip()
    if not unit:
        problems.add(CommonErrorCode.REQUIRED, "standard", "unitText")
    elif len(unit) > UNIT_TEXT_MAX:
        problems.add(SealErrorCode.UNIT_TEXT_TOO_LONG, "standard", "unitText", max=UNIT_TEXT_MAX)
    if data.english_text and len(data.english_text.strip()) > 60:
        problems.add(CommonErrorCode.TOO_LONG, "standard", "englishText", max=60)
    for name, value in (("widthMm", data.width_mm), ("heightMm", data.height_mm)):
        if value is not None and not SIZE_RANGE_MM[0] <= value <= SIZE_RANGE_MM[1]:
            problems.add(SealErrorCode.SIZE_OUT_OF_RANGE, "standard", name, low=10, high=80)
    if not MARGIN_RANGE_MM[0] <= data.inner_margin_mm <= MARGIN_RANGE_MM[1]:
        problems.add(SealErrorCode.SIZE_OUT_OF_RANGE, "standard", "innerMarginMm", low=-5, high=5)


def drawn_size(options: seal_imaging.StandardSeal) -> tuple[float, float]:
    """The size a standard seal is drawn at, in mm: the width and height given, else the
    standard size of its kind and shape ("系统默认设置印章长宽为标准印章长宽"); a round seal
    given only a width is as high as it is wide."""
    width, height = seal_imaging.default_size(options.kind, options.shape)
    return (
        options.width_mm or width,
        options.height_mm
        or (options.width_mm if options.shape == seal_imaging.Shape.ROUND else None)
        or height,
    )


async def preview(ctx: RequestContext, seal_type: SealType, data: StandardSealInput) -> Preview:
    """The standard seal as it would be saved, checked by the same rules; nothing is written
    (SW-16)."""
    enterprise_account(ctx)
    problems = Problems()
    _check_standard(problems, data)
    problems.raise_if_any()
    options = _render_options(data, seal_type)
    width, height = drawn_size(options)
    return Preview(await _render(options), width, height)


async def _render(options: seal_imaging.StandardSeal) -> bytes:
    try:
        return await run_in_threadpool(seal_imaging.render, options)
    except seal_imaging.FontMissing as error:
        log.error("seal font missing: %s", error)
        raise UserErrors.one(SealErrorCode.FONT_MISSING) from error


async def _check_record(
    ctx: RequestContext, data: SealRecordInput, problems: Problems
) -> Holder | None:
    fields.text(problems, data.name, "name", max_length=NAME_MAX[data.platform])
    fields.text(problems, data.remark, "remark", max_length=REMARK_MAX, required=False)
    holder = next((h for h in await holders(ctx) if h.account.id == data.holder_id), None)
    if holder is None:
        problems.add(SealErrorCode.HOLDER_NOT_ELIGIBLE, "holderId")
        return None
    if data.valid_to <= data.valid_from:
        problems.add(CommonErrorCode.DATE_RANGE, "validTo")
    elif (
        data.valid_from < holder.card.not_before.date()
        or data.valid_to > holder.card.not_after.date()
    ):
        problems.add(
            SealErrorCode.VALIDITY_OUTSIDE_CERTIFICATE,
            "validTo",
            start=holder.card.not_before.date().isoformat(),
            end=holder.card.not_after.date().isoformat(),
        )
    return holder


def _record(ctx: RequestContext, data: SealRecordInput) -> dict[str, Any]:
    return {
        "holder_account_id": data.holder_id,
        "name": data.name.strip(),
        "seal_type": data.seal_type,
        "valid_from": data.valid_from,
        "valid_to": data.valid_to,
        "remark": (data.remark or "").strip() or None,
        "updated_at": ctx.clock.now(),
    }


async def _legal_person_with_card(ctx: RequestContext) -> tuple[Account, Card]:
    legal_person = cards.require_legal_person_card(ctx)
    card = await cards.bound_card(ctx, legal_person.id or 0)
    if card is None:
        raise Forbidden("LEGAL_PERSON_CARD_REQUIRED", ctx.locale)
    return legal_person, card


async def create_standard(
    ctx: RequestContext, data: SealRecordInput, standard: StandardSealInput
) -> Seal:
    legal_person, card = await _legal_person_with_card(ctx)
    problems = Problems()
    await _check_record(ctx, data, problems)
    _check_standard(problems, standard)
    problems.raise_if_any()
    options = _render_options(standard, data.seal_type)
    png = await _render(options)
    seal = Seal(
        enterprise_id=legal_person.enterprise_id or 0,
        method=SealMethod.STANDARD,
        status=SealStatus.DISABLED,
        created_with_card=card.card_number,
        image_png=png,
        **_image_size(png),
        **_standard_columns(options),
        **_record(ctx, data),
    )
    ctx.db.add(seal)
    await commit(ctx)
    return seal


def _standard_columns(options: seal_imaging.StandardSeal) -> dict[str, Any]:
    width, height = drawn_size(options)
    return {
        "unit_text": options.unit_text,
        "english_text": options.english_text,
        "shape": options.shape.value,
        "colour": options.colour.value,
        "width_mm": width,
        "height_mm": height,
        "inner_margin_mm": options.inner_margin_mm,
    }


def _image_size(png: bytes) -> dict[str, Any]:
    # PNG IHDR: width and height are the big-endian words at bytes 16-24.
    return {
        "image_width": int.from_bytes(png[16:20], "big"),
        "image_height": int.from_bytes(png[20:24], "big"),
    }


async def _extract(
    function: Callable[[bytes], seal_imaging.Extracted], scan: bytes
) -> seal_imaging.Extracted:
    try:
        return await run_in_threadpool(function, scan)
    except seal_imaging.SealImagingError as error:
        raise UserErrors.one(imaging_code(error), "scan") from error


async def create_from_image(ctx: RequestContext, data: SealRecordInput, scan: bytes) -> Seal:
    """SW-16: a red or blue seal stamped on white A4, scanned as JPEG (600 dpi is best)."""
    legal_person, card = await _legal_person_with_card(ctx)
    problems = Problems()
    await _check_record(ctx, data, problems)
    problems.raise_if_any()
    extracted = await _extract(seal_imaging.extract_seal, scan)
    assert extracted.colour is not None
    seal = Seal(
        enterprise_id=legal_person.enterprise_id or 0,
        method=SealMethod.IMAGE,
        status=SealStatus.DISABLED,
        created_with_card=card.card_number,
        image_png=extracted.png,
        colour=extracted.colour.value,
        width_mm=round(extracted.size_mm[0], 1),
        height_mm=round(extracted.size_mm[1], 1),
        **_image_size(extracted.png),
        **_record(ctx, data),
    )
    ctx.db.add(seal)
    await commit(ctx)
    return seal


Owned = TypeVar("Owned", Seal, Signature)


def _existing(model: type[Owned]) -> Any:
    """A deleted seal is in no list, look-up or change (signatures are removed outright)."""
    return col(Seal.deleted_at).is_(None) if model is Seal else true()


def _of_enterprise(model: type[Owned], enterprise_id: int | None) -> Any:
    return select(model).where(col(model.enterprise_id) == enterprise_id).where(_existing(model))


async def owned(ctx: RequestContext, model: type[Owned], row_id: int) -> Owned:
    """A seal or signature of the viewer's enterprise; another enterprise's (or a deleted
    seal) is "not found"."""
    account = enterprise_account(ctx)
    row = (
        await ctx.db.exec(
            _of_enterprise(model, account.enterprise_id).where(col(model.id) == row_id)
        )
    ).first()
    if row is None:
        raise UserErrors.one(CommonErrorCode.NOT_FOUND, "id")
    return cast(Owned, row)


async def visible(ctx: RequestContext, model: type[Owned], ids: list[int]) -> list[Owned | None]:
    """``node(id)``: seals and signatures of the viewer's enterprise, null for anyone else's
    (and for viewers who are not its admin or operators)."""
    account = ctx.viewer.account
    if not _seal_user(account) or not ids:
        return [None] * len(ids)
    assert account is not None
    rows = await ctx.db.exec(
        _of_enterprise(model, account.enterprise_id).where(col(model.id).in_(ids))
    )
    found = {row.id: row for row in rows.all()}
    return [found.get(i) for i in ids]


def can_delete(status: SealStatus) -> bool:
    """Only a DISABLED seal or signature can be deleted (SW-16)."""
    return status == SealStatus.DISABLED


async def update(
    ctx: RequestContext, seal_id: int, data: SealRecordInput, standard: StandardSealInput | None
) -> Seal:
    """Edit the record; a standard seal is drawn again from its new parameters."""
    await _legal_person_with_card(ctx)
    seal = await owned(ctx, Seal, seal_id)
    problems = Problems()
    await _check_record(ctx, data, problems)
    if seal.method == SealMethod.STANDARD:
        if standard is None:
            problems.add(CommonErrorCode.REQUIRED, "standard")
        else:
            _check_standard(problems, standard)
    problems.raise_if_any()
    for name, value in _record(ctx, data).items():
        setattr(seal, name, value)
    if seal.method == SealMethod.STANDARD and standard is not None:
        options = _render_options(standard, data.seal_type)
        seal.image_png = await _render(options)
        for name, value in {**_standard_columns(options), **_image_size(seal.image_png)}.items():
            setattr(seal, name, value)
    ctx.db.add(seal)
    await commit(ctx)
    return seal


async def set_status(
    ctx: RequestContext, model: type[Owned], row_id: int, status: SealStatus
) -> Owned:
    """Enable or disable a seal or signature: any user of the enterprise may (SW-16, SW-17).
    One conditional UPDATE: a seal deleted meanwhile stays deleted (and DISABLED)."""
    row = await owned(ctx, model, row_id)
    changed = await ctx.db.exec(
        sqlalchemy.update(model)
        .where(col(model.id) == row_id)
        .where(_existing(model))
        .values(status=status, updated_at=ctx.clock.now())
    )
    if changed.rowcount != 1:
        raise UserErrors.one(CommonErrorCode.NOT_FOUND, "id")
    await ctx.db.refresh(row)
    await commit(ctx)
    return row


async def remove(ctx: RequestContext, model: type[Owned], row_id: int) -> int:
    """Delete a seal or signature for good; only a DISABLED one. A seal is marked deleted
    rather than removed: what it signed still refers to it (it stays DISABLED, so it can sign
    nothing more, and no list, look-up or status change finds it again)."""
    row = await owned(ctx, model, row_id)
    if not can_delete(row.status):
        raise UserErrors.one(SealErrorCode.SEAL_NOT_DISABLED, "id")
    # Conditional, so that a seal enabled meanwhile is not deleted while in use.
    disabled = (col(model.id) == row_id, col(model.status) == SealStatus.DISABLED)
    if model is Seal:
        now = ctx.clock.now()
        statement: Any = (
            sqlalchemy.update(Seal)
            .where(*disabled, _existing(Seal))
            .values(deleted_at=now, updated_at=now)
        )
    else:
        statement = sqlalchemy.delete(model).where(*disabled)
    if (await ctx.db.exec(statement)).rowcount != 1:
        raise UserErrors.one(SealErrorCode.SEAL_NOT_DISABLED, "id")
    await commit(ctx)
    return row_id


def _day_start(day: date) -> datetime:
    """Midnight of a day in China Standard Time: the calendar the search form uses (the first
    and last days of the calendar are taken as the ends of time)."""
    start = datetime.combine(day, time(), tzinfo=UTC)
    return start if day == date.min else start - timedelta(hours=8)


async def search(
    ctx: RequestContext, wanted: SealFilter, first: int, after: str | None
) -> pagination.Page[Seal]:
    account = enterprise_account(ctx)
    statement = _of_enterprise(Seal, account.enterprise_id).order_by(
        col(Seal.created_at).desc(), col(Seal.id).desc()
    )
    if wanted.name and wanted.name.strip():
        statement = statement.where(
            func.lower(col(Seal.name)).contains(wanted.name.strip().lower()[:25])
        )
    if wanted.status is not None:
        statement = statement.where(col(Seal.status) == wanted.status)
    if wanted.seal_type is not None:
        statement = statement.where(col(Seal.seal_type) == wanted.seal_type)
    if wanted.created_from is not None:
        statement = statement.where(col(Seal.created_at) >= _day_start(wanted.created_from))
    if wanted.created_to is not None:
        statement = statement.where(
            col(Seal.created_at) < _day_start(wanted.created_to + timedelta(days=1))
            if wanted.created_to < date.max
            else col(Seal.created_at).is_not(None)
        )
    return await pagination.paginate(ctx, statement, first, after)


@dataclass
class SignatureInput:
    declarant_id: int
    name: str
    remark: str | None = None


async def create_signature(ctx: RequestContext, data: SignatureInput, scan: bytes) -> Signature:
    """SW-17: a black-pen signature of an operator (declarant), saved with the legal-person card."""
    legal_person, card = await _legal_person_with_card(ctx)
    problems = Problems()
    fields.text(problems, data.name, "name", max_length=25)
    fields.text(problems, data.remark, "remark", max_length=REMARK_MAX, required=False)
    declarant = await ctx.loaders.account.load(data.declarant_id)
    if (
        declarant is None
        or declarant.kind != AccountKind.OPERATOR
        or declarant.enterprise_id != legal_person.enterprise_id
    ):
        problems.add(SealErrorCode.HOLDER_NOT_ELIGIBLE, "declarantId")
    problems.raise_if_any()
    extracted = await _extract(seal_imaging.extract_signature, scan)
    signature = Signature(
        enterprise_id=legal_person.enterprise_id or 0,
        declarant_account_id=data.declarant_id,
        name=data.name.strip(),
        remark=(data.remark or "").strip() or None,
        image_png=extracted.png,
        created_with_card=card.card_number,
        **_image_size(extracted.png),
    )
    ctx.db.add(signature)
    await commit(ctx)
    return signature


async def search_signatures(
    ctx: RequestContext, name: str | None, status: SealStatus | None, first: int, after: str | None
) -> pagination.Page[Signature]:
    account = enterprise_account(ctx)
    statement = _of_enterprise(Signature, account.enterprise_id).order_by(
        col(Signature.created_at).desc(), col(Signature.id).desc()
    )
    if name and name.strip():
        statement = statement.where(
            func.lower(col(Signature.name)).contains(name.strip().lower()[:25])
        )
    if status is not None:
        statement = statement.where(col(Signature.status) == status)
    return await pagination.paginate(ctx, statement, first, after)
