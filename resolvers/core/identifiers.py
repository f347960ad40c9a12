"""Identifier validators with the official check characters.

Each validator normalises its input (NFKC, trim, upper-case) and either returns the normal
form or raises :class:`IdentifierError` with exactly one code. The checks run in the order
length, charset, structure, check character, so every invalid value has one expected code.

- USCC: GB 32100-2015, weights 3^(i-1) mod 31, charset without I, O, Z, S, V.
- Organisation code: GB 11714-1997, weights 3 7 9 10 5 8 4 2, mod 11 (10 -> X, 11 -> 0).
- Resident ID: GB 11643-1999, ISO 7064 MOD 11-2, with a real birth date not in the future.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from resolvers.core.errors import CommonErrorCode

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
ORG_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
ID_CHECKS = "10X98765432"
ID_PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46}
    | {50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83}
)
# GB 32100-2015: registration department -> allowed organisation categories.
USCC_CATEGORIES: dict[str, str] = {
    "1": "1239",
    "2": "19",
    "3": "123459",
    "4": "19",
    "5": "1239",
    "6": "129",
    "7": "129",
    "8": "19",
    "9": "123",
    "A": "19",
    "N": "1239",
    "Y": "1",
}
LONG_TERM = "00000000"
EARLIEST_BIRTH = date(1900, 1, 1)
MOBILE = re.compile(r"^1[3-9]\d{9}$")
EMAIL = re.compile(r"^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,185}\.[A-Za-z]{2,24}$")


class IdentifierError(ValueError):
    def __init__(self, code: CommonErrorCode) -> None:
        super().__init__(code.value)
        self.code = code


def normalise(value: str) -> str:
    """NFKC (full-width digits from Chinese IMEs become ASCII), trimmed, upper-case."""
    return unicodedata.normalize("NFKC", value).strip().upper()


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARS[(31 - total % 31) % 31]


def org_code_check_char(body8: str) -> str:
    total = sum(ORG_CHARS.index(c) * w for c, w in zip(body8, ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def resident_id_check_char(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECKS[total % 11]


def validate_org_code(value: str) -> str:
    code = normalise(value)
    if not code:
        raise IdentifierError(CommonErrorCode.EMPTY)
    if len(code) == 10 and code[8] == "-":
        code = code[:8] + code[9]
    if len(code) != 9:
        raise IdentifierError(CommonErrorCode.ORG_LENGTH)
    if any(c not in ORG_CHARS for c in code[:8]) or code[8] not in ORG_CHARS[:10] + "X":
        raise IdentifierError(CommonErrorCode.ORG_CHARSET)
    if code[:8] == "00000000" or org_code_check_char(code[:8]) != code[8]:
        raise IdentifierError(CommonErrorCode.ORG_CHECK)
    return code


def validate_uscc(value: str) -> str:
    code = normalise(value)
    if not code:
        raise IdentifierError(CommonErrorCode.EMPTY)
    if len(code) != 18:
        raise IdentifierError(CommonErrorCode.USCC_LENGTH)
    if any(c not in USCC_CHARS for c in code):
        raise IdentifierError(CommonErrorCode.USCC_CHARSET)
    categories = USCC_CATEGORIES.get(code[0])
    if categories is None:
        raise IdentifierError(CommonErrorCode.USCC_DEPT)
    if code[1] not in categories:
        raise IdentifierError(CommonErrorCode.USCC_CATEGORY)
    if not code[2:8].isdigit():
        raise IdentifierError(CommonErrorCode.USCC_REGION_FORMAT)
    try:
        validate_org_code(code[8:17])
    except IdentifierError as error:
        raise IdentifierError(CommonErrorCode.USCC_ORG_PART_CHECK) from error
    if uscc_check_char(code[:17]) != code[17]:
        raise IdentifierError(CommonErrorCode.USCC_CHECK)
    return code


def validate_org_code_matches_uscc(org_code: str, uscc: str) -> str:
    """The org code field of the Single Window forms must equal USCC positions 9-17."""
    code = validate_org_code(org_code)
    if code != uscc[8:17]:
        raise IdentifierError(CommonErrorCode.ORG_USCC_MISMATCH)
    return code


def validate_resident_id(value: str, today: date) -> str:
    number = normalise(value)
    if not number:
        raise IdentifierError(CommonErrorCode.EMPTY)
    if len(number) != 18:
        raise IdentifierError(CommonErrorCode.ID_LENGTH)
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise IdentifierError(CommonErrorCode.ID_CHARSET)
    if int(number[:2]) not in ID_PROVINCES:
        raise IdentifierError(CommonErrorCode.ID_REGION)
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as error:
        raise IdentifierError(CommonErrorCode.ID_BIRTHDATE_INVALID) from error
    if birth > today:
        raise IdentifierError(CommonErrorCode.ID_BIRTHDATE_FUTURE)
    if birth < EARLIEST_BIRTH:
        raise IdentifierError(CommonErrorCode.ID_BIRTHDATE_TOO_OLD)
    if resident_id_check_char(number[:17]) != number[17]:
        raise IdentifierError(CommonErrorCode.ID_CHECK)
    return number


def validate_mobile(value: str) -> str:
    digits = unicodedata.normalize("NFKC", value).strip()
    digits = re.sub(r"[\s\-()]", "", digits)
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not digits:
        raise IdentifierError(CommonErrorCode.EMPTY)
    if not digits.isdigit():
        raise IdentifierError(CommonErrorCode.MOBILE_CHARSET)
    if len(digits) != 11:
        raise IdentifierError(CommonErrorCode.MOBILE_LENGTH)
    if not MOBILE.match(digits):
        raise IdentifierError(CommonErrorCode.MOBILE_PREFIX)
    return digits


def validate_email(value: str) -> str:
    address = unicodedata.normalize("NFKC", value).strip()
    if not address:
        raise IdentifierError(CommonErrorCode.EMPTY)
    if len(address) > 100 or not EMAIL.match(address) or ".." in address:
        raise IdentifierError(CommonErrorCode.EMAIL_FORMAT)
    local, _, domain = address.partition("@")
    return f"{local}@{domain.lower()}"


def parse_yyyymmdd(value: str) -> date:
    text = normalise(value)
    if len(text) != 8 or not text.isdigit():
        raise IdentifierError(CommonErrorCode.DATE_FORMAT)
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError as error:
        raise IdentifierError(CommonErrorCode.DATE_FORMAT) from error


def validate_validity(valid_from: str, valid_to: str) -> tuple[str, str]:
    """ID validity dates as YYYYMMDD; ``00000000`` as the end date means long-term."""
    start = parse_yyyymmdd(valid_from)
    end_text = normalise(valid_to)
    if end_text == LONG_TERM:
        return start.strftime("%Y%m%d"), LONG_TERM
    end = parse_yyyymmdd(end_text)
    if end <= start:
        raise IdentifierError(CommonErrorCode.DATE_RANGE)
    return start.strftime("%Y%m%d"), end.strftime("%Y%m%d")


def validate_document_number(value: str) -> str:
    """Passports and permits: 5-20 letters and digits (no check character exists)."""
    number = normalise(value)
    if not number:
        raise IdentifierError(CommonErrorCode.EMPTY)
    if not re.fullmatch(r"[A-Z0-9]{5,20}", number):
        raise IdentifierError(CommonErrorCode.PASSPORT_FORMAT)
    return number


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def validate_bank_card(value: str) -> str:
    """A personal bank card number: 16-19 digits with a Luhn check (ISO/IEC 7812-1)."""
    digits = re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", value))
    if not digits:
        raise IdentifierError(CommonErrorCode.EMPTY)
    if not digits.isdigit():
        raise IdentifierError(CommonErrorCode.CARD_CHARSET)
    if not 16 <= len(digits) <= 19:
        raise IdentifierError(CommonErrorCode.CARD_LENGTH)
    if not luhn_valid(digits):
        raise IdentifierError(CommonErrorCode.CARD_LUHN)
    return digits
