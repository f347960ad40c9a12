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


@pytest.mark.req("SW-18", "SW-15")
async def test_identity_and_register_adapters_map_answers_and_failures() -> None:
    from integrations.identity import (
        BankCard,
        HttpIdentityVerifier,
        IdentityRejected,
        IdentityUnavailable,
        Outcome,
        Person,
    )
    from integrations.registry import (
        HttpCommerceRegistry,
        HttpMarketRegistry,
        RegistryRejected,
        RegistryUnavailable,
    )

    seen: list[httpx.Request] = []
    answers: list[httpx.Response] = [
        httpx.Response(200, json={"outcome": "NAME_MISMATCH"}),
        httpx.Response(200, json={"outcome": "MATCH"}),
        httpx.Response(503),
        httpx.Response(400),
        httpx.Response(404),
        httpx.Response(403),
        httpx.Response(500),
    ]

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answers.pop(0)

    client = httpx.AsyncClient(transport=httpx.MockTransport(handle))
    identity = HttpIdentityVerifier("https://id.example/api", "key", client)
    person = Person("李红", "RESIDENT_ID", "210102198503071234", "20180101", "00000000")
    assert await identity.check_person(person) == Outcome.NAME_MISMATCH
    card = BankCard(person, "6216261000000000018", "13800000001")
    assert await identity.check_bank_card(card) == Outcome.MATCH
    assert seen[1].url.path == "/api/bank-cards/verify"
    assert orjson.loads(seen[1].content)["reservedMobile"] == "13800000001"
    assert seen[0].headers["authorization"] == "Bearer key"
    with pytest.raises(IdentityUnavailable):
        await identity.check_person(person)
    with pytest.raises(IdentityRejected):
        await identity.check_person(person)
    market = HttpMarketRegistry("https://samr.example", "key", client)
    assert await market.lookup("91210100MA0000103C") is None
    with pytest.raises(RegistryRejected):
        await market.search("沈阳")
    commerce = HttpCommerceRegistry("https://mofcom.example", "key", client)
    with pytest.raises(RegistryUnavailable):
        await commerce.foreign_trade_filing("91210100MA0000103C")


@pytest.mark.req("SW-10")
async def test_e_licence_adapter_starts_a_session_with_the_callback_address() -> None:
    from integrations.registry import HttpElectronicLicence, RegistryUnavailable

    seen: list[httpx.Request] = []
    answers = [
        httpx.Response(
            201,
            json={
                "qrContent": "https://zzlz.example/s/abc",
                "expiresAt": "2026-12-01T10:05:00+00:00",
            },
        ),
        httpx.Response(502),
    ]

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answers.pop(0)

    licence = HttpElectronicLicence(
        "https://zzlz.example/api",
        "key",
        "https://gateway.example/webhooks/e-licence",
        httpx.AsyncClient(transport=httpx.MockTransport(handle)),
    )
    challenge = await licence.start("s-1", "91210100MA0000103C")
    assert challenge.qr_content == "https://zzlz.example/s/abc"
    assert orjson.loads(seen[0].content) == {
        "sessionId": "s-1",
        "uscc": "91210100MA0000103C",
        "callbackUrl": "https://gateway.example/webhooks/e-licence",
    }
    with pytest.raises(RegistryUnavailable):
        await licence.start("s-2", "91210100MA0000103C")


@pytest.mark.req("HN-5")
async def test_wechat_and_eid_adapters_map_answers_and_failures() -> None:
    from integrations.identity import HttpFaceVerifier, IdentityUnavailable
    from integrations.wechat import HttpWeChatLogin, WeChatRejected, WeChatUnavailable

    seen: list[httpx.Request] = []
    answers = [
        httpx.Response(200, json={"openid": "oABC", "session_key": "secret", "unionid": "uX"}),
        httpx.Response(200, json={"errcode": 40163, "errmsg": "code been used"}),
        httpx.Response(200, json={"errcode": -1, "errmsg": "system busy"}),
        httpx.Response(200, json={"token": "t-1", "url": "https://eid.example/h5?token=t-1"}),
        httpx.Response(503),
    ]

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answers.pop(0)

    client = httpx.AsyncClient(transport=httpx.MockTransport(handle))
    wechat = HttpWeChatLogin("wx123", "app-secret", client)
    session = await wechat.code_to_session("code-1")
    assert (session.openid, session.unionid) == ("oABC", "uX")
    assert seen[0].url.params["js_code"] == "code-1"
    assert seen[0].url.params["grant_type"] == "authorization_code"
    with pytest.raises(WeChatRejected) as used:
        await wechat.code_to_session("code-1")
    assert used.value.errcode == 40163
    with pytest.raises(WeChatUnavailable):
        await wechat.code_to_session("code-2")
    face = HttpFaceVerifier(
        "https://eid.example/api", "key", "https://gw.example/webhooks/eid", client
    )
    started = await face.start("王军", "430102197805063215", "certification:1")
    assert started.token == "t-1"
    assert orjson.loads(seen[3].content)["callbackUrl"] == "https://gw.example/webhooks/eid"
    with pytest.raises(IdentityUnavailable):
        await face.start("王军", "430102197805063215", "certification:1")


@pytest.mark.req("XC-7", "XC-8")
async def test_credit_adapter_reads_records_and_the_whitelist() -> None:
    from integrations.credit import CreditRejected, CreditUnavailable, HttpCreditSource

    seen: list[httpx.Request] = []
    answers = [
        httpx.Response(
            200,
            json={
                "records": [
                    {
                        "kind": "TAX_CREDIT_RATING",
                        "value": "A",
                        "source": "国家税务总局",
                        "recordDate": "2025-04-01",
                    }
                ]
            },
        ),
        httpx.Response(
            200,
            json={
                "entries": [
                    {
                        "uscc": "91411000MA0000146E",
                        "name": "许昌中联",
                        "regionCode": "411000",
                        "source": "许昌市信用办",
                        "listedOn": "2026-03-18",
                    }
                ]
            },
        ),
        httpx.Response(503),
        httpx.Response(404),
    ]

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answers.pop(0)

    credit = HttpCreditSource(
        "https://credit.example/api",
        "key",
        httpx.AsyncClient(transport=httpx.MockTransport(handle)),
    )
    [fact] = await credit.records("91411000MA0000146E")
    assert (fact.kind, fact.value) == ("TAX_CREDIT_RATING", "A")
    assert seen[0].url.path == "/api/enterprises/91411000MA0000146E/credit-records"
    [entry] = await credit.whitelist("411000")
    assert entry.listed_on.isoformat() == "2026-03-18"
    assert seen[1].url.params["region"] == "411000"
    with pytest.raises(CreditUnavailable):
        await credit.records("x")
    with pytest.raises(CreditRejected):
        await credit.records("x")
