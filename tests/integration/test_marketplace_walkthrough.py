"""The README's walk from a 湘企融 registration to an accepted order, against a real server with
the demo data: register by company name, certify, a reviewer approves, apply in the public
marketplace, the bank's portal accepts, the enterprise watches it happen over
graphql-transport-ws, and the government side sees its institutions: the four parts of XC-1
(HN-1..HN-4, XC-6, XC-8, XC-9)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from gateway.demo_data import DEMO_PASSWORD, make_resident_id
from tests.hunan import (
    APPROVE,
    HN_PASSWORD,
    REGISTER,
    REVIEWS,
    SAVE,
    SUBMIT,
    SUGGEST,
    upload_document,
)
from tests.integration.servers import ROOT, Server, migrate
from tests.integration.test_subscriptions import Subscriber, server_env
from tests.recovery import jpeg, png
from tests.support import Gateway

pytestmark = [
    pytest.mark.req("HN-1", "HN-2", "HN-3", "HN-4", "XC-1", "XC-6", "XC-8", "XC-9"),
    pytest.mark.slow,
]


@pytest.fixture
def demo_server(tmp_path: Path) -> Iterator[tuple[Server, Path]]:
    """The demo with a one-second SMS interval: the walk registers, then at once logs in with
    a code to the same mobile (the default 60 s would only make the test wait)."""
    env = server_env(tmp_path, GATEWAY_CODE_RESEND_SECONDS="1")
    migrate(env)
    subprocess.run(
        [sys.executable, "-m", "gateway.cli", "demo-data"],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )
    server = Server(env, tmp_path / "server.log")
    try:
        server.wait_ready()
        yield server, tmp_path
    finally:
        server.stop()


@pytest.fixture
async def remote(demo_server: tuple[Server, Path]) -> AsyncIterator[Gateway]:
    async with Gateway(base_url=demo_server[0].url) as gateway:
        yield gateway


SEND = """mutation($input: VerificationCodeSendInput!) {
  verificationCodeSend(input: $input) { sent userErrors { code field } } }"""
LOGIN = """mutation($input: SessionCreateWithSmsCodeInput!) {
  sessionCreateWithSmsCode(input: $input) { token userErrors { code } } }"""
WATCH = "subscription { loanOrderStatusChanged { number status } }"


async def code_to(remote: Gateway, purpose: str, target: str, mobile: str) -> str:
    await asyncio.sleep(1.1)  # the demo server's SMS interval
    captcha = await remote.captcha()
    request = {"channel": "SMS", "purpose": purpose, "target": target, "captcha": captcha}
    sent = (await remote.gql(SEND, {"input": request}))["verificationCodeSend"]
    assert sent["sent"], sent
    return await remote.last_code(mobile)


async def test_readme_walk_from_registration_to_an_accepted_order(
    demo_server: tuple[Server, Path], remote: Gateway
) -> None:
    server, _ = demo_server
    company = (await remote.gql(SUGGEST, {"n": "长沙博远发制品"}))["registrySuggestions"][0]
    assert company["name"] == "长沙博远发制品有限公司"
    mobile = "13912300001"
    form = {
        "companyName": company["name"],
        "uscc": company["uscc"],
        "account": "xqrwalk01",
        "mobile": mobile,
        "password": HN_PASSWORD,
        "passwordConfirmation": HN_PASSWORD,
        "smsCode": await code_to(remote, "REGISTRATION", mobile, mobile),
        "acceptTerms": True,
    }
    assert (await remote.gql(REGISTER, {"input": form}))["hunanRegister"]["userErrors"] == []
    login = {
        "login": "xqrwalk01",
        "password": HN_PASSWORD,
        "smsCode": await code_to(remote, "LOGIN", "xqrwalk01", mobile),
    }
    token = (await remote.gql(LOGIN, {"input": login}))["sessionCreateWithSmsCode"]["token"]
    details = {
        "legalRepIdNumber": make_resident_id("43010219780506321"),
        "legalRepPhone": "15214051400",
        "contactName": "张三",
        "contactPhone": mobile,
        "contactEmail": "zhangsan@example.com",
    }
    assert (await remote.gql(SAVE, {"input": details}, token=token))["certificationSave"][
        "userErrors"
    ] == []
    await upload_document(remote, token, "BUSINESS_LICENCE", "licence.jpg", jpeg(), "image/jpeg")
    await upload_document(remote, token, "AUTHORISATION_LETTER", "letter.png", png(), "image/png")
    assert (await remote.gql(SUBMIT, token=token))["certificationSubmit"]["userErrors"] == []

    staff = await remote.token_for("reviewer01", DEMO_PASSWORD)
    [pending] = (await remote.gql(REVIEWS, {"status": "SUBMITTED"}, token=staff))[
        "certificationReviews"
    ]["nodes"]
    assert (await remote.gql(APPROVE, {"id": pending["id"]}, token=staff))["certificationApprove"][
        "userErrors"
    ] == []

    products = await remote.gql(
        '{ marketplaceProducts(filter: {regionCode: "430100", query: "中国银行"}) { nodes { id name } } }'
    )
    [product] = products["marketplaceProducts"]["nodes"]
    assert product["name"] == "惠如愿-专精特新贷"
    watcher = await Subscriber.open(server.url, token, WATCH)
    try:
        apply = """mutation($input: LoanOrderApplyInput!) { loanOrderApply(input: $input) {
          order { id number status } userErrors { code } } }"""
        form = {
            "productId": product["id"],
            "amount": "2000000.00",
            "termMonths": 12,
            "purpose": "扩大发制品出口生产",
            "contactName": "张三",
            "contactPhone": mobile,
        }
        order = (await remote.gql(apply, {"input": form}, token=token))["loanOrderApply"]["order"]
        submitted = await watcher.next(timeout=10)
        assert submitted["payload"]["data"]["loanOrderStatusChanged"]["status"] == "SUBMITTED"

        bank = await remote.token_for("bocportal01", DEMO_PASSWORD)
        portal = """{ loanOrders(first: 5) { nodes { id number riskLevel product { name }
          enterprise { name } creditRecords { kind } } } }"""
        [seen] = [
            n
            for n in (await remote.gql(portal, token=bank))["loanOrders"]["nodes"]
            if n["number"] == order["number"]
        ]
        assert seen["enterprise"]["name"] == company["name"]
        assert seen["creditRecords"]
        accept = "mutation($id: ID!) { loanOrderAccept(id: $id) { order { status } userErrors { code } } }"
        assert (await remote.gql(accept, {"id": order["id"]}, token=bank))["loanOrderAccept"] == {
            "order": {"status": "ACCEPTED"},
            "userErrors": [],
        }
        accepted = await watcher.next(timeout=10)
        assert accepted["payload"]["data"]["loanOrderStatusChanged"] == {
            "number": order["number"],
            "status": "ACCEPTED",
        }
    finally:
        await watcher.close()
    inbox = await remote.gql("{ unreadMessageCount }", token=token)
    assert inbox["unreadMessageCount"] == 2  # certified, accepted
    # XC-1's fourth part: the government side supervises the institutions of its region.
    government = {
        "login": "xcgovadmin",
        "password": DEMO_PASSWORD,
        "smsCode": await code_to(remote, "LOGIN", "xcgovadmin", "13500000001"),
    }
    gov = (await remote.gql(LOGIN, {"input": government}))["sessionCreateWithSmsCode"]["token"]
    governed = await remote.gql("{ governedInstitutions { code } }", token=gov)
    assert {"code": "XCRCB"} in governed["governedInstitutions"]
