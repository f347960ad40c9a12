"""Verification codes and captchas: single use, expiry, throttles (SW-2, SW-6)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.support import SEND_CODE, Gateway

pytestmark = pytest.mark.req("SW-2", "SW-6")


async def send(
    gateway: Gateway, target: str, captcha: dict[str, str] | None = None
) -> dict[str, object]:
    payload = {
        "channel": "SMS",
        "purpose": "REGISTRATION",
        "target": target,
        "captcha": captcha or await gateway.captcha(),
    }
    return (await gateway.gql(SEND_CODE, {"input": payload}))["verificationCodeSend"]  # type: ignore[no-any-return]


async def test_a_registration_code_needs_a_solved_captcha(gateway: Gateway) -> None:
    missing = (
        await gateway.gql(
            SEND_CODE,
            {"input": {"channel": "SMS", "purpose": "REGISTRATION", "target": "13800000001"}},
        )
    )["verificationCodeSend"]
    assert missing["userErrors"][0]["code"] == "REQUIRED"
    wrong = await send(
        gateway, "13800000001", {"id": (await gateway.captcha())["id"], "answer": "nope"}
    )
    assert wrong["userErrors"][0]["code"] == "CAPTCHA_INVALID"
    messages = (await gateway.gql("{ development { messages { target } } }"))["development"][
        "messages"
    ]
    assert messages == []


async def test_resend_interval_hourly_and_daily_limits_per_target(gateway: Gateway) -> None:
    assert (await send(gateway, "13800000002"))["sent"] is True
    too_soon = await send(gateway, "13800000002")
    assert too_soon["userErrors"][0]["code"] == "CODE_RESEND_TOO_SOON"
    for _ in range(4):
        gateway.services.clock.advance(timedelta(seconds=61))
        assert (await send(gateway, "13800000002"))["sent"] is True
    gateway.services.clock.advance(timedelta(seconds=61))
    assert (await send(gateway, "13800000002"))["userErrors"][0]["code"] == "CODE_LIMIT_REACHED"
    # Another number is not affected.
    assert (await send(gateway, "13800000003"))["sent"] is True


async def test_codes_expire_after_five_minutes(gateway: Gateway) -> None:
    from tests.support import REGISTER_ENTERPRISE, enterprise_input

    data = enterprise_input(1)
    data["smsCode"] = await gateway.code_for("REGISTRATION", data["admin"]["mobile"])
    gateway.services.clock.advance(timedelta(minutes=5, seconds=1))
    payload = (await gateway.gql(REGISTER_ENTERPRISE, {"input": data}))["enterpriseRegister"]
    assert payload["userErrors"] == [
        {
            "code": "CODE_EXPIRED",
            "field": ["smsCode"],
            "message": payload["userErrors"][0]["message"],
        }
    ]


async def test_five_wrong_entries_void_a_code(gateway: Gateway) -> None:
    from tests.support import REGISTER_ENTERPRISE, enterprise_input

    data = enterprise_input(2)
    right = await gateway.code_for("REGISTRATION", data["admin"]["mobile"])
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        payload = await gateway.gql(REGISTER_ENTERPRISE, {"input": data | {"smsCode": wrong}})
        assert payload["enterpriseRegister"]["userErrors"][0]["code"] == "CODE_INVALID"
    payload = (await gateway.gql(REGISTER_ENTERPRISE, {"input": data | {"smsCode": right}}))[
        "enterpriseRegister"
    ]
    assert payload["userErrors"][0]["code"] == "CODE_EXPIRED"


async def test_undeliverable_sms_is_reported_and_not_recorded(gateway: Gateway) -> None:
    payload = await send(gateway, "13000000000")
    assert payload["userErrors"][0]["code"] == "MESSAGE_NOT_DELIVERED"
    # Nothing was recorded, so the number is not throttled by the failed attempt.
    async with gateway.services.sessionmaker() as db:
        from sqlalchemy import text

        count = (await db.exec(text("SELECT count(*) FROM verification_code"))).one()  # type: ignore[call-overload]
    assert count[0] == 0


async def test_captcha_is_a_real_png(gateway: Gateway) -> None:
    import base64
    import io

    from PIL import Image

    data = (await gateway.gql("mutation { captchaCreate { imageDataUrl expiresAt } }"))[
        "captchaCreate"
    ]
    header, encoded = data["imageDataUrl"].split(",", 1)
    assert header == "data:image/png;base64"
    image = Image.open(io.BytesIO(base64.b64decode(encoded)))
    assert image.format == "PNG"
    assert image.size == (160, 56)


async def test_captchas_are_throttled_per_client(gateway: Gateway) -> None:
    for _ in range(60):
        await gateway.gql("mutation { captchaCreate { id } }")
    errors = await gateway.gql_errors("mutation { captchaCreate { id } }")
    assert errors[0]["extensions"] == {"code": "RATE_LIMITED", "reason": "CAPTCHA_RATE"}
    gateway.services.clock.advance(timedelta(minutes=11))
    assert (await gateway.gql("mutation { captchaCreate { id } }"))["captchaCreate"]["id"]
