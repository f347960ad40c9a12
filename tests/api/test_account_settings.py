"""The viewer's own account information and settings (SW-11, SW-12)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select

from models import Account, RealNameLevel
from tests.support import PASSWORD, Gateway, resident_id

pytestmark = pytest.mark.req("SW-11", "SW-12")

ACCOUNT = "account { username name mobile email realNameLevel phoneLoginEnabled }"
IDENTITY = f"""
mutation($input: AccountIdentityUpdateInput!) {{
  accountIdentityUpdate(input: $input) {{ {ACCOUNT} userErrors {{ code field }} }}
}}"""
PASSWORD_CHANGE = f"""
mutation($input: AccountPasswordChangeInput!) {{
  accountPasswordChange(input: $input) {{ {ACCOUNT} userErrors {{ code field }} }}
}}"""
MOBILE = f"""
mutation($input: AccountMobileChangeInput!) {{
  accountMobileChange(input: $input) {{ {ACCOUNT} userErrors {{ code field }} }}
}}"""
EMAIL = f"""
mutation($input: AccountEmailChangeInput!) {{
  accountEmailChange(input: $input) {{ {ACCOUNT} userErrors {{ code field }} }}
}}"""
SETTINGS = f"""
mutation($on: Boolean!) {{
  accountSettingsUpdate(input: {{phoneLoginEnabled: $on}}) {{ {ACCOUNT} userErrors {{ code field }} }}
}}"""
VIEWER = "{ viewer { username } }"


def identity(index: int, name: str = "李红") -> dict[str, Any]:
    return {
        "name": name,
        "idType": "RESIDENT_ID",
        "idNumber": resident_id(index),
        "idValidFrom": "20180101",
        "idValidTo": "00000000",
    }


async def set_real_name_level(gateway: Gateway, username: str, level: RealNameLevel) -> None:
    async with gateway.services.sessionmaker() as db:
        account = (await db.exec(select(Account).where(Account.username == username))).one()
        account.real_name_level = level
        db.add(account)
        await db.commit()


async def test_sw11_changing_name_or_id_voids_the_real_name_level(gateway: Gateway) -> None:
    token = (await gateway.register_enterprise(1))["token"]
    await set_real_name_level(gateway, "admin0001", RealNameLevel.HIGH)
    # Validity dates alone do not void it.
    same = identity(1) | {"idValidTo": "20380101"}
    kept = (await gateway.gql(IDENTITY, {"input": same}, token=token))["accountIdentityUpdate"]
    assert kept["account"]["realNameLevel"] == "HIGH"
    changed = (await gateway.gql(IDENTITY, {"input": identity(1, "李小红")}, token=token))[
        "accountIdentityUpdate"
    ]
    assert changed["account"] == changed["account"] | {"name": "李小红", "realNameLevel": "NONE"}


async def test_sw11_bad_identity_is_refused_and_nothing_changes(gateway: Gateway) -> None:
    token = (await gateway.register_enterprise(2))["token"]
    before = await gateway.snapshot()
    bad = identity(2) | {"idNumber": "210102198503070001", "idValidTo": "2017010"}
    payload = (await gateway.gql(IDENTITY, {"input": bad}, token=token))["accountIdentityUpdate"]
    assert {e["code"] for e in payload["userErrors"]} == {"ID_CHECK", "DATE_FORMAT"}
    assert await gateway.snapshot() == before


async def test_sw11_password_change_checks_the_old_one_and_ends_other_sessions(
    gateway: Gateway,
) -> None:
    token = (await gateway.register_enterprise(3))["token"]
    other = await gateway.token_for("admin0003")
    wrong = {
        "oldPassword": "Nope-1234",
        "password": "N3w-Password",
        "passwordConfirmation": "N3w-Password",
    }
    payload = (await gateway.gql(PASSWORD_CHANGE, {"input": wrong}, token=token))[
        "accountPasswordChange"
    ]
    assert payload["userErrors"] == [{"code": "WRONG_PASSWORD", "field": ["oldPassword"]}]
    assert (await gateway.post(VIEWER, token=other)).status_code == 200
    right = wrong | {"oldPassword": PASSWORD}
    assert (await gateway.gql(PASSWORD_CHANGE, {"input": right}, token=token))[
        "accountPasswordChange"
    ]["userErrors"] == []
    assert (await gateway.post(VIEWER, token=token)).status_code == 200
    assert (await gateway.post(VIEWER, token=other)).status_code == 401
    assert (await gateway.login("admin0003", "N3w-Password"))["token"]


async def test_sw11_mobile_change_with_the_current_mobiles_code(gateway: Gateway) -> None:
    token = (await gateway.register_enterprise(4))["token"]
    # The registration code went to the same mobile a moment ago: wait out the interval.
    gateway.services.clock.advance(timedelta(seconds=61))
    old_code = await gateway.code_for("CHANGE_MOBILE_OLD", None, token=token)
    new_code = await gateway.code_for("CHANGE_MOBILE_NEW", "13511112222", token=token)
    payload = (
        await gateway.gql(
            MOBILE,
            {
                "input": {
                    "mobile": "13511112222",
                    "newMobileCode": new_code,
                    "currentMobileCode": old_code,
                }
            },
            token=token,
        )
    )["accountMobileChange"]
    assert payload["userErrors"] == []
    assert payload["account"]["mobile"] == "13511112222"


async def test_sw11_mobile_change_with_the_id_instead(gateway: Gateway) -> None:
    token = (await gateway.register_enterprise(5))["token"]
    new_code = await gateway.code_for("CHANGE_MOBILE_NEW", "13522223333", token=token)
    before = await gateway.snapshot()
    wrong = {
        "mobile": "13522223333",
        "newMobileCode": new_code,
        "idType": "RESIDENT_ID",
        "idNumber": resident_id(6),
    }
    payload = (await gateway.gql(MOBILE, {"input": wrong}, token=token))["accountMobileChange"]
    assert payload["userErrors"] == [{"code": "IDENTITY_MISMATCH", "field": ["idNumber"]}]
    assert await gateway.snapshot() == before
    right = wrong | {"idNumber": resident_id(5)}
    payload = (await gateway.gql(MOBILE, {"input": right}, token=token))["accountMobileChange"]
    assert payload["userErrors"] == []
    assert payload["account"]["mobile"] == "13522223333"


async def test_sw11_email_change_needs_the_code_sent_to_the_new_address(gateway: Gateway) -> None:
    token = (await gateway.register_enterprise(7))["token"]
    code = await gateway.code_for("CHANGE_EMAIL", "new@example.com", channel="EMAIL", token=token)
    other = await gateway.gql(
        EMAIL, {"input": {"email": "other@example.com", "code": code}}, token=token
    )
    assert other["accountEmailChange"]["userErrors"] == [
        {"code": "CODE_EXPIRED", "field": ["code"]}
    ]
    payload = await gateway.gql(
        EMAIL, {"input": {"email": "new@example.com", "code": code}}, token=token
    )
    assert payload["accountEmailChange"]["account"]["email"] == "new@example.com"


async def test_sw12_phone_login_switch_is_unique_per_mobile_and_enables_mobile_login(
    gateway: Gateway,
) -> None:
    first = (await gateway.register_enterprise(8, mobile="13999990000"))["token"]
    gateway.services.clock.advance(timedelta(seconds=61))
    second = (await gateway.register_enterprise(9, mobile="13999990000"))["token"]
    on = (await gateway.gql(SETTINGS, {"on": True}, token=first))["accountSettingsUpdate"]
    assert on["account"]["phoneLoginEnabled"] is True
    refused = (await gateway.gql(SETTINGS, {"on": True}, token=second, locale="zh-CN"))[
        "accountSettingsUpdate"
    ]
    assert refused["userErrors"] == [{"code": "PHONE_LOGIN_TAKEN", "field": ["enabled"]}]
    session = await gateway.login("13999990000")
    assert session["account"]["username"] == "admin0008"
    off = (await gateway.gql(SETTINGS, {"on": False}, token=first))["accountSettingsUpdate"]
    assert off["account"]["phoneLoginEnabled"] is False
    assert (await gateway.gql(SETTINGS, {"on": True}, token=second))["accountSettingsUpdate"][
        "userErrors"
    ] == []


INDIVIDUAL = """
mutation($input: IndividualRegisterInput!) { individualRegister(input: $input) { token userErrors { code } } }"""
EMPLOYER = """
mutation($input: AccountEmployerUpdateInput!) {
  accountEmployerUpdate(input: $input) {
    account { ... on IndividualUser { employer { enterpriseName uscc orgCode legalRepName } } }
    userErrors { code field }
  }
}"""


async def test_sw11_individuals_change_at_most_two_employer_identifiers_at_a_time(
    gateway: Gateway,
) -> None:
    from tests.support import uscc_for

    code = await gateway.code_for("REGISTRATION", "13600000009")
    data = {
        "name": "张伟",
        "idType": "RESIDENT_ID",
        "idNumber": resident_id(19),
        "idValidFrom": "20100101",
        "idValidTo": "00000000",
        "username": "zhangwei19",
        "password": PASSWORD,
        "passwordConfirmation": PASSWORD,
        "mobile": "13600000009",
        "smsCode": code,
        "email": "zw19@example.com",
        "acceptTerms": True,
    }
    token = (await gateway.gql(INDIVIDUAL, {"input": data}))["individualRegister"]["token"]
    first = {"enterpriseName": "甲公司", "uscc": uscc_for(31)}
    assert (await gateway.gql(EMPLOYER, {"input": first}, token=token))["accountEmployerUpdate"][
        "userErrors"
    ] == []
    all_three = {"enterpriseName": "乙公司", "uscc": uscc_for(32), "orgCode": uscc_for(32)[8:17]}
    payload = (await gateway.gql(EMPLOYER, {"input": all_three}, token=token))[
        "accountEmployerUpdate"
    ]
    assert payload["userErrors"] == [
        {"code": "EMPLOYER_TOO_MANY_CHANGES", "field": ["enterpriseName"]}
    ]
    two = {"uscc": uscc_for(32), "orgCode": uscc_for(32)[8:17], "legalRepName": "王五"}
    payload = (await gateway.gql(EMPLOYER, {"input": two}, token=token))["accountEmployerUpdate"]
    assert payload["account"]["employer"] == {
        "enterpriseName": "甲公司",
        "uscc": uscc_for(32),
        "orgCode": uscc_for(32)[8:17],
        "legalRepName": "王五",
    }


async def test_sw11_an_operator_cannot_take_another_operators_identity(gateway: Gateway) -> None:
    from tests.api.test_operators import CREATE, operator_input

    admin = (await gateway.register_enterprise(10))["token"]
    for index in (41, 42):
        await gateway.gql(CREATE, {"input": operator_input(index)}, token=admin)
    async with gateway.services.sessionmaker() as db:
        row = (await db.exec(select(Account).where(Account.username == "oper0042"))).one()
        row.must_verify_mobile = row.must_change_password = False
        db.add(row)
        await db.commit()
    token = await gateway.token_for("oper0042", "88888888")
    taken = {"name": "某人", "idType": "RESIDENT_ID", "idNumber": resident_id(41, "19900101")}
    payload = (
        await gateway.gql(
            IDENTITY,
            {"input": taken | {"idValidFrom": "20200101", "idValidTo": "00000000"}},
            token=token,
        )
    )["accountIdentityUpdate"]
    assert payload["userErrors"] == [{"code": "OPERATOR_IDENTITY_TAKEN", "field": ["idNumber"]}]


SYNC = """
mutation { accountProfileSync { receiptId account { profileSyncedAt } userErrors { code message } } }"""


async def test_sw12_profile_sync_returns_the_platforms_receipt(gateway: Gateway) -> None:
    token = (await gateway.register_enterprise(20))["token"]
    payload = (await gateway.gql(SYNC, token=token))["accountProfileSync"]
    assert payload["userErrors"] == []
    assert payload["receiptId"].startswith("GOV")
    assert payload["account"]["profileSyncedAt"] is not None


async def test_sw12_profile_sync_without_an_identity_is_rejected_and_records_nothing(
    gateway: Gateway,
) -> None:
    email = "overseas20@example.com"
    register = """mutation($input: OverseasRegisterInput!) { overseasRegister(input: $input) { token userErrors { code } } }"""
    data = {
        "username": "overseas20",
        "password": PASSWORD,
        "passwordConfirmation": PASSWORD,
        "countryCode": "FRA",
        "organisationName": "Paris SARL",
        "contactName": "Luc",
        "contactPhone": "+33 1 23",
        "address": "Paris",
        "email": email,
        "emailCode": await gateway.code_for("REGISTRATION", email, channel="EMAIL"),
        "acceptTerms": True,
    }
    token = (await gateway.gql(register, {"input": data}))["overseasRegister"]["token"]
    before = await gateway.snapshot()
    payload = (await gateway.gql(SYNC, token=token, locale="en"))["accountProfileSync"]
    assert payload["userErrors"] == [
        {
            "code": "PROFILE_SYNC_REJECTED",
            "message": "The profile was not synchronised: IDENTITY_MISSING",
        }
    ]
    assert await gateway.snapshot() == before
    contact = """mutation($input: OverseasContactUpdateInput!) { overseasContactUpdate(input: $input) {
        account { name ... on OverseasUser { profile { contactName address fax } } } userErrors { code field } } }"""
    changed = {
        "contactName": "Luc Martin",
        "contactPhone": "+33 1 24",
        "organisationName": "Paris SARL",
        "address": "Lyon",
        "fax": "+33 1 25",
    }
    result = (await gateway.gql(contact, {"input": changed}, token=token))["overseasContactUpdate"]
    assert result["account"] == {
        "name": "Luc Martin",
        "profile": {"contactName": "Luc Martin", "address": "Lyon", "fax": "+33 1 25"},
    }
    missing = (await gateway.gql(contact, {"input": changed | {"address": " "}}, token=token))[
        "overseasContactUpdate"
    ]
    assert missing["userErrors"] == [{"code": "REQUIRED", "field": ["address"]}]
