"""Registration of every account kind through the API (SW-1 to SW-5)."""

from __future__ import annotations

from typing import Any

import pytest

from resolvers.core.identifiers import uscc_check_char
from tests.support import (
    PASSWORD,
    REGISTER_ENTERPRISE,
    Gateway,
    enterprise_input,
    resident_id,
    uscc_for,
)

pytestmark = pytest.mark.req("SW-1", "SW-2", "SW-3", "SW-4", "SW-5", "GW-1")

REGISTER_INDIVIDUAL = """
mutation($input: IndividualRegisterInput!) {
  individualRegister(input: $input) {
    token account { username kind ... on IndividualUser { idType idNumber } } userErrors { code field message }
  }
}"""
REGISTER_OVERSEAS = """
mutation($input: OverseasRegisterInput!) {
  overseasRegister(input: $input) {
    token
    account { username kind ... on OverseasUser { profile { countryCode registrationNumber organisationName } } }
    userErrors { code field message }
  }
}"""
CHECK = """
mutation($input: EnterpriseInfoInput!) {
  enterpriseRegistrationCheck(input: $input) { valid userErrors { code field } }
}"""
VIEWER = (
    "{ viewer { username kind ... on EnterpriseAdmin { enterprise { uscc orgCode name kind } } } }"
)


async def register(gateway: Gateway, data: dict[str, Any]) -> dict[str, Any]:
    return (await gateway.gql(REGISTER_ENTERPRISE, {"input": data}))["enterpriseRegister"]  # type: ignore[no-any-return]


def codes(payload: dict[str, Any]) -> set[tuple[str, tuple[str, ...]]]:
    return {(e["code"], tuple(e["field"] or ())) for e in payload["userErrors"]}


async def test_sw2_cardless_enterprise_registration_logs_the_admin_in(gateway: Gateway) -> None:
    payload = await gateway.register_enterprise(1)
    assert payload["account"]["kind"] == "ENTERPRISE_ADMIN"
    assert payload["account"]["enterprise"]["uscc"] == uscc_for(1)
    viewer = (await gateway.gql(VIEWER, token=payload["token"]))["viewer"]
    assert viewer["username"] == "admin0001"
    assert viewer["enterprise"]["orgCode"] == uscc_for(1)[8:17]
    # The same credentials work for a password login afterwards.
    assert (await gateway.login("ADMIN0001"))["token"]


async def test_sw4_public_institution_registers_like_an_enterprise(gateway: Gateway) -> None:
    data = enterprise_input(2)
    data["kind"] = "PUBLIC_INSTITUTION"
    first17 = "12" + uscc_for(2)[2:17]
    data["enterprise"]["uscc"] = uscc = first17 + uscc_check_char(first17)
    data["enterprise"]["orgCode"] = uscc[8:17]
    data["smsCode"] = await gateway.code_for("REGISTRATION", data["admin"]["mobile"])
    payload = await register(gateway, data)
    assert payload["userErrors"] == []
    assert payload["account"]["enterprise"]["kind"] == "PUBLIC_INSTITUTION"


async def test_sw1_a_second_admin_for_the_same_enterprise_is_refused(gateway: Gateway) -> None:
    await gateway.register_enterprise(3)
    data = enterprise_input(3, username="otheradmin3", mobile="13900000003")
    data["smsCode"] = await gateway.code_for("REGISTRATION", "13900000003")
    before = await gateway.snapshot()
    payload = await register(gateway, data)
    assert ("ADMIN_EXISTS", ("enterprise", "uscc")) in codes(payload)
    assert payload["token"] is None
    assert await gateway.snapshot() == before


async def test_sw2_step_one_check_writes_nothing_and_reports_every_problem(
    gateway: Gateway,
) -> None:
    info = enterprise_input(4)["enterprise"]
    ok = (await gateway.gql(CHECK, {"input": info}))["enterpriseRegistrationCheck"]
    assert ok == {"valid": True, "userErrors": []}
    bad = dict(
        info,
        uscc=info["uscc"][:17] + ("0" if info["uscc"][17] != "0" else "1"),
        legalRepIdValidTo="2010",
    )
    result = (await gateway.gql(CHECK, {"input": bad}))["enterpriseRegistrationCheck"]
    assert result["valid"] is False
    assert {e["code"] for e in result["userErrors"]} == {"USCC_CHECK", "DATE_FORMAT"}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"enterprise": {"uscc": "91210100MA0000010I"}}, ("USCC_CHARSET", ("enterprise", "uscc"))),
        (
            {"enterprise": {"orgCode": uscc_for(99)[8:17]}},
            ("ORG_USCC_MISMATCH", ("enterprise", "orgCode")),
        ),
        (
            {"enterprise": {"legalRepIdNumber": resident_id(5, "20991231")}},
            ("ID_BIRTHDATE_FUTURE", ("enterprise", "legalRep", "idNumber")),
        ),
        (
            {"admin": {"password": "password1", "passwordConfirmation": "password1"}},
            ("PASSWORD_POLICY", ("admin", "password")),
        ),
        (
            {"admin": {"passwordConfirmation": "Passw0rd?"}},
            ("PASSWORD_MISMATCH", ("admin", "passwordConfirmation")),
        ),
        ({"admin": {"username": "ab12"}}, ("USERNAME_FORMAT", ("admin", "username"))),
        ({"admin": {"username": "123456789"}}, ("USERNAME_FORMAT", ("admin", "username"))),
        ({"admin": {"mobile": "12345678901"}}, ("MOBILE_PREFIX", ("admin", "mobile"))),
        ({"admin": {"email": "not-an-email"}}, ("EMAIL_FORMAT", ("admin", "email"))),
        ({"admin": {"name": "名" * 51}}, ("TOO_LONG", ("admin", "name"))),
        ({"enterprise": {"name": "企" * 101}}, ("TOO_LONG", ("enterprise", "name"))),
        ({"acceptTerms": False}, ("CONSENT_REQUIRED", ("acceptTerms",))),
        ({"smsCode": "000000"}, ("CODE_INVALID", ("smsCode",))),
    ],
)
async def test_sw2_bad_input_gets_its_code_and_writes_nothing(
    gateway: Gateway, change: dict[str, Any], expected: tuple[str, tuple[str, ...]]
) -> None:
    data = enterprise_input(5)
    data["smsCode"] = await gateway.code_for("REGISTRATION", data["admin"]["mobile"])
    for key, value in change.items():
        if isinstance(value, dict):
            data[key].update(value)
        else:
            data[key] = value
    before = await gateway.snapshot()
    payload = await register(gateway, data)
    assert expected in codes(payload)
    assert payload["account"] is None
    assert await gateway.snapshot() == before


async def test_sw2_messages_are_chinese_by_default_and_english_on_request(gateway: Gateway) -> None:
    data = enterprise_input(6)
    data["acceptTerms"] = False
    zh = (await gateway.gql(REGISTER_ENTERPRISE, {"input": data}))["enterpriseRegister"][
        "userErrors"
    ]
    en = (await gateway.gql(REGISTER_ENTERPRISE, {"input": data}, locale="en-US,en;q=0.9"))[
        "enterpriseRegister"
    ]["userErrors"]
    consent_zh = next(e for e in zh if e["code"] == "CONSENT_REQUIRED")
    consent_en = next(e for e in en if e["code"] == "CONSENT_REQUIRED")
    assert "同意" in consent_zh["message"]
    assert consent_en["message"] == "Please read and accept the service agreement"


async def test_sw2_a_code_is_single_use(gateway: Gateway) -> None:
    data = enterprise_input(7)
    data["smsCode"] = await gateway.code_for("REGISTRATION", data["admin"]["mobile"])
    assert (await register(gateway, data))["userErrors"] == []
    again = enterprise_input(8, mobile=data["admin"]["mobile"])
    again["smsCode"] = data["smsCode"]
    assert ("CODE_EXPIRED", ("smsCode",)) in codes(await register(gateway, again))


async def test_sw3_individual_registers_with_mobile(gateway: Gateway) -> None:
    code = await gateway.code_for("REGISTRATION", "13600000001")
    data = {
        "name": "张伟",
        "idType": "RESIDENT_ID",
        "idNumber": resident_id(11),
        "idValidFrom": "20100101",
        "idValidTo": "20300101",
        "username": "zhangwei88",
        "password": PASSWORD,
        "passwordConfirmation": PASSWORD,
        "mobile": "13600000001",
        "smsCode": code,
        "email": "zw@example.com",
        "acceptTerms": True,
    }
    payload = (await gateway.gql(REGISTER_INDIVIDUAL, {"input": data}))["individualRegister"]
    assert payload["userErrors"] == []
    assert payload["account"]["kind"] == "INDIVIDUAL"


async def test_sw3_passport_holders_may_verify_by_email_but_id_card_holders_may_not(
    gateway: Gateway,
) -> None:
    email = "traveller@example.com"
    code = await gateway.code_for("REGISTRATION", email, channel="EMAIL")
    base = {
        "name": "John Smith",
        "idType": "PASSPORT",
        "idNumber": "E12345678",
        "username": "johnsmith1",
        "password": PASSWORD,
        "passwordConfirmation": PASSWORD,
        "email": email,
        "verifyByEmail": True,
        "emailCode": code,
        "acceptTerms": True,
    }
    refused = dict(
        base,
        idType="RESIDENT_ID",
        idNumber=resident_id(12),
        idValidFrom="20100101",
        idValidTo="00000000",
    )
    before = await gateway.snapshot()
    payload = (await gateway.gql(REGISTER_INDIVIDUAL, {"input": refused}))["individualRegister"]
    assert ("EMAIL_VERIFICATION_NOT_ALLOWED", ("verifyByEmail",)) in codes(payload)
    assert await gateway.snapshot() == before
    payload = (await gateway.gql(REGISTER_INDIVIDUAL, {"input": base}))["individualRegister"]
    assert payload["userErrors"] == []
    assert payload["account"]["idType"] == "PASSPORT"


async def test_sw5_overseas_registration_with_email_code_and_immutable_registration_number(
    gateway: Gateway,
) -> None:
    email = "anna@example.de"
    data = {
        "username": "annagmbh01",
        "password": PASSWORD,
        "passwordConfirmation": PASSWORD,
        "countryCode": "de",
        "organisationName": "Anna GmbH",
        "contactName": "Anna",
        "contactPhone": "+49 30 123",
        "address": "Berlin",
        "email": email,
        "emailCode": await gateway.code_for("REGISTRATION", email, channel="EMAIL"),
        "acceptTerms": True,
    }
    upper = dict(data, username="AnnaGmbH01")
    assert ("USERNAME_FORMAT", ("username",)) in codes(
        (await gateway.gql(REGISTER_OVERSEAS, {"input": upper}))["overseasRegister"]
    )
    payload = (await gateway.gql(REGISTER_OVERSEAS, {"input": data}))["overseasRegister"]
    assert payload["userErrors"] == []
    assert payload["account"]["profile"]["countryCode"] == "DEU"
    token = payload["token"]
    set_number = """mutation($n: String!) { overseasRegistrationNumberSet(registrationNumber: $n) {
        account { ... on OverseasUser { profile { registrationNumber canSetRegistrationNumber } } }
        userErrors { code } } }"""
    first = (await gateway.gql(set_number, {"n": "HRB 12345"}, token=token))[
        "overseasRegistrationNumberSet"
    ]
    assert first["account"]["profile"] == {
        "registrationNumber": "HRB 12345",
        "canSetRegistrationNumber": False,
    }
    second = (await gateway.gql(set_number, {"n": "HRB 99999"}, token=token))[
        "overseasRegistrationNumberSet"
    ]
    assert second["userErrors"] == [{"code": "REGISTRATION_NUMBER_IMMUTABLE"}]


async def test_sw5_unknown_country_is_refused(gateway: Gateway) -> None:
    data = {
        "username": "someone01",
        "password": PASSWORD,
        "passwordConfirmation": PASSWORD,
        "countryCode": "XXX",
        "organisationName": "X",
        "contactName": "X",
        "contactPhone": "1",
        "address": "X",
        "email": "x@example.com",
        "emailCode": "123456",
        "acceptTerms": True,
    }
    payload = (await gateway.gql(REGISTER_OVERSEAS, {"input": data}))["overseasRegister"]
    assert ("COUNTRY_UNKNOWN", ("countryCode",)) in codes(payload)


async def test_sw2_a_taken_username_is_refused_whatever_its_letter_case(gateway: Gateway) -> None:
    await gateway.register_enterprise(9)
    data = enterprise_input(10, username="ADMIN0009", mobile="13800000110")
    data["smsCode"] = await gateway.code_for("REGISTRATION", "13800000110")
    assert ("USERNAME_TAKEN", ("admin", "username")) in codes(await register(gateway, data))
