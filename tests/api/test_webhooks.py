"""Webhook event ids (issue 14): an id longer than a receipt keeps is refused, not cut, so two
events sharing a 64-character prefix are never taken for one; the refusal is final for senders."""

from __future__ import annotations

import time
from typing import Any

import httpx
import orjson
import pytest

from integrations.institutions import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature
from integrations.institutions.simulator import post_signed
from tests.agreements import AGREEMENTS, Signer, sign
from tests.cards import Cards
from tests.support import Gateway

pytestmark = pytest.mark.req("GW-3")


async def post_event(gateway: Gateway, event: dict[str, Any]) -> httpx.Response:
    secret = gateway.services.institutions.secret("BOC")
    assert secret is not None
    raw = orjson.dumps(event)
    timestamp = str(int(time.time()))
    headers = {TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: signature(secret, timestamp, raw)}
    return await gateway.http.post("/webhooks/banks/BOC", content=raw, headers=headers)


async def status(gateway: Gateway, signer: Signer) -> str:
    nodes = (await gateway.gql(AGREEMENTS, token=signer.token))["agreements"]["nodes"]
    return str(nodes[0]["status"])


async def test_gw3_an_event_id_longer_than_64_characters_is_refused_not_cut(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    await gateway.app.state.dispatcher.stop()  # keep the agreement SUBMITTED: no bank answers
    agreement = (await sign(gateway, cards, signer, ["FINANCING"]))["agreement"]
    prefix = "e" * 64
    decision = {
        "type": "AGREEMENT_DECIDED",
        "reference": agreement["number"],
        "decision": "FAILED",
    }
    for event_id in (prefix + "-first", prefix + "-second"):
        refused = await post_event(gateway, {"eventId": event_id, **decision})
        assert refused.status_code == 400
        assert refused.json() == {
            "error": "EVENT_ID_TOO_LONG",
            "message": "eventId must be at most 64 characters.",
        }
        assert await status(gateway, signer) == "SUBMITTED"
    for event_id in ("", None, {"id": 1}):
        malformed = await post_event(gateway, {"eventId": event_id, **decision})
        assert malformed.status_code == 400
        assert malformed.json()["error"] == "BAD_REQUEST"
    # 64 characters fit, and are applied once.
    applied = await post_event(gateway, {"eventId": prefix, **decision})
    assert applied.json() == {"status": "applied"}
    assert await status(gateway, signer) == "FAILED"
    assert (await post_event(gateway, {"eventId": prefix, **decision})).json() == {
        "status": "duplicate"
    }


async def test_gw3_a_sender_does_not_retry_a_refused_event_id(gateway: Gateway) -> None:
    secret = gateway.services.institutions.secret("BOC")
    assert secret is not None
    answers: list[int] = []

    async def callback(path: str, body: bytes, headers: dict[str, str]) -> int:
        answers.append((await gateway.http.post(path, content=body, headers=headers)).status_code)
        return answers[-1]

    event = {"eventId": "x" * 65, "type": "AGREEMENT_DECIDED", "reference": "A1"}
    await post_signed(callback, "/webhooks/banks/BOC", secret, event, "BOC")
    assert answers == [400]
