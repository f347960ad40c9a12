"""Identifier validators: official check characters, one code per invalid value (SW-2, SW-3)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from resolvers.core.errors import CommonErrorCode
from resolvers.core.identifiers import (
    ID_PROVINCES,
    ORG_CHARS,
    USCC_CATEGORIES,
    USCC_CHARS,
    IdentifierError,
    org_code_check_char,
    resident_id_check_char,
    uscc_check_char,
    validate_email,
    validate_mobile,
    validate_org_code,
    validate_org_code_matches_uscc,
    validate_resident_id,
    validate_uscc,
    validate_validity,
)

pytestmark = pytest.mark.req("SW-2", "SW-3", "SW-4")
TODAY = date(2026, 11, 23)


def code_of(check: object, value: str) -> CommonErrorCode:
    with pytest.raises(IdentifierError) as caught:
        check(value)  # type: ignore[operator]
    return caught.value.code


# Published codes: the check characters below were computed by the issuers, not by us.
@pytest.mark.parametrize(
    "uscc",
    ["91440300MA5H0HLK5U", "91350100M000100Y43", "91100000100003962T", "911000001000013428"],
)
def test_real_usccs_pass(uscc: str) -> None:
    assert validate_uscc(uscc) == uscc


def test_org_code_accepts_the_printed_hyphen_and_lower_case() -> None:
    assert validate_org_code("ma5h0hlk-5") == "MA5H0HLK5"


org_bodies = st.text(alphabet=ORG_CHARS, min_size=8, max_size=8).filter(lambda b: b != "00000000")
org_body_uscc = st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=8, max_size=8).filter(
    lambda b: b != "00000000"
)


@st.composite
def valid_usccs(draw: st.DrawFn) -> str:
    dept = draw(st.sampled_from(sorted(USCC_CATEGORIES)))
    category = draw(st.sampled_from(USCC_CATEGORIES[dept]))
    region = draw(st.from_regex(r"\A[0-9]{6}\Z"))
    body = draw(org_body_uscc)
    org = body + org_code_check_char(body)
    assume(all(c in USCC_CHARS for c in org))
    first17 = dept + category + region + org
    return first17 + uscc_check_char(first17)


@given(valid_usccs())
def test_generated_usccs_pass_and_their_org_part_matches(uscc: str) -> None:
    assert validate_uscc(uscc) == uscc
    assert validate_org_code_matches_uscc(uscc[8:17], uscc) == uscc[8:17]


@given(valid_usccs(), st.integers(min_value=0, max_value=16), st.sampled_from(USCC_CHARS))
def test_any_single_character_change_is_caught(uscc: str, position: int, replacement: str) -> None:
    assume(uscc[position] != replacement)
    changed = uscc[:position] + replacement + uscc[position + 1 :]
    with pytest.raises(IdentifierError):
        validate_uscc(changed)


@given(valid_usccs())
def test_a_changed_check_character_is_uscc_check(uscc: str) -> None:
    wrong = next(c for c in USCC_CHARS if c != uscc[17])
    assert code_of(validate_uscc, uscc[:17] + wrong) == CommonErrorCode.USCC_CHECK


@given(valid_usccs(), st.sampled_from("IOZSV"), st.integers(min_value=0, max_value=17))
def test_forbidden_letters_are_a_charset_error(uscc: str, letter: str, position: int) -> None:
    assert (
        code_of(validate_uscc, uscc[:position] + letter + uscc[position + 1 :])
        == CommonErrorCode.USCC_CHARSET
    )


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", CommonErrorCode.EMPTY),
        ("91440300MA5H0HLK5", CommonErrorCode.USCC_LENGTH),
        ("01440300MA5H0HLK5U", CommonErrorCode.USCC_DEPT),
        ("94440300MA5H0HLK5U", CommonErrorCode.USCC_CATEGORY),
        ("9144030AMA5H0HLK5U", CommonErrorCode.USCC_REGION_FORMAT),
        ("91440300MA5H0HLK6U", CommonErrorCode.USCC_ORG_PART_CHECK),
    ],
)
def test_uscc_error_codes(value: str, code: CommonErrorCode) -> None:
    assert code_of(validate_uscc, value) == code


@given(org_bodies)
def test_org_codes_round_trip(body: str) -> None:
    code = body + org_code_check_char(body)
    assert validate_org_code(code) == code


def test_org_code_must_match_the_usccs_positions_9_to_17() -> None:
    assert code_of(
        lambda v: validate_org_code_matches_uscc(v, "91440300MA5H0HLK5U"), "MA0000000"
    ) in {
        CommonErrorCode.ORG_CHECK,
        CommonErrorCode.ORG_USCC_MISMATCH,
    }
    other = "12345678" + org_code_check_char("12345678")
    assert code_of(lambda v: validate_org_code_matches_uscc(v, "91440300MA5H0HLK5U"), other) == (
        CommonErrorCode.ORG_USCC_MISMATCH
    )


@st.composite
def valid_ids(draw: st.DrawFn) -> str:
    province = draw(st.sampled_from(sorted(ID_PROVINCES)))
    rest = draw(st.from_regex(r"\A[0-9]{4}\Z"))
    birth = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
    sequence = draw(st.from_regex(r"\A[0-9]{3}\Z"))
    first17 = f"{province}{rest}{birth:%Y%m%d}{sequence}"
    return first17 + resident_id_check_char(first17)


@given(valid_ids())
def test_generated_resident_ids_pass(number: str) -> None:
    assert validate_resident_id(number.lower(), TODAY) == number


def test_known_resident_id_check_character() -> None:
    # GB 11643's worked example: 11010519491231002X.
    assert validate_resident_id("11010519491231002x", TODAY) == "11010519491231002X"


@given(valid_ids(), st.integers(min_value=1, max_value=3650))
def test_birth_dates_in_the_future_are_refused(number: str, days: int) -> None:
    future = TODAY + timedelta(days=days)
    first17 = number[:6] + f"{future:%Y%m%d}" + number[14:17]
    assert code_of(
        lambda v: validate_resident_id(v, TODAY), first17 + resident_id_check_char(first17)
    ) == (CommonErrorCode.ID_BIRTHDATE_FUTURE)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("11010519491231002", CommonErrorCode.ID_LENGTH),
        ("1101051949123100AX", CommonErrorCode.ID_CHARSET),
        ("99010519491231002X", CommonErrorCode.ID_REGION),
        ("110105199902290021", CommonErrorCode.ID_BIRTHDATE_INVALID),
        ("110105189912310021", CommonErrorCode.ID_BIRTHDATE_TOO_OLD),
        ("110105194912310021", CommonErrorCode.ID_CHECK),
    ],
)
def test_resident_id_error_codes(value: str, code: CommonErrorCode) -> None:
    assert code_of(lambda v: validate_resident_id(v, TODAY), value) == code


@given(st.from_regex(r"\A1[3-9][0-9]{9}\Z"))
def test_mobiles_normalise_from_common_forms(mobile: str) -> None:
    assert validate_mobile(mobile) == mobile
    assert validate_mobile(f"+86 {mobile[:3]}-{mobile[3:7]}-{mobile[7:]}") == mobile
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in mobile)
    assert validate_mobile(full_width) == mobile


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("1381234567", CommonErrorCode.MOBILE_LENGTH),
        ("12812345678", CommonErrorCode.MOBILE_PREFIX),
        ("1381234567a", CommonErrorCode.MOBILE_CHARSET),
    ],
)
def test_mobile_error_codes(value: str, code: CommonErrorCode) -> None:
    assert code_of(validate_mobile, value) == code


def test_email() -> None:
    assert validate_email(" Li.Hong@Example.COM ") == "Li.Hong@example.com"
    assert code_of(validate_email, "li..hong@example.com") == CommonErrorCode.EMAIL_FORMAT


@given(
    st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 1, 1)),
    st.integers(min_value=1, max_value=7300),
)
def test_validity_dates(start: date, length: int) -> None:
    end = start + timedelta(days=length)
    assert validate_validity(f"{start:%Y%m%d}", f"{end:%Y%m%d}") == (
        f"{start:%Y%m%d}",
        f"{end:%Y%m%d}",
    )
    assert validate_validity(f"{start:%Y%m%d}", "00000000") == (f"{start:%Y%m%d}", "00000000")
    assert (
        code_of(lambda v: validate_validity(v, f"{start:%Y%m%d}"), f"{end:%Y%m%d}")
        == CommonErrorCode.DATE_RANGE
    )
