"""The Hunan mini-program (HN-5): consent to the personal-information notice, WeChat login and
binding, the extended certification form and the legal representative's face verification."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select

from integrations.identity import FaceRules, Person, SimulatedFaceVerifier
from models import ConsentRecord
from tests.hunan import HN_PASSWORD, SAVE, SUBMIT, certification_form, registered_user
from tests.recovery import identity_service
from tests.support import Gateway

pytestmark = pytest.mark.req("HN-5")
NOTICE = "{ personalInformationNotice { notice version text } }"
CODE = "query($u: String!) { development { wechatLoginCode(user: $u) } }"
LOGIN = """mutation($code: String!, $v: String!) { wechatSessionCreate(code: $code, consentVersion: $v) {
  token bindingTicket account { username } userErrors { code field message } } }"""
BIND = """mutation($input: WeChatBindInput!) { wechatBind(input: $input) {
  token account { username } userErrors { code field } } }"""
FACE = """mutation { certificationFaceVerificationStart {
  url certification { faceVerifiedAt faceFailure } userErrors { code field } } }"""
SEND = """mutation($input: VerificationCodeSendInput!) {
  verificationCodeSend(input: $input) { sent } }"""
MINE = "{ viewerCertification { status faceVerifiedAt faceFailure } viewerSession { method } }"


async def wx_login(gateway: Gateway, user: str, version: str | None = None) -> dict[str, Any]:
    if version is None:
        version = (await gateway.gql(NOTICE))["personalInformationNotice"]["version"]
    code = (await gateway.gql(CODE, {"u": user}))["development"]["wechatLoginCode"]
    return (await gateway.gql(LOGIN, {"code": code, "v": version}))["wechatSessionCreate"]  # type: ignore[no-any-return]


async def bound_session(gateway: Gateway, account: str = "xqrUser01") -> tuple[str, Any]:
    """A registered user who binds its WeChat and then works on a WeChat session."""
    _, company = await registered_user(gateway, account)
    first = await wx_login(gateway, "wx-alice")
    assert first["token"] is None
    assert first["bindingTicket"]
    gateway.services.clock.advance(timedelta(seconds=61))
    captcha = await gateway.captcha()
    request = {"channel": "SMS", "purpose": "LOGIN", "target": account, "captcha": captcha}
    assert (await gateway.gql(SEND, {"input": request}))["verificationCodeSend"]["sent"]
    bind = {
        "ticket": first["bindingTicket"],
        "login": account,
        "password": HN_PASSWORD,
        "smsCode": await gateway.last_code("13912340001"),
    }
    bound = (await gateway.gql(BIND, {"input": bind}))["wechatBind"]
    assert bound["userErrors"] == [], bound
    return str(bound["token"]), company


async def test_hn5_consent_comes_first_then_login_binds_once(gateway: Gateway) -> None:
    notice = (await gateway.gql(NOTICE))["personalInformationNotice"]
    assert notice["version"]
    assert "人脸识别" in notice["text"]
    refused = await wx_login(gateway, "wx-alice", version="0.9")
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [
        ("CONSENT_REQUIRED", ["consentVersion"])
    ]
    forged = (await gateway.gql(LOGIN, {"code": "not-issued", "v": notice["version"]}))[
        "wechatSessionCreate"
    ]
    assert [e["code"] for e in forged["userErrors"]] == ["WECHAT_CODE_INVALID"]
    token, _ = await bound_session(gateway)
    assert (await gateway.gql(MINE, token=token))["viewerSession"]["method"] == "WECHAT"
    # The same WeChat user logs in directly now; the consent is on record each time.
    again = await wx_login(gateway, "wx-alice")
    assert again["account"] == {"username": "xqrUser01"}
    assert again["bindingTicket"] is None
    async with gateway.services.sessionmaker() as db:
        consents = (await db.exec(select(ConsentRecord))).all()
    assert len(consents) == 3  # first login, binding, second login
    assert {c.version for c in consents} == {notice["version"]}
    # A second WeChat user cannot take the bound account; a forged ticket binds nothing.
    other = await wx_login(gateway, "wx-bob")
    forged_bind = {
        "ticket": "Zm9yZ2Vk",
        "login": "xqrUser01",
        "password": HN_PASSWORD,
        "smsCode": "1",
    }
    assert (await gateway.gql(BIND, {"input": forged_bind}))["wechatBind"]["userErrors"] == [
        {"code": "BINDING_TICKET_INVALID", "field": ["ticket"]}
    ]
    assert other["bindingTicket"]


async def test_hn5_mobile_certification_needs_the_legal_representatives_face(
    gateway: Gateway,
) -> None:
    token, company = await bound_session(gateway)
    form = certification_form(company)
    saved = (await gateway.gql(SAVE, {"input": form}, token=token))["certificationSave"]
    assert saved["userErrors"] == []
    early = (await gateway.gql(SUBMIT, token=token))["certificationSubmit"]
    assert [e["code"] for e in early["userErrors"]] == ["FACE_VERIFICATION_REQUIRED"]
    # The identity service does not know the person yet: name and ID do not match.
    started = (await gateway.gql(FACE, token=token))["certificationFaceVerificationStart"]
    assert started["url"].startswith("https://")
    mine = await poll_face(gateway, token)
    assert mine["faceFailure"] == "身份证号与姓名不匹配"
    identity_service(gateway).add_person(
        Person(company.legal_rep_name, "RESIDENT_ID", company.legal_rep_id_number)
    )
    face = gateway.services.face
    assert isinstance(face, SimulatedFaceVerifier)
    face.rules = FaceRules(delay_seconds=0.05, face_mismatch={company.legal_rep_id_number})
    await gateway.gql(FACE, token=token)
    assert (await poll_face(gateway, token))["faceFailure"] == "人脸与身份证照片比对不一致"
    face.rules = FaceRules(delay_seconds=0.05)
    await gateway.gql(FACE, token=token)
    verified = await poll_face(gateway, token)
    assert verified["faceVerifiedAt"]
    assert verified["faceFailure"] is None
    # No uploads on mobile: the extended form and the face are enough.
    submitted = (await gateway.gql(SUBMIT, token=token))["certificationSubmit"]
    assert submitted["userErrors"] == []
    assert submitted["certification"]["status"] == "SUBMITTED"


async def poll_face(gateway: Gateway, token: str) -> dict[str, Any]:
    for _ in range(100):
        mine = (await gateway.gql(MINE, token=token))["viewerCertification"]
        if mine["faceVerifiedAt"] or mine["faceFailure"]:
            return mine  # type: ignore[no-any-return]
        await asyncio.sleep(0.05)
    raise AssertionError("no face verification result")
