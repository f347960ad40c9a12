"""Login, the operator's first login, logout (SW-6, SW-8, SW-19)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.support import LOGIN, PASSWORD, Gateway, resident_id

pytestmark = pytest.mark.req("SW-6", "SW-19")

VIEWER = "{ viewer { username kind nextStep } }"
CREATE_OPERATOR = """
mutation($input: OperatorCreateInput!) {
  operatorCreate(input: $input) { operator { id username nextStep } userErrors { code field } }
}"""
VERIFY_MOBILE = """
mutation($code: String!) { sessionVerifyMobile(input: {code: $code}) { account { nextStep } userErrors { code } } }"""
CHANGE_PASSWORD = """
mutation($input: AccountPasswordChangeInput!) {
  accountPasswordChange(input: $input) { account { nextStep } userErrors { code field } }
}"""
IDENTITY = """
mutation($input: AccountIdentityUpdateInput!) {
  accountIdentityUpdate(input: $input) { account { name } userErrors { code } }
}"""
LOGOUT = "mutation { sessionRevoke { revoked } }"


async def login_errors(
    gateway: Gateway, username: str, password: str, captcha: dict[str, str]
) -> list[str]:
    payload = await gateway.gql(
        LOGIN, {"input": {"username": username, "password": password, "captcha": captcha}}
    )
    return [e["code"] for e in payload["sessionCreate"]["userErrors"]]


async def test_sw6_login_needs_the_captcha_answer_in_any_letter_case(gateway: Gateway) -> None:
    await gateway.register_enterprise(1)
    captcha = await gateway.captcha()
    captcha["answer"] = captcha["answer"].lower()
    assert await login_errors(gateway, "admin0001", PASSWORD, captcha) == []


async def test_sw6_a_captcha_is_single_use_and_expires(gateway: Gateway) -> None:
    await gateway.register_enterprise(2)
    captcha = await gateway.captcha()
    assert await login_errors(gateway, "admin0002", "wrong-Passw0rd", captcha) == [
        "INVALID_CREDENTIALS"
    ]
    # The same captcha, even with the right password now, is used up.
    assert await login_errors(gateway, "admin0002", PASSWORD, captcha) == ["CAPTCHA_INVALID"]
    stale = await gateway.captcha()
    gateway.services.clock.advance(timedelta(minutes=6))
    assert await login_errors(gateway, "admin0002", PASSWORD, stale) == ["CAPTCHA_INVALID"]
    wrong = await gateway.captcha()
    wrong["answer"] = "ZZZZZ"
    assert await login_errors(gateway, "admin0002", PASSWORD, wrong) == ["CAPTCHA_INVALID"]


async def test_sw6_unknown_user_and_wrong_password_look_the_same(gateway: Gateway) -> None:
    await gateway.register_enterprise(3)
    unknown = await login_errors(gateway, "nobody999", PASSWORD, await gateway.captcha())
    wrong = await login_errors(gateway, "admin0003", "Wrong-Passw0rd", await gateway.captcha())
    assert unknown == wrong == ["INVALID_CREDENTIALS"]


async def test_sw6_repeated_failures_lock_the_account_for_a_while(gateway: Gateway) -> None:
    await gateway.register_enterprise(4)
    for _ in range(5):
        assert await login_errors(
            gateway, "admin0004", "Wrong-Passw0rd", await gateway.captcha()
        ) == ["INVALID_CREDENTIALS"]
    # Locked: even the right password is refused, and the message says for how long.
    payload = await gateway.post(
        LOGIN,
        {
            "input": {
                "username": "admin0004",
                "password": PASSWORD,
                "captcha": await gateway.captcha(),
            }
        },
        locale="en",
    )
    error = payload.json()["data"]["sessionCreate"]["userErrors"][0]
    assert error["code"] == "ACCOUNT_LOCKED"
    assert "15 minutes" in error["message"]
    gateway.services.clock.advance(timedelta(minutes=16))
    assert await login_errors(gateway, "admin0004", PASSWORD, await gateway.captcha()) == []


async def test_sw6_operator_first_login_verifies_the_mobile_then_changes_the_password(
    gateway: Gateway,
) -> None:
    admin = await gateway.register_enterprise(5)
    operator = {
        "username": "operator05",
        "name": "赵磊",
        "mobile": "13700000005",
        "idType": "RESIDENT_ID",
        "idNumber": resident_id(905),
        "idValidFrom": "20200101",
        "idValidTo": "20400101",
    }
    created = (await gateway.gql(CREATE_OPERATOR, {"input": operator}, token=admin["token"]))[
        "operatorCreate"
    ]
    assert created["userErrors"] == []
    session = await gateway.login("operator05", "88888888")
    token = session["token"]
    assert session["account"]["nextStep"] == "VERIFY_MOBILE"
    identity = {
        "input": {
            "name": "赵磊",
            "idType": "RESIDENT_ID",
            "idNumber": resident_id(905),
            "idValidFrom": "20200101",
            "idValidTo": "20400101",
        }
    }
    # Nothing else is possible before the two steps.
    errors = await gateway.gql_errors(IDENTITY, identity, token=token)
    assert errors[0]["extensions"] == {"code": "FORBIDDEN", "reason": "VERIFY_MOBILE"}
    # The password cannot be changed before the SMS check either.
    early = {
        "input": {"oldPassword": "88888888", "password": PASSWORD, "passwordConfirmation": PASSWORD}
    }
    assert (await gateway.gql(CHANGE_PASSWORD, early, token=token))["accountPasswordChange"][
        "userErrors"
    ] == [{"code": "NOT_REQUIRED", "field": None}]
    sent = await gateway.send_code("FIRST_LOGIN", token=token)
    assert sent["sent"]
    code = await gateway.last_code("13700000005")
    assert (
        await gateway.gql(
            VERIFY_MOBILE, {"code": "000000" if code != "000000" else "111111"}, token=token
        )
    )["sessionVerifyMobile"]["userErrors"] == [{"code": "CODE_INVALID"}]
    verified = (await gateway.gql(VERIFY_MOBILE, {"code": code}, token=token))[
        "sessionVerifyMobile"
    ]
    assert verified["account"]["nextStep"] == "CHANGE_PASSWORD"
    errors = await gateway.gql_errors(IDENTITY, identity, token=token)
    assert errors[0]["extensions"]["reason"] == "CHANGE_PASSWORD"
    same = {
        "input": {
            "oldPassword": "88888888",
            "password": "88888888",
            "passwordConfirmation": "88888888",
        }
    }
    assert (await gateway.gql(CHANGE_PASSWORD, same, token=token))["accountPasswordChange"][
        "userErrors"
    ][0]["code"] == "PASSWORD_POLICY"
    changed = (await gateway.gql(CHANGE_PASSWORD, early, token=token))["accountPasswordChange"]
    assert changed == {"account": {"nextStep": "NONE"}, "userErrors": []}
    assert (await gateway.gql(IDENTITY, identity, token=token))["accountIdentityUpdate"][
        "userErrors"
    ] == []
    # The initial password no longer works; the new one does.
    assert (await gateway.login("operator05", "88888888"))["userErrors"][0][
        "code"
    ] == "INVALID_CREDENTIALS"
    assert (await gateway.login("operator05"))["account"]["nextStep"] == "NONE"


async def test_sw19_logout_ends_the_session_and_only_that_session(gateway: Gateway) -> None:
    first = (await gateway.register_enterprise(6))["token"]
    second = await gateway.token_for("admin0006")
    assert (await gateway.gql(LOGOUT, token=first))["sessionRevoke"] == {"revoked": True}
    response = await gateway.post(VIEWER, token=first)
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"] == {
        "code": "UNAUTHENTICATED",
        "reason": "SESSION_ENDED",
    }
    assert (await gateway.gql(VIEWER, token=second))["viewer"]["username"] == "admin0006"


async def test_sw19_logout_without_a_session_is_unauthenticated(gateway: Gateway) -> None:
    errors = await gateway.gql_errors(LOGOUT)
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_sessions_expire_and_unknown_tokens_are_refused(gateway: Gateway) -> None:
    token = (await gateway.register_enterprise(7))["token"]
    assert (await gateway.post(VIEWER, token="not-a-token")).status_code == 401
    gateway.services.clock.advance(timedelta(hours=9))
    assert (await gateway.post(VIEWER, token=token)).status_code == 401


async def test_viewer_is_null_without_a_token(gateway: Gateway) -> None:
    assert (await gateway.gql(VIEWER)) == {"viewer": None}
