"""The README's walk from a credit-check authorisation to an issued policy, against a real server
with the demo data, the quota and the policy followed live over graphql-transport-ws by the
enterprise and by the insurer's portal (TI-4, TI-5, TI-6, TI-7, GW-2)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
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
    QUOTAS,
    policy_form,
    quota_form,
    wait_until,
)
from tests.integration.servers import Server
from tests.integration.test_agreement_events import LEGAL_CARD, demo_server, remote
from tests.integration.test_subscriptions import Subscriber
from tests.support import Gateway

pytestmark = [pytest.mark.req("TI-4", "TI-5", "TI-6", "TI-7", "GW-2"), pytest.mark.slow]
__all__ = ["demo_server", "remote"]
SEAL = """mutation($h: ID!, $f: Date!, $t: Date!) { sealCreateStandard(input: {holderId: $h,
  name: "公章", type: COMPANY, validFrom: $f, validTo: $t}, standard: {unitText: "辽宁港通进出口有限公司"})
  { seal { id } } }"""


async def legal_person(remote: Gateway, agent: CardAgent) -> tuple[str, str]:
    """The demo legal person's card session and an enabled seal of theirs."""
    challenge = (await remote.gql("mutation { cardChallengeCreate { id nonce } }"))[
        "cardChallengeCreate"
    ]
    signed = agent.sign_login(challenge["nonce"], DEMO_PIN, LEGAL_CARD).as_json()
    token = (await remote.gql(CARD_LOGIN, {"input": {"challengeId": challenge["id"], **signed}}))[
        "sessionCreateWithCard"
    ]["token"]
    holders = (
        await remote.gql(
            "{ sealHolders { account { id username } certificateValidFrom } }", token=token
        )
    )["sealHolders"]
    holder = next(h for h in holders if h["account"]["username"] == "lngtadmin")
    start = holder["certificateValidFrom"]
    variables = {"h": holder["account"]["id"], "f": start, "t": f"{int(start[:4]) + 1}{start[4:]}"}
    seal = (await remote.gql(SEAL, variables, token=token))["sealCreateStandard"]["seal"]["id"]
    await remote.gql(
        "mutation($id: ID!) { sealEnable(id: $id) { userErrors { code } } }",
        {"id": seal},
        token=token,
    )
    return token, seal


async def statuses(subscriber: Subscriber, field: str, count: int) -> list[Any]:
    seen = []
    while len(seen) < count:
        message = await subscriber.next(timeout=10)
        assert message["type"] == "next", message
        seen.append(message["payload"]["data"][field]["status"])
    return seen


async def test_readme_walk_from_authorisation_to_an_issued_policy(
    demo_server: tuple[Server, Path], remote: Gateway
) -> None:
    server, data_dir = demo_server
    agent = CardAgent(VirtualBackend(virtual_cards(Settings(data_dir=data_dir))))
    token, seal = await legal_person(remote, agent)
    eligibility = await remote.gql(
        "{ tariffInsuranceEligibility { customsCreditRating eligible } }", token=token
    )
    assert eligibility["tariffInsuranceEligibility"] == {
        "customsCreditRating": "GENERAL",
        "eligible": True,
    }
    insurers = (await remote.gql("{ institutions(kind: INSURER) { nodes { id code } } }"))[
        "institutions"
    ]["nodes"]
    paic = next(i["id"] for i in insurers if i["code"] == "PAIC")
    portal_token = await remote.token_for("paicportal01", "Demo@2026")
    quota_watch = await Subscriber.open(
        server.url, token, "subscription { tariffQuotaStatusChanged { status } }"
    )
    policy_watch = await Subscriber.open(
        server.url, token, "subscription { tariffPolicyStatusChanged { status } }"
    )
    portal_watch = await Subscriber.open(
        server.url,
        portal_token,
        "subscription { tariffPolicyStatusChanged { status enterprise { name } } }",
    )
    try:
        data = {
            "insurerId": paic,
            "sealId": seal,
            "certificate": agent.signing_certificate(LEGAL_CARD),
        }
        prepared = (await remote.gql(AUTHORISE, {"input": data}, token=token))[
            "creditAuthorisationSignPrepare"
        ]
        signature = agent.sign_digest(bytes.fromhex(prepared["digestToSign"]), DEMO_PIN, LEGAL_CARD)
        payload = {
            "signingSessionId": prepared["signingSessionId"],
            "signature": signature.signature,
        }
        await remote.gql(AUTHORISE_COMPLETE, {"input": payload}, token=token)
        await wait_until(
            remote,
            AUTHORISATIONS,
            token,
            lambda d: d["creditAuthorisations"]["nodes"][0],
            "SUCCEEDED",
        )
        applied = (await remote.gql(APPLY_QUOTA, {"input": quota_form(paic)}, token=token))[
            "tariffQuotaApply"
        ]
        assert applied["userErrors"] == []
        assert await statuses(quota_watch, "tariffQuotaStatusChanged", 3) == [
            "SUBMITTED",
            "RECEIVED",
            "APPROVED",
        ]
        quota = (await remote.gql(QUOTAS, token=token))["tariffQuotas"]["nodes"][0]
        today = (datetime.now(UTC) + timedelta(hours=8)).date()
        policy = (
            await remote.gql(APPLY_POLICY, {"input": policy_form(quota["id"], today)}, token=token)
        )["tariffPolicyApply"]
        assert policy["userErrors"] == []
        assert await statuses(policy_watch, "tariffPolicyStatusChanged", 2) == [
            "SUBMITTED",
            "ISSUED",
        ]
        assert await statuses(portal_watch, "tariffPolicyStatusChanged", 2) == [
            "SUBMITTED",
            "ISSUED",
        ]
        claims = await remote.gql("{ insuranceClaims { totalCount } }", token=token)
        assert claims["insuranceClaims"]["totalCount"] == 2
    finally:
        for subscriber in (quota_watch, policy_watch, portal_watch):
            await subscriber.close()
