"""The card agent: its local HTTP endpoint and ``gateway card sign`` (SW-7, LN-1)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import httpx
import pytest

from gateway.cards import development_ca, virtual_cards
from gateway.settings import Settings
from integrations.card import CardAgent, CardHolder, VirtualBackend
from integrations.card.agent_server import create_agent_app
from tests.cards import CARD_LOGIN, challenge
from tests.integration.test_cli import run
from tests.support import Gateway, resident_id, uscc_for

pytestmark = pytest.mark.req("SW-7", "LN-1")
FRONT_END = "https://lnsw.example.cn"


@pytest.fixture
def agent_client(tmp_path: Path) -> httpx.AsyncClient:
    settings = Settings(data_dir=tmp_path)
    virtual_cards(settings).issue(
        development_ca(settings),
        CardHolder(
            "2100000101",
            "LEGAL_PERSON",
            uscc_for(101),
            "企业",
            "王建国",
            "RESIDENT_ID",
            resident_id(101),
        ),
        "123456",
    )
    app = create_agent_app(CardAgent(VirtualBackend(virtual_cards(settings))), (FRONT_END,))
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1:8790"
    )


async def test_agent_lists_cards_and_answers_only_configured_origins(
    agent_client: httpx.AsyncClient,
) -> None:
    listed = await agent_client.get("/cards", headers={"origin": FRONT_END})
    assert listed.status_code == 200
    assert listed.headers["access-control-allow-origin"] == FRONT_END
    assert listed.json()[0]["cardNumber"] == "2100000101"
    refused = await agent_client.get("/cards", headers={"origin": "https://evil.example.com"})
    assert refused.status_code == 403
    assert "access-control-allow-origin" not in refused.headers


async def test_agent_signs_after_the_pin_and_reports_wrong_pins_and_blocking(
    agent_client: httpx.AsyncClient,
) -> None:
    digest = hashlib.sha256(b"agreement").hexdigest()
    signed = await agent_client.post("/sign", json={"digest": digest, "pin": "123456"})
    assert signed.status_code == 200
    assert set(signed.json()) == {"certificate", "signature"}
    for left in (2, 1):
        wrong = await agent_client.post("/sign", json={"challenge": "n", "pin": "000000"})
        assert (wrong.status_code, wrong.json()) == (401, {"error": "WRONG_PIN", "triesLeft": left})
    blocked = await agent_client.post("/sign", json={"challenge": "n", "pin": "000000"})
    assert (blocked.status_code, blocked.json()) == (423, {"error": "CARD_BLOCKED"})
    missing = await agent_client.post(
        "/sign", json={"challenge": "n", "pin": "123456", "cardNumber": "999"}
    )
    assert missing.status_code == 404


async def test_readme_flow_card_sign_output_logs_in(gateway: Gateway, settings: Settings) -> None:
    """A newcomer pastes `gateway card sign` output into sessionCreateWithCard."""
    virtual_cards(settings).issue(
        development_ca(settings),
        CardHolder(
            "2100000102",
            "LEGAL_PERSON",
            uscc_for(102),
            "企业",
            "王建国",
            "RESIDENT_ID",
            resident_id(102),
        ),
        "123456",
    )
    issued = await challenge(gateway)
    env = {"GATEWAY_DATA_DIR": str(settings.data_dir)}
    result = run(
        "card",
        "sign",
        f"--challenge={issued['nonce']}",
        "--pin",
        "123456",
        "--card",
        "2100000102",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    signed = json.loads(result.stdout)
    payload = await gateway.gql(CARD_LOGIN, {"input": {"challengeId": issued["id"], **signed}})
    assert payload["sessionCreateWithCard"]["account"]["username"] == "2100000102_ADMIN"
    wrong = run("card", "sign", "--challenge", "x", "--pin", "000000", env=env)
    assert wrong.returncode == 2
    assert "2 tries left" in wrong.stderr
