"""The real HTTP adapters (banks, SMS/email, profile sync), against httpx.MockTransport: what they
send, how they sign it, and which exception each failure becomes (GW-3)."""

from __future__ import annotations

import time

import httpx
import orjson
import pytest

from integrations.institutions import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    HttpInstitution,
    InstitutionRejected,
    InstitutionRequest,
    InstitutionUnavailable,
    verify,
)
from integrations.messaging import DeliveryRejected, DeliveryUnavailable, HttpMessageSender
from integrations.profile_sync import (
    HttpProfileSyncer,
    ProfileSnapshot,
    SyncRejected,
    SyncUnavailable,
)

pytestmark = pytest.mark.req("GW-3")
SECRET = b"bank-secret"


def transport(answers: list[int], seen: list[httpx.Request]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        status = answers.pop(0) if answers else 200
        return httpx.Response(status, json={})

    return httpx.MockTransport(handle)


async def test_bank_requests_are_signed_and_carry_the_idempotency_key() -> None:
    seen: list[httpx.Request] = []
    bank = HttpInstitution(
        "https://bank.example/api", SECRET, httpx.AsyncClient(transport=transport([200], seen))
    )
    await bank.send(InstitutionRequest("AGREEMENT_SUBMIT", "key-1", "BOC", {"reference": "A1"}))
    [request] = seen
    assert request.headers["idempotency-key"] == "key-1"
    assert orjson.loads(request.content) == {
        "kind": "AGREEMENT_SUBMIT",
        "payload": {"reference": "A1"},
    }
    assert verify(
        SECRET,
        request.headers[TIMESTAMP_HEADER],
        request.content,
        request.headers[SIGNATURE_HEADER],
        time.time(),
    )


async def test_bank_5xx_is_retried_then_unavailable_and_4xx_is_rejected_at_once() -> None:
    seen: list[httpx.Request] = []
    flaky = HttpInstitution(
        "https://bank.example/api", SECRET, httpx.AsyncClient(transport=transport([503, 200], seen))
    )
    await flaky.send(InstitutionRequest("LOAN_SUBMIT", "k", "BOC"))
    assert len(seen) == 2
    down = HttpInstitution(
        "https://bank.example/api", SECRET, httpx.AsyncClient(transport=transport([502] * 3, []))
    )
    with pytest.raises(InstitutionUnavailable):
        await down.send(InstitutionRequest("LOAN_SUBMIT", "k", "BOC"))
    seen.clear()
    refusing = HttpInstitution(
        "https://bank.example/api", SECRET, httpx.AsyncClient(transport=transport([400], seen))
    )
    with pytest.raises(InstitutionRejected):
        await refusing.send(InstitutionRequest("LOAN_SUBMIT", "k", "BOC"))
    assert len(seen) == 1


async def test_sms_sender_maps_failures() -> None:
    seen: list[httpx.Request] = []
    sender = HttpMessageSender(
        "https://sms.example/send", "key", httpx.AsyncClient(transport=transport([200], seen))
    )
    await sender.send_sms("13800000000", "code 123456")
    assert orjson.loads(seen[0].content) == {
        "channel": "SMS",
        "to": "13800000000",
        "text": "code 123456",
    }
    assert seen[0].headers["authorization"] == "Bearer key"
    with pytest.raises(DeliveryRejected):
        await HttpMessageSender(
            "https://sms.example/send", "k", httpx.AsyncClient(transport=transport([400], []))
        ).send_sms("1", "t")
    with pytest.raises(DeliveryUnavailable):
        await HttpMessageSender(
            "https://sms.example/send", "k", httpx.AsyncClient(transport=transport([500], []))
        ).send_email("a", "s", "t")


async def test_profile_sync_adapter() -> None:
    snapshot = ProfileSnapshot(
        1, "admin", "李红", "RESIDENT_ID", "210102198503070012", None, None, None, None
    )

    def answer(status: int, body: dict[str, str]) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            transport=httpx.MockTransport(lambda _: httpx.Response(status, json=body))
        )

    ok = HttpProfileSyncer(
        "https://gov.example/sync",
        "k",
        answer(200, {"receiptId": "R1", "syncedAt": "2026-11-23T10:00:00+08:00"}),
    )
    assert (await ok.sync(snapshot)).receipt_id == "R1"
    with pytest.raises(SyncRejected):
        await HttpProfileSyncer(
            "https://gov.example/sync", "k", answer(422, {"reason": "NO_MATCH"})
        ).sync(snapshot)
    with pytest.raises(SyncUnavailable):
        await HttpProfileSyncer("https://gov.example/sync", "k", answer(503, {})).sync(snapshot)
