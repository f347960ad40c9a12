"""Field checks of tariff insurance's forms and of the insurers' webhook events.

- Customs code (海关十位编码): ten digits; the first four are the region of the enterprise's
  domicile (企业注册地行政区划, e.g. 2101 沈阳, 1111 北京房山 as in the manual's 1111940109), so
  the first two must be a province and the next two not 00.
- Phones where the manual says 电话 (联系人电话, 法人电话, the invoice's 联系人电话): a mainland
  mobile or a landline with its area code (010 and 02x have three digits, every other area code
  four), optionally with an extension.
- Bank accounts (银行账号): 8 to 30 digits (spaces allowed in the input).
- Amounts and rates an insurer sends: finite decimals in range, or the event is refused (a 4xx
  the insurer does not retry), never a 500.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Any

from resolvers.core import fields
from resolvers.core.errors import CommonErrorCode, Problems, UserErrors
from resolvers.core.fields import CENT, MAX_AMOUNT
from resolvers.insurance import customs
from resolvers.insurance.errors import InsuranceErrorCode

# GB/T 2260 provinces, autonomous regions and municipalities of the mainland.
PROVINCES = frozenset(
    str(code)
    for code in (
        *(11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46),
        *(50, 51, 52, 53, 54, 61, 62, 63, 64, 65),
    )
)
CUSTOMS_CODE = re.compile(r"^\d{10}$")
LANDLINE = re.compile(r"^(010|02\d|0[3-9]\d{2})-?([2-9]\d{6,7})(?:-(\d{1,6}))?$")
BANK_ACCOUNT = re.compile(r"^\d{8,30}$")
TAX_NUMBER = re.compile(r"^(?:[0-9A-Z]{15}|[0-9A-Z]{18}|[0-9A-Z]{20})$")
MAX_RATE = Decimal("100")
RATE_UNIT = Decimal("0.0001")


def _plain(value: str | None) -> str:
    """Full-width digits and letters as ASCII, surrounding blanks gone."""
    return unicodedata.normalize("NFKC", value or "").strip()


def customs_code(problems: Problems, value: str | None, *field: str) -> str | None:
    code = _plain(value).upper()
    if not code:
        problems.add(CommonErrorCode.REQUIRED, *field)
        return None
    if not CUSTOMS_CODE.match(code) or code[:2] not in PROVINCES or code[2:4] == "00":
        problems.add(InsuranceErrorCode.CUSTOMS_CODE_FORMAT, *field)
        return None
    return code


def office(problems: Problems, code: str, *field: str) -> str | None:
    """A customs district (关区) of the table, by its four-digit code."""
    if code not in customs.OFFICES:
        problems.add(CommonErrorCode.CUSTOMS_UNKNOWN, *field)
        return None
    return code


def phone(problems: Problems, value: str | None, *field: str, required: bool = True) -> str | None:
    """A mobile (checked as every mobile is) or a landline, as ``area-number[-extension]``."""
    text = _plain(value)
    if not text:
        if required:
            problems.add(CommonErrorCode.REQUIRED, *field)
        return None
    compact = re.sub(r"[\s()（）]", "", text)
    if compact.startswith(("+86", "0086")) or (compact.isdigit() and not compact.startswith("0")):
        return fields.mobile(problems, compact, *field)
    landline = LANDLINE.match(compact)
    if landline is None:
        problems.add(InsuranceErrorCode.PHONE_FORMAT, *field)
        return None
    area, number, extension = landline.groups()
    return f"{area}-{number}" + (f"-{extension}" if extension else "")


def bank_account(problems: Problems, value: str | None, *field: str) -> str | None:
    account = re.sub(r"\s", "", _plain(value))
    if not BANK_ACCOUNT.match(account):
        problems.add(InsuranceErrorCode.BANK_ACCOUNT_FORMAT, *field)
        return None
    return account


def tax_number(problems: Problems, value: str, *field: str) -> str | None:
    number = _plain(value).upper()
    if not TAX_NUMBER.match(number):
        problems.add(InsuranceErrorCode.TAX_NUMBER_FORMAT, *field)
        return None
    return number


# The insurers' events -----------------------------------------------------------------------


def event_amount(event: dict[str, Any], key: str, *, allow_zero: bool = False) -> Decimal:
    """A yuan amount of an insurer's event: finite, in fen, above 0 (or 0 if allowed) and at
    most 10 billion; anything else (``"NaN"``, ``"Infinity"``, ``1e400``, ``-1``) is refused."""
    amount = fields.finite_decimal(event.get(key)) if key in event else None
    if amount is None:
        raise UserErrors.one(CommonErrorCode.INVALID_FORMAT, key)
    exact = fields.quantized(amount, CENT, MAX_AMOUNT)
    if exact is None:
        raise UserErrors.one(CommonErrorCode.AMOUNT_INVALID, key)
    low_ok = exact >= 0 if allow_zero else exact > 0
    if not low_ok or exact > MAX_AMOUNT or exact != amount:
        raise UserErrors.one(CommonErrorCode.AMOUNT_INVALID, key)
    return exact


def event_rate(event: dict[str, Any], key: str = "rate") -> Decimal:
    """A percentage of an insurer's event: finite, above 0, at most 100, four places at most."""
    rate = fields.finite_decimal(event.get(key)) if key in event else None
    if rate is None:
        raise UserErrors.one(CommonErrorCode.INVALID_FORMAT, key)
    if not Decimal("0") < rate <= MAX_RATE or rate.quantize(RATE_UNIT) != rate:
        raise UserErrors.one(InsuranceErrorCode.RATE_INVALID, key)
    return rate
