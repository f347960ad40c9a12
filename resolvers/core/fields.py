"""Checks of single input fields, collecting problems under the input's field path."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

import pycountry

from resolvers.core.errors import CommonErrorCode, Problems
from resolvers.core.identifiers import (
    IdentifierError,
    normalise,
    validate_bank_card,
    validate_document_number,
    validate_email,
    validate_mobile,
    validate_resident_id,
    validate_validity,
)
from resolvers.core.passwords import meets_policy


class IdType(StrEnum):
    RESIDENT_ID = "RESIDENT_ID"
    PASSPORT = "PASSPORT"
    HK_MACAO_PERMIT = "HK_MACAO_PERMIT"
    TAIWAN_PERMIT = "TAIWAN_PERMIT"
    FOREIGNER_RESIDENCE_PERMIT = "FOREIGNER_RESIDENCE_PERMIT"
    OTHER = "OTHER"


# SW-3: holders of these documents may verify by email instead of a mainland mobile.
EMAIL_VERIFIABLE_ID_TYPES = frozenset(
    {
        IdType.PASSPORT,
        IdType.HK_MACAO_PERMIT,
        IdType.TAIWAN_PERMIT,
        IdType.FOREIGNER_RESIDENCE_PERMIT,
    }
)
MAX_AMOUNT = Decimal("10000000000")
CENT = Decimal("0.01")
USERNAME = re.compile(r"^(?=.*[A-Za-z])[A-Za-z0-9]{6,18}$")
OVERSEAS_USERNAME = re.compile(r"^(?=.*[a-z])[a-z0-9]{6,18}$")


def text(
    problems: Problems, value: str | None, *field: str, max_length: int, required: bool = True
) -> str | None:
    cleaned = (value or "").strip()
    if not cleaned:
        if required:
            problems.add(CommonErrorCode.REQUIRED, *field)
        return None
    if len(cleaned) > max_length:
        problems.add(CommonErrorCode.TOO_LONG, *field, max=max_length)
        return None
    return cleaned


def identifier(
    problems: Problems, check: Callable[[str], str], value: str | None, *field: str
) -> str | None:
    """Run an identifier validator, turning its error code into a problem on ``field``."""
    if not (value or "").strip():
        problems.add(CommonErrorCode.REQUIRED, *field)
        return None
    try:
        return check(value or "")
    except IdentifierError as error:
        problems.add(error.code, *field)
        return None


def username(
    problems: Problems, value: str | None, *field: str, overseas: bool = False
) -> str | None:
    cleaned = (value or "").strip()
    if not cleaned:
        problems.add(CommonErrorCode.REQUIRED, *field)
        return None
    pattern = OVERSEAS_USERNAME if overseas else USERNAME
    if not pattern.match(cleaned):
        problems.add(CommonErrorCode.USERNAME_FORMAT, *field)
        return None
    return cleaned


def new_password(
    problems: Problems, password: str | None, confirmation: str | None, *prefix: str
) -> str | None:
    if not password:
        problems.add(CommonErrorCode.REQUIRED, *prefix, "password")
        return None
    if not meets_policy(password):
        problems.add(CommonErrorCode.PASSWORD_POLICY, *prefix, "password")
        return None
    if password != confirmation:
        problems.add(CommonErrorCode.PASSWORD_MISMATCH, *prefix, "passwordConfirmation")
        return None
    return password


def mobile(problems: Problems, value: str | None, *field: str, required: bool = True) -> str | None:
    if not (value or "").strip():
        if required:
            problems.add(CommonErrorCode.REQUIRED, *field)
        return None
    return identifier(problems, validate_mobile, value, *field)


def email(problems: Problems, value: str | None, *field: str, required: bool = True) -> str | None:
    if not (value or "").strip():
        if required:
            problems.add(CommonErrorCode.REQUIRED, *field)
        return None
    return identifier(problems, validate_email, value, *field)


def id_document(
    problems: Problems,
    today: date,
    id_type: IdType,
    number: str | None,
    valid_from: str | None,
    valid_to: str | None,
    *prefix: str,
) -> tuple[str | None, str | None, str | None]:
    """An ID type with its number and, for resident IDs, the validity dates (required then)."""
    if id_type == IdType.RESIDENT_ID:
        checked = identifier(
            problems, lambda v: validate_resident_id(v, today), number, *prefix, "idNumber"
        )
    else:
        checked = identifier(problems, validate_document_number, number, *prefix, "idNumber")
    start, end = None, None
    if valid_from or valid_to or id_type == IdType.RESIDENT_ID:
        if not valid_from:
            problems.add(CommonErrorCode.REQUIRED, *prefix, "idValidFrom")
        if not valid_to:
            problems.add(CommonErrorCode.REQUIRED, *prefix, "idValidTo")
        if valid_from and valid_to:
            try:
                start, end = validate_validity(valid_from, valid_to)
            except IdentifierError as error:
                problems.add(error.code, *prefix, "idValidTo")
    return checked, start, end


def country(problems: Problems, value: str | None, *field: str) -> str | None:
    code = normalise(value or "")
    if not code:
        problems.add(CommonErrorCode.REQUIRED, *field)
        return None
    found = pycountry.countries.get(alpha_3=code) or pycountry.countries.get(alpha_2=code)
    if found is None:
        problems.add(CommonErrorCode.COUNTRY_UNKNOWN, *field)
        return None
    return str(found.alpha_3)


def bank_card(problems: Problems, value: str | None, *field: str) -> str | None:
    return identifier(problems, validate_bank_card, value, *field)


def finite_decimal(value: object) -> Decimal | None:
    """A finite Decimal, or None for anything else: NaN, -NaN, sNaN and infinities compare with
    nothing (``Decimal("NaN") < 1`` raises), so no rule may see them."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return amount if amount.is_finite() else None


def quantized(value: object, step: Decimal, maximum: Decimal) -> Decimal | None:
    """``value`` rounded to ``step``, or None when it is not a finite number or is orders of
    magnitude beyond ``maximum`` (where rounding would exceed the context and raise). The
    caller still checks the range."""
    number = finite_decimal(value)
    if number is None or number.adjusted() > maximum.adjusted():
        return None
    try:
        return number.quantize(step)
    except InvalidOperation:
        return None


def money(problems: Problems, value: Decimal | None, *field: str) -> Decimal | None:
    """A positive yuan amount in fen, at most 10 billion."""
    amount = quantized(value, CENT, MAX_AMOUNT)
    if amount is None or not Decimal("0") < amount <= MAX_AMOUNT or amount != value:
        problems.add(CommonErrorCode.AMOUNT_INVALID, *field)
        return None
    return amount
