"""The README's password reset by SMS in the embedded mode, against a real server with the demo
data: the admin's open subscription ends when the password is reset; then the demo individual
verifies by bank card and sees REAL_NAME_CHANGED live over graphql-transport-ws (SW-10, SW-18)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.demo_data import DEMO_BANK_CARDS, DEMO_PASSWORD
from tests.integration.servers import Server
from tests.integration.test_agreement_events import demo_server, remote
from tests.integration.test_subscriptions import Subscriber
from tests.recovery import (
    RESET_COMPLETE,
    RESET_SEND,
    RESET_START,
    RESET_VERIFY,
    USERNAME_BANK_KEY,
)
from tests.support import Gateway

pytestmark = [pytest.mark.req("SW-9", "SW-10", "SW-18", "SW-19"), pytest.mark.slow]
__all__ = ["demo_server", "remote"]
EVENTS = "subscription { accountEvents { kind account { username realNameLevel } } }"
NEW_PASSWORD = "N3w-Demo@2026"


async def test_readme_password_reset_by_sms_and_real_name_by_bank_card(
    demo_server: tuple[Server, Path], remote: Gateway
) -> None:
    server, _ = demo_server
    old = await remote.token_for("lngtadmin", DEMO_PASSWORD)
    subscriber = await Subscriber.open(server.url, old, EVENTS)
    try:
        captcha = await remote.captcha()
        started = (
            await remote.gql(
                RESET_START,
                {
                    "input": {
                        "username": "lngtadmin",
                        "captchaId": captcha["id"],
                        "captchaAnswer": captcha["answer"],
                    }
                },
            )
        )["passwordResetStart"]["recovery"]
        assert started["maskedMobile"] == "138****0001"
        captcha = await remote.captcha()
        send = {
            "recoveryId": started["id"],
            "channel": "SMS",
            "captchaId": captcha["id"],
            "captchaAnswer": captcha["answer"],
        }
        assert (await remote.gql(RESET_SEND, {"input": send}))["passwordResetCodeSend"][
            "userErrors"
        ] == []
        code = await remote.last_code("13812340001")
        verify = {"recoveryId": started["id"], "method": "MOBILE", "code": code}
        verified = (await remote.gql(RESET_VERIFY, {"input": verify}))["passwordResetVerify"]
        assert verified["recovery"]["status"] == "VERIFIED"
        done = {
            "recoveryId": started["id"],
            "password": NEW_PASSWORD,
            "passwordConfirmation": NEW_PASSWORD,
        }
        assert (await remote.gql(RESET_COMPLETE, {"input": done}))["passwordResetComplete"] == {
            "username": "lngtadmin",
            "userErrors": [],
        }
        # The admin's open subscription ends: its session ended with the reset.
        ended = await subscriber.next()
        errors = ended["payload"] if ended["type"] == "error" else ended["payload"]["errors"]
        assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"
    finally:
        await subscriber.close()
    assert (await remote.login("lngtadmin", NEW_PASSWORD))["token"]

    token = await remote.token_for("zhangwei01", DEMO_PASSWORD)
    watcher = await Subscriber.open(server.url, token, EVENTS)
    try:
        captcha = await remote.captcha()
        sent = """mutation($input: VerificationCodeSendInput!) {
          verificationCodeSend(input: $input) { sent userErrors { code } } }"""
        request = {
            "channel": "SMS",
            "purpose": "BANK_CARD",
            "target": "13612340001",
            "captcha": captcha,
        }
        assert (await remote.gql(sent, {"input": request}))["verificationCodeSend"]["sent"]
        me = {
            "name": "张伟",
            "idType": "RESIDENT_ID",
            "idNumber": "110105198001011237",
            "idValidFrom": "20100101",
            "idValidTo": "00000000",
        }
        viewer = await remote.gql("{ viewer { ... on IndividualUser { idNumber } } }", token=token)
        me["idNumber"] = viewer["viewer"]["idNumber"]
        card = {
            "cardNumber": DEMO_BANK_CARDS["zhangwei01"],
            "reservedMobile": "13612340001",
            "smsCode": await remote.last_code("13612340001"),
        }
        verify_card = """mutation($i: IdentityInput!, $c: BankCardInput!) {
          realNameVerifyBankCard(identity: $i, bankCard: $c) { level userErrors { code } } }"""
        result = (await remote.gql(verify_card, {"i": me, "c": card}, token=token))[
            "realNameVerifyBankCard"
        ]
        assert result == {"level": "HIGH", "userErrors": []}
        event = await watcher.next()
        assert event["payload"]["data"]["accountEvents"] == {
            "kind": "REAL_NAME_CHANGED",
            "account": {"username": "zhangwei01", "realNameLevel": "HIGH"},
        }
    finally:
        await watcher.close()


async def test_username_recovery_by_bank_key_followed_over_websocket_without_login(
    demo_server: tuple[Server, Path], remote: Gateway
) -> None:
    """SW-9: the demo enterprise's bank key at CCB; the anonymous client follows the recovery."""
    from gateway.demo_data import ENTERPRISES, make_uscc

    captcha = await remote.captcha()
    sent = """mutation($input: VerificationCodeSendInput!) {
      verificationCodeSend(input: $input) { sent } }"""
    request = {
        "channel": "SMS",
        "purpose": "ACCOUNT_RECOVERY",
        "target": "13900000001",
        "captcha": captcha,
    }
    assert (await remote.gql(sent, {"input": request}))["verificationCodeSend"]["sent"]
    liaoning = ENTERPRISES[0]
    data = {
        "mobile": "13900000001",
        "smsCode": await remote.last_code("13900000001"),
        "enterpriseName": liaoning.name,
        "code": make_uscc(liaoning.region, liaoning.org_body),
        "bank": "CCB",
    }
    started = (await remote.gql(USERNAME_BANK_KEY, {"input": data}))["usernameRecoveryByBankKey"]
    assert started["userErrors"] == []
    query = """subscription($id: String!) { accountRecoveryStatusChanged(id: $id) {
      status usernames } }"""
    variables = {"id": started["recovery"]["id"]}
    watcher = await Subscriber.open(demo_server[0].url, None, query, variables)
    try:
        seen = []
        while not seen or seen[-1]["status"] != "VERIFIED":
            message = await watcher.next(timeout=10)
            assert message["type"] == "next", message
            seen.append(message["payload"]["data"]["accountRecoveryStatusChanged"])
        assert seen[-1]["usernames"] == ["lngtadmin", "lngtop01", "lngtop02"]
    finally:
        await watcher.close()
