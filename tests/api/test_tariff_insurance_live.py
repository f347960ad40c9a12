"""在线交费 live (TI-8, TI-2, GW-2): against a real server with the demo data, the premium paid
online is pushed on tariffPolicyStatusChanged over graphql-transport-ws, to the enterprise and to
the insurer's portal, as the insurer's signed webhook confirms it; an operator without the
tariff-insurance permission is refused the subscription."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from gateway.cards import virtual_cards
from gateway.demo_data import DEMO_PIN
from gateway.settings import Settings
from integrations.card import CardAgent, VirtualBackend
from tests.cards import CARD_LOGIN
from tests.insurance import (
    APPLY_POLICY,
    APPLY_QUOTA,
    AUTHORISATIONS,
    AUTHORISE,
    AUTHORISE_COMPLETE,
    POLICIES,
    QUOTAS,
    policy_form,
    quota_form,
    wait_until,
)
from tests.integration.servers import Server
from tests.integration.test_agreement_events import LEGAL_CARD, demo_server, remote
from tests.integration.test_subscriptions import Subscriber
from tests.integration.test_tariff_insurance_walkthrough import legal_person
from tests.support import Gateway

pytestmark = [pytest.mark.req("TI-8", "TI-2", "GW-2"), pytest.mark.slow]
__all__ = ["demo_server", "remote"]
OPERATOR_CARD = "2101000002"
WATCH = "subscription { tariffPolicyStatusChanged { applicationNumber status paymentStatus } }"
PAY = """mutation($id: ID!) { tariffPolicyPay(id: $id) { policy { paymentStatus }
  userErrors { code } } }"""


async def card_session(remote: Gateway, agent: CardAgent, card: str) -> str:
    challenge = (await remote.gql("mutation { cardChallengeCreate { id nonce } }"))[
        "cardChallengeCreate"
    ]
    signed = agent.sign_login(challenge["nonce"], DEMO_PIN, card).as_json()
    payload = await remote.gql(CARD_LOGIN, {"input": {"challengeId": challenge["id"], **signed}})
    return str(payload["sessionCreateWithCard"]["token"])


async def frames(subscriber: Subscriber, count: int) -> list[Any]:
    seen = []
    while len(seen) < count:
        message = await subscriber.next(timeout=10)
        assert message["type"] == "next", message
        seen.append(message["payload"]["data"]["tariffPolicyStatusChanged"])
    return seen


async def issued(remote: Gateway, agent: CardAgent, token: str, seal: str) -> dict[str, Any]:
    """The demo enterprise's issued policy of 1,000.00 (premium 200.00) with PAIC."""
    insurers = (await remote.gql("{ institutions(kind: INSURER) { nodes { id code } } }"))[
        "institutions"
    ]["nodes"]
    paic = next(i["id"] for i in insurers if i["code"] == "PAIC")
    certificate = agent.signing_certificate(LEGAL_CARD)
    data = {"insurerId": paic, "sealId": seal, "certificate": certificate}
    prepared = (await remote.gql(AUTHORISE, {"input": data}, token=token))[
        "creditAuthorisationSignPrepare"
    ]
    signature = agent.sign_digest(bytes.fromhex(prepared["digestToSign"]), DEMO_PIN, LEGAL_CARD)
    payload = {"signingSessionId": prepared["signingSessionId"], "signature": signature.signature}
    await remote.gql(AUTHORISE_COMPLETE, {"input": payload}, token=token)
    await wait_until(
        remote, AUTHORISATIONS, token, lambda d: d["creditAuthorisations"]["nodes"][0], "SUCCEEDED"
    )
    applied = (await remote.gql(APPLY_QUOTA, {"input": quota_form(paic)}, token=token))[
        "tariffQuotaApply"
    ]
    assert applied["userErrors"] == [], applied
    quota = await wait_until(
        remote, QUOTAS, token, lambda d: d["tariffQuotas"]["nodes"][0], "APPROVED"
    )
    form = policy_form(quota["id"], date.fromisoformat(quota["effectiveDate"]), coverage="1000.00")
    policy = (await remote.gql(APPLY_POLICY, {"input": form}, token=token))["tariffPolicyApply"]
    assert policy["userErrors"] == [], policy
    return await wait_until(
        remote, POLICIES, token, lambda d: d["tariffPolicies"]["nodes"][0], "ISSUED"
    )


async def test_ti8_the_payment_is_pushed_live_to_the_enterprise_and_the_insurer(
    demo_server: tuple[Server, Path], remote: Gateway
) -> None:
    server, data_dir = demo_server
    agent = CardAgent(VirtualBackend(virtual_cards(Settings(data_dir=data_dir))))
    token, seal = await legal_person(remote, agent)
    policy = await issued(remote, agent, token, seal)
    portal = await remote.token_for("paicportal01", "Demo@2026")
    operator = await card_session(remote, agent, OPERATOR_CARD)
    mine = await Subscriber.open(server.url, token, WATCH)
    insurer = await Subscriber.open(server.url, portal, WATCH)
    refused = await Subscriber.open(server.url, operator, WATCH)
    try:
        ending = await refused.next(timeout=10)
        assert ending["type"] == "next", ending
        assert ending["payload"]["data"] is None
        assert ending["payload"]["errors"][0]["extensions"] == {
            "code": "FORBIDDEN",
            "reason": "PERMISSION_REQUIRED:TARIFF_INSURANCE",
        }
        paid = (await remote.gql(PAY, {"id": policy["id"]}, token=token))["tariffPolicyPay"]
        assert paid["userErrors"] == []
        number = policy["applicationNumber"]
        expected = [
            {"applicationNumber": number, "status": "ISSUED", "paymentStatus": "PROCESSING"},
            {"applicationNumber": number, "status": "ISSUED", "paymentStatus": "PAID"},
        ]
        assert await frames(mine, 2) == expected
        assert await frames(insurer, 2) == expected
    finally:
        for subscriber in (mine, insurer, refused):
            await subscriber.close()
