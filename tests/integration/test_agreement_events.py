"""Live agreement status over graphql-transport-ws (GW-2, LN-2): a real server with the demo
data; the demo legal-person card signs, the simulated bank answers, the subscriber sees both."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from gateway.cards import virtual_cards
from gateway.demo_data import DEMO_PIN
from gateway.settings import Settings
from integrations.card import CardAgent, VirtualBackend
from tests.cards import CARD_LOGIN
from tests.integration.servers import ROOT, Server, migrate
from tests.integration.test_subscriptions import Subscriber, server_env
from tests.support import Gateway

pytestmark = [pytest.mark.req("GW-2", "LN-2"), pytest.mark.slow]
LEGAL_CARD = "2101000001"


@pytest.fixture
def demo_server(tmp_path: Path) -> Iterator[tuple[Server, Path]]:
    env = server_env(tmp_path)
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


async def test_gw2_the_enterprise_sees_its_agreement_signed_live(
    demo_server: tuple[Server, Path], remote: Gateway
) -> None:
    server, data_dir = demo_server
    agent = CardAgent(VirtualBackend(virtual_cards(Settings(data_dir=data_dir))))
    challenge = (await remote.gql("mutation { cardChallengeCreate { id nonce } }"))[
        "cardChallengeCreate"
    ]
    signed = agent.sign_login(challenge["nonce"], DEMO_PIN, LEGAL_CARD).as_json()
    token = (await remote.gql(CARD_LOGIN, {"input": {"challengeId": challenge["id"], **signed}}))[
        "sessionCreateWithCard"
    ]["token"]
    holder = (
        await remote.gql(
            "{ sealHolders { account { id username } certificateValidFrom } }", token=token
        )
    )["sealHolders"]
    legal = next(h for h in holder if h["account"]["username"] == "lngtadmin")
    start = legal["certificateValidFrom"]
    seal = (
        await remote.gql(
            """mutation($h: ID!, $f: Date!, $t: Date!) { sealCreateStandard(input: {holderId: $h, name: "公章",
        type: COMPANY, validFrom: $f, validTo: $t}, standard: {unitText: "辽宁港通进出口有限公司"}) { seal { id } } }""",
            {"h": legal["account"]["id"], "f": start, "t": f"{int(start[:4]) + 1}{start[4:]}"},
            token=token,
        )
    )["sealCreateStandard"]["seal"]["id"]
    await remote.gql(
        "mutation($id: ID!) { sealEnable(id: $id) { userErrors { code } } }",
        {"id": seal},
        token=token,
    )
    banks = (await remote.gql("{ institutions(kind: BANK, first: 20) { nodes { id code } } }"))[
        "institutions"
    ]["nodes"]
    bank = next(b for b in banks if b["code"] == "BOC")
    subscriber = await Subscriber.open(
        server.url, token, "subscription { agreementStatusChanged { number status } }"
    )
    # The bank's portal user (demo: bocportal01) watches the agreements addressed to 中国银行.
    portal = await Subscriber.open(
        server.url,
        await remote.token_for("bocportal01", "Demo@2026"),
        "subscription { agreementStatusChanged { number status enterprise { name } } }",
    )
    try:
        prepared = (
            await remote.gql(
                """mutation($input: AgreementSignPrepareInput!) { agreementSignPrepare(input: $input) {
            signingSessionId digestToSign userErrors { code } } }""",
                {
                    "input": {
                        "bankId": bank["id"],
                        "functions": ["USER_BINDING"],
                        "sealId": seal,
                        "certificate": agent.signing_certificate(LEGAL_CARD),
                        "acceptTerms": True,
                    }
                },
                token=token,
            )
        )["agreementSignPrepare"]
        signature = agent.sign_digest(
            bytes.fromhex(prepared["digestToSign"]), DEMO_PIN, LEGAL_CARD
        ).signature
        done = (
            await remote.gql(
                """mutation($input: AgreementSignCompleteInput!) { agreementSignComplete(input: $input) {
            agreement { number } userErrors { code } } }""",
                {
                    "input": {
                        "signingSessionId": prepared["signingSessionId"],
                        "signature": signature,
                    }
                },
                token=token,
            )
        )["agreementSignComplete"]
        number = done["agreement"]["number"]
        seen = []
        while len(seen) < 2:
            message = await subscriber.next(timeout=10)
            assert message["type"] == "next", message
            seen.append(message["payload"]["data"]["agreementStatusChanged"])
        assert seen == [
            {"number": number, "status": "SUBMITTED"},
            {"number": number, "status": "SIGNED"},
        ]
        for status in ("SUBMITTED", "SIGNED"):
            message = await portal.next(timeout=10)
            assert message["payload"]["data"]["agreementStatusChanged"] == {
                "number": number,
                "status": status,
                "enterprise": {"name": "辽宁港通进出口有限公司"},
            }
    finally:
        await subscriber.close()
        await portal.close()
