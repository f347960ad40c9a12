"""Password reset for the five account kinds (SW-10): every method of the manual, the
"identity information incomplete" rule, sessions ending, throttling, and what is not written."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from integrations.registry import LicenceRules, SimulatedElectronicLicence
from resolvers.core.identifiers import org_code_check_char, uscc_check_char
from tests.recovery import (
    RESET_COMPLETE,
    RESET_LICENCE,
    RESET_SEND,
    RESET_START,
    RESET_VERIFY,
    VIEWER,
    admin_identity,
    legal_rep_identity,
    poll,
    register_in_registry,
    register_overseas,
)
from tests.support import PASSWORD, REGISTER_ENTERPRISE, Gateway, enterprise_input

pytestmark = pytest.mark.req("SW-10")
NEW_PASSWORD = "N3w-Passw0rd"


async def start(gateway: Gateway, username: str) -> dict[str, Any]:
    captcha = await gateway.captcha()
    variables = {
        "input": {
            "username": username,
            "captchaId": captcha["id"],
            "captchaAnswer": captcha["answer"],
        }
    }
    return (await gateway.gql(RESET_START, variables))["passwordResetStart"]  # type: ignore[no-any-return]


async def send(gateway: Gateway, recovery_id: str, channel: str = "SMS") -> dict[str, Any]:
    captcha = await gateway.captcha()
    variables = {
        "input": {
            "recoveryId": recovery_id,
            "channel": channel,
            "captchaId": captcha["id"],
            "captchaAnswer": captcha["answer"],
        }
    }
    return (await gateway.gql(RESET_SEND, variables))["passwordResetCodeSend"]  # type: ignore[no-any-return]


async def verify(gateway: Gateway, recovery_id: str, method: str, **data: Any) -> dict[str, Any]:
    variables = {"input": {"recoveryId": recovery_id, "method": method, **data}}
    return (await gateway.gql(RESET_VERIFY, variables))["passwordResetVerify"]  # type: ignore[no-any-return]


async def complete(
    gateway: Gateway, recovery_id: str, password: str = NEW_PASSWORD
) -> dict[str, Any]:
    variables = {
        "input": {"recoveryId": recovery_id, "password": password, "passwordConfirmation": password}
    }
    return (await gateway.gql(RESET_COMPLETE, variables))["passwordResetComplete"]  # type: ignore[no-any-return]


async def test_sw10_admin_resets_by_bound_mobile_and_every_session_ends(gateway: Gateway) -> None:
    token = (await gateway.register_enterprise(1))["token"]
    started = await start(gateway, "admin0001")
    recovery = started["recovery"]
    assert recovery["accountKind"] == "ENTERPRISE_ADMIN"
    assert recovery["maskedMobile"] == "138****0001"
    assert recovery["maskedEmail"] == "ad*****n1@example.com"
    assert [m["method"] for m in recovery["methods"]] == [
        "MOBILE",
        "EMAIL",
        "ACCOUNT_INFO",
        "LEGAL_REP",
        "E_LICENCE",
    ]
    assert all(m["available"] for m in recovery["methods"])
    gateway.services.clock.advance(timedelta(seconds=61))  # the registration code's interval
    assert (await send(gateway, recovery["id"]))["userErrors"] == []
    code = await gateway.last_code("13800000001")
    wrong = await verify(
        gateway, recovery["id"], "MOBILE", code="000000" if code != "000000" else "111111"
    )
    assert [e["code"] for e in wrong["userErrors"]] == ["CODE_INVALID"]
    verified = await verify(gateway, recovery["id"], "MOBILE", code=code)
    assert verified["recovery"]["status"] == "VERIFIED"
    assert verified["recovery"]["factorsPassed"] == ["MOBILE_CODE"]
    done = await complete(gateway, recovery["id"])
    assert done == {"username": "admin0001", "userErrors": []}
    # The old session ended; the old password no longer works; the new one does.
    assert (await gateway.gql_errors(VIEWER, token=token))[0]["extensions"][
        "code"
    ] == "UNAUTHENTICATED"
    assert (await gateway.login("admin0001"))["token"] is None
    assert (await gateway.login("admin0001", NEW_PASSWORD))["token"]
    # The ticket is spent.
    again = await complete(gateway, recovery["id"], "An0ther-Pass")
    assert [e["code"] for e in again["userErrors"]] == ["RECOVERY_INVALID"]


async def test_sw10_operator_resets_by_email_and_by_account_info(gateway: Gateway) -> None:
    from tests.api.test_operators import create, operator_input

    admin = (await gateway.register_enterprise(2))["token"]
    await create(gateway, admin, 1, email="oper1@example.com")
    recovery = (await start(gateway, "oper0001"))["recovery"]
    assert [m["method"] for m in recovery["methods"]] == ["MOBILE", "EMAIL", "ACCOUNT_INFO"]
    assert (await send(gateway, recovery["id"], "EMAIL"))["userErrors"] == []
    code = await gateway.last_code("oper1@example.com")
    assert (await verify(gateway, recovery["id"], "EMAIL", code=code))["recovery"][
        "status"
    ] == "VERIFIED"
    assert (await complete(gateway, recovery["id"]))["username"] == "oper0001"

    operator = operator_input(1)
    second = (await start(gateway, "oper0001"))["recovery"]
    wrong = {**admin_identity(1), "name": operator["name"]}
    refused = await verify(gateway, second["id"], "ACCOUNT_INFO", identity=wrong)
    assert [e["code"] for e in refused["userErrors"]] == ["VERIFICATION_FAILED"]
    mine = {k: operator[k] for k in ("name", "idType", "idNumber", "idValidFrom", "idValidTo")}
    passed = await verify(gateway, second["id"], "ACCOUNT_INFO", identity=mine)
    assert passed["recovery"]["factorsPassed"] == ["ACCOUNT_INFO"]


async def test_sw10_identity_incomplete_where_the_method_has_no_data(gateway: Gateway) -> None:
    """A ministry user without a mobile, an overseas user with email and organisation only."""
    from sqlmodel import select

    from models import Account, AccountKind

    async with gateway.services.sessionmaker() as db:
        db.add(
            Account(
                kind=AccountKind.MINISTRY,
                username="ministry01",
                username_key="ministry01",
                password_hash=await gateway.services.passwords.hash(PASSWORD),
                name="部门用户",
                email="ministry@example.com",
            )
        )
        await db.commit()
        assert (await db.exec(select(Account).where(Account.username == "ministry01"))).one()
    recovery = (await start(gateway, "ministry01"))["recovery"]
    assert recovery["methods"] == [
        {"method": "MOBILE", "available": False, "unavailableReason": "IDENTITY_INCOMPLETE"},
        {"method": "EMAIL", "available": True, "unavailableReason": None},
        {"method": "ACCOUNT_INFO", "available": False, "unavailableReason": "IDENTITY_INCOMPLETE"},
    ]
    refused = await send(gateway, recovery["id"], "SMS")
    assert refused["userErrors"][0]["code"] == "IDENTITY_INCOMPLETE"
    assert refused["userErrors"][0]["message"] == "身份信息不完整"
    legal = await verify(gateway, recovery["id"], "LEGAL_REP")
    assert [e["code"] for e in legal["userErrors"]] == ["METHOD_NOT_AVAILABLE"]


async def test_sw10_overseas_user_resets_by_organisation_details(gateway: Gateway) -> None:
    await register_overseas(gateway)
    recovery = (await start(gateway, "globaltrade1"))["recovery"]
    assert [m["method"] for m in recovery["methods"]] == ["EMAIL", "ACCOUNT_INFO"]
    organisation = {
        "organisationName": "Global Trade GmbH",
        "contactName": "Anna Schmidt",
        "countryCode": "DEU",
    }
    wrong = await verify(
        gateway, recovery["id"], "ACCOUNT_INFO", organisation={**organisation, "countryCode": "FRA"}
    )
    assert [e["code"] for e in wrong["userErrors"]] == ["VERIFICATION_FAILED"]
    passed = await verify(gateway, recovery["id"], "ACCOUNT_INFO", organisation=organisation)
    assert passed["recovery"]["status"] == "VERIFIED"
    assert (await complete(gateway, recovery["id"]))["username"] == "globaltrade1"


def legal_rep_form(index: int, **changes: Any) -> dict[str, Any]:
    enterprise = enterprise_input(index)["enterprise"]
    form = {
        "enterpriseName": enterprise["name"],
        "uscc": enterprise["uscc"],
        "legalRep": legal_rep_identity(index),
        "operatorMobile": "13900000077",
        "smsCode": "",
    }
    form.update(changes)
    return form


async def test_sw10_legal_representative_check_against_the_register(gateway: Gateway) -> None:
    await gateway.register_enterprise(3)
    register_in_registry(gateway, 3)
    recovery = (await start(gateway, "admin0003"))["recovery"]
    wrong_rep = {**legal_rep_identity(3), "name": "王建军"}
    form = legal_rep_form(
        3, legalRep=wrong_rep, smsCode=await gateway.code_for("ACCOUNT_RECOVERY", "13900000077")
    )
    refused = await verify(gateway, recovery["id"], "LEGAL_REP", legalRep=form)
    assert [e["code"] for e in refused["userErrors"]] == ["LEGAL_REP_MISMATCH"]
    assert refused["manualReviewAvailable"] is True
    assert "提交人工审核" in refused["userErrors"][0]["message"]
    # The code was spent by the failed try.
    reused = await verify(
        gateway, recovery["id"], "LEGAL_REP", legalRep={**form, "legalRep": legal_rep_identity(3)}
    )
    assert [e["code"] for e in reused["userErrors"]] == ["CODE_EXPIRED"]
    # Only the register's mismatch offers the manual review.
    assert reused["manualReviewAvailable"] is False
    gateway.services.clock.advance(timedelta(seconds=61))
    form = legal_rep_form(3, smsCode=await gateway.code_for("ACCOUNT_RECOVERY", "13900000077"))
    passed = await verify(gateway, recovery["id"], "LEGAL_REP", legalRep=form)
    assert passed["userErrors"] == []
    assert passed["recovery"]["factorsPassed"] == ["LEGAL_REP"]


def public_institution_input(index: int) -> dict[str, Any]:
    """A public institution: USCC registered by the staffing office (starts with 1)."""
    data = enterprise_input(index)
    first17 = "12210100" + f"Q{index:07d}" + org_code_check_char(f"Q{index:07d}")
    uscc = first17 + uscc_check_char(first17)
    data["kind"] = "PUBLIC_INSTITUTION"
    data["enterprise"]["uscc"] = uscc
    data["enterprise"]["orgCode"] = uscc[8:17]
    return data


async def test_sw10_electronic_business_licence_only_for_usccs_starting_with_9(
    gateway: Gateway,
) -> None:
    await gateway.register_enterprise(4)
    register_in_registry(gateway, 4)
    recovery = (await start(gateway, "admin0004"))["recovery"]
    started = (await gateway.gql(RESET_LICENCE, {"id": recovery["id"]}))[
        "passwordResetLicenceStart"
    ]
    assert started["userErrors"] == []
    assert started["qrContent"].startswith("https://")
    assert started["recovery"]["status"] == "PENDING"
    await poll(gateway, recovery["id"], "VERIFIED")
    assert (await complete(gateway, recovery["id"]))["username"] == "admin0004"

    # A public institution's USCC starts with 1: the method does not apply.
    data = public_institution_input(5)
    data["admin"]["username"] = "pubinst05"
    data["smsCode"] = await gateway.code_for("REGISTRATION", data["admin"]["mobile"])
    assert (await gateway.gql(REGISTER_ENTERPRISE, {"input": data}))["enterpriseRegister"][
        "userErrors"
    ] == []
    other = (await start(gateway, "pubinst05"))["recovery"]
    licence = next(m for m in other["methods"] if m["method"] == "E_LICENCE")
    assert licence == {
        "method": "E_LICENCE",
        "available": False,
        "unavailableReason": "E_LICENCE_UNSUPPORTED",
    }
    refused = (await gateway.gql(RESET_LICENCE, {"id": other["id"]}))["passwordResetLicenceStart"]
    assert [e["code"] for e in refused["userErrors"]] == ["E_LICENCE_UNSUPPORTED"]


async def test_sw10_a_declined_licence_scan_fails_the_reset(gateway: Gateway) -> None:
    await gateway.register_enterprise(6)
    record = register_in_registry(gateway, 6)
    licence = gateway.services.licence
    assert isinstance(licence, SimulatedElectronicLicence)
    licence.rules = LicenceRules(delay_seconds=0.05, declined={record.uscc})
    recovery = (await start(gateway, "admin0006"))["recovery"]
    await gateway.gql(RESET_LICENCE, {"id": recovery["id"]})
    await poll(gateway, recovery["id"], "FAILED")
    refused = await complete(gateway, recovery["id"])
    assert [e["code"] for e in refused["userErrors"]] == ["RECOVERY_INVALID"]


async def test_sw10_the_tenth_attempt_in_an_hour_is_refused_and_nothing_is_written(
    gateway: Gateway,
) -> None:
    await gateway.register_enterprise(7)
    for _ in range(9):
        assert (await start(gateway, "admin0007"))["userErrors"] == []
    before = await gateway.snapshot()
    tenth = await start(gateway, "admin0007")
    assert [e["code"] for e in tenth["userErrors"]] == ["RECOVERY_LIMIT_REACHED"]
    assert tenth["recovery"] is None
    assert await gateway.snapshot() == before
    # An hour later the account may try again.
    gateway.services.clock.advance(timedelta(seconds=3601))
    assert (await start(gateway, "admin0007"))["userErrors"] == []


async def test_sw10_unknown_username_and_bad_captcha(gateway: Gateway) -> None:
    unknown = await start(gateway, "nobody0001")
    assert [e["code"] for e in unknown["userErrors"]] == ["ACCOUNT_NOT_FOUND"]
    variables = {"input": {"username": "nobody0001", "captchaId": "x", "captchaAnswer": "y"}}
    bad = (await gateway.gql(RESET_START, variables))["passwordResetStart"]
    assert [e["code"] for e in bad["userErrors"]] == ["CAPTCHA_INVALID"]
    english = (
        await gateway.gql(
            RESET_COMPLETE,
            {
                "input": {
                    "recoveryId": "forged",
                    "password": NEW_PASSWORD,
                    "passwordConfirmation": NEW_PASSWORD,
                }
            },
            locale="en",
        )
    )["passwordResetComplete"]
    assert (
        english["userErrors"][0]["message"]
        == "This recovery has expired or is finished; start again"
    )


async def test_sw10_a_locked_account_is_unlocked_by_a_reset(gateway: Gateway) -> None:
    await gateway.register_enterprise(8)
    for _ in range(5):
        await gateway.login("admin0008", "Wrong-Passw0rd")
    assert (await gateway.login("admin0008"))["token"] is None
    recovery = (await start(gateway, "admin0008"))["recovery"]
    gateway.services.clock.advance(timedelta(seconds=61))
    assert (await send(gateway, recovery["id"]))["userErrors"] == []
    code = await gateway.last_code("13800000008")
    assert (await verify(gateway, recovery["id"], "MOBILE", code=code))["userErrors"] == []
    assert (await complete(gateway, recovery["id"]))["userErrors"] == []
    login = await gateway.login("admin0008", NEW_PASSWORD)
    assert login["token"], login


async def test_sw10_forged_or_unknown_licence_callbacks_change_nothing(gateway: Gateway) -> None:
    import time

    import orjson

    from gateway.app import licence_secret
    from integrations.institutions import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature
    from tests.conftest import TEST_SECRET

    await gateway.register_enterprise(9)
    licence = gateway.services.licence
    assert isinstance(licence, SimulatedElectronicLicence)
    licence.rules = LicenceRules(delay_seconds=1.0)
    recovery = (await start(gateway, "admin0009"))["recovery"]
    started = (await gateway.gql(RESET_LICENCE, {"id": recovery["id"]}))[
        "passwordResetLicenceStart"
    ]
    assert started["recovery"]["status"] == "PENDING"

    async def post(event: dict[str, Any], secret: bytes) -> int:
        raw = orjson.dumps(event)
        stamp = str(int(time.time()))
        headers = {TIMESTAMP_HEADER: stamp, SIGNATURE_HEADER: signature(secret, stamp, raw)}
        return (
            await gateway.http.post("/webhooks/e-licence", content=raw, headers=headers)
        ).status_code

    forged = {"eventId": "f-1", "sessionId": "x", "uscc": "91", "result": "AUTHORISED"}
    assert await post(forged, b"forged") == 401
    assert await post(forged, licence_secret(TEST_SECRET)) == 422
    assert await post({**forged, "eventId": "f-2"}, licence_secret(TEST_SECRET)) == 422
    await poll(gateway, recovery["id"], "PENDING", timeout=0.1)
