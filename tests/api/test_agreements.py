"""Three-party agreements end to end (LN-2, LN-3, LN-4, TI-3, GW-2, GW-3): signed by the legal-person
card in two steps, delivered through the outbox to the simulated bank, decided by its signed
webhook; forged and replayed webhooks change nothing; a dispatcher killed mid-delivery and
restarted delivers once in effect."""

from __future__ import annotations

import asyncio
import base64
import time
from datetime import UTC, datetime
from typing import Any

import orjson
import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from sqlmodel import col, select

from gateway.cards import development_ca
from gateway.outbox import Dispatcher
from integrations.documents import validate
from integrations.institutions import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    InstitutionRequest,
    signature,
)
from models import (
    Account,
    Agreement,
    AgreementEvent,
    AgreementStatus,
    DocumentKind,
    Institution,
    OutboxMessage,
    OutboxStatus,
    Seal,
    Session,
    SessionMethod,
    SignedDocument,
)
from tests.agreements import (
    AGREEMENTS,
    CARD,
    COMPLETE,
    PREPARE,
    TERMINATE,
    Signer,
    prepare,
    sign,
    wait_for,
)
from tests.cards import PIN, Cards
from tests.support import Gateway

pytestmark = pytest.mark.req("LN-2", "LN-3", "LN-4", "TI-3", "GW-2", "GW-3")


async def test_ln2_an_agreement_signed_by_card_goes_to_the_bank_which_signs_it(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    prepared = await prepare(gateway, cards, signer, ["USER_BINDING", "ACCOUNT_OPENING"])
    assert prepared["previewDataUrl"].startswith("data:application/pdf;base64,")
    assert len(prepared["digestToSign"]) == 64
    signature_b64 = cards.agent.sign_digest(
        bytes.fromhex(prepared["digestToSign"]), PIN, CARD
    ).signature
    done = await gateway.gql(
        COMPLETE,
        {"input": {"signingSessionId": prepared["signingSessionId"], "signature": signature_b64}},
        token=signer.token,
    )
    agreement = done["agreementSignComplete"]["agreement"]
    assert agreement["status"] == "SUBMITTED"
    signed = await wait_for(gateway, signer.token, agreement["number"], "SIGNED")
    assert [h["status"] for h in signed["history"]] == ["SUBMITTED", "SIGNED"]
    assert signed["bank"]["code"] == "BOC"
    assert signed["viewerCanTerminate"] is True
    # LN-3: the stored PDF carries a valid PAdES signature by the card holder over the whole file.
    pdf = base64.b64decode(signed["document"]["dataUrl"].split(",", 1)[1])
    root = development_ca(gateway.app.state.settings).certificate.public_bytes(Encoding.DER)
    enterprise, bank = await validate(pdf, [root])
    assert (enterprise.intact, enterprise.valid, enterprise.trusted) == (True, True, True)
    assert enterprise.signer_common_name == "王建国"
    # The bank counter-signed when it accepted: a second signature, over the whole file.
    assert (bank.intact, bank.valid, bank.trusted, bank.covers_whole_document) == (
        True,
        True,
        True,
        True,
    )
    assert bank.signer_common_name == "BOC 电子签章"


async def test_ti3_rules_one_bank_one_function_and_binding_before_remittance(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    refused = await prepare(gateway, cards, signer, ["INWARD_REMITTANCE"])
    assert refused["userErrors"][0]["code"] == "USER_BINDING_REQUIRED"
    binding = (await sign(gateway, cards, signer, ["USER_BINDING"]))["agreement"]
    await wait_for(gateway, signer.token, binding["number"], "SIGNED")
    twice = await prepare(gateway, cards, signer, ["USER_BINDING", "FINANCING"])
    assert twice["userErrors"][0]["code"] == "FUNCTION_ALREADY_SIGNED"
    assert "用户绑定" in twice["userErrors"][0]["message"]
    # Another bank is another matter; remittances with the bound bank are now fine.
    assert (await prepare(gateway, cards, signer, ["USER_BINDING"], bank="ICBC"))[
        "userErrors"
    ] == []
    assert (await sign(gateway, cards, signer, ["INWARD_REMITTANCE", "OUTWARD_REMITTANCE"]))[
        "userErrors"
    ] == []


async def test_ln2_a_failed_agreement_can_be_signed_again(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    first = (await sign(gateway, cards, signer, ["GUARANTEE"]))["agreement"]
    failed = await wait_for(gateway, signer.token, first["number"], "FAILED")
    assert failed["bankReason"] == "本行暂未开通线上保函业务"
    again = await prepare(gateway, cards, signer, ["GUARANTEE"])
    assert again["userErrors"] == []


async def test_ln2_refusals_write_nothing(gateway: Gateway, cards: Cards, signer: Signer) -> None:
    before = await gateway.snapshot()
    no_terms = await prepare(gateway, cards, signer, ["FINANCING"], acceptTerms=False)
    assert no_terms["userErrors"][0]["code"] == "CONSENT_REQUIRED"
    await gateway.gql(
        "mutation($id: ID!) { sealDisable(id: $id) { userErrors { code } } }",
        {"id": signer.seal_id},
        token=signer.token,
    )
    disabled = await prepare(gateway, cards, signer, ["FINANCING"])
    assert disabled["userErrors"][0]["code"] == "SEAL_NOT_ENABLED"
    await gateway.gql(
        "mutation($id: ID!) { sealEnable(id: $id) { userErrors { code } } }",
        {"id": signer.seal_id},
        token=signer.token,
    )
    prepared = await prepare(gateway, cards, signer, ["FINANCING"])
    wrong = cards.agent.sign_digest(b"\1" * 32, PIN, CARD).signature
    result = await gateway.gql(
        COMPLETE,
        {"input": {"signingSessionId": prepared["signingSessionId"], "signature": wrong}},
        token=signer.token,
    )
    assert result["agreementSignComplete"]["userErrors"] == [
        {"code": "CARD_SIGNATURE_INVALID", "field": ["signature"]}
    ]
    assert (await gateway.gql(AGREEMENTS, token=signer.token))["agreements"]["totalCount"] == 0
    async with gateway.services.sessionmaker() as db:
        assert (await db.exec(select(OutboxMessage))).all() == []
    password = await gateway.token_for("admin0001")
    errors = await gateway.gql_errors(
        PREPARE,
        {
            "input": {
                "bankId": signer.banks["BOC"],
                "functions": ["FINANCING"],
                "sealId": signer.seal_id,
                "certificate": "AA==",
                "acceptTerms": True,
            }
        },
        token=password,
    )
    assert errors[0]["extensions"]["reason"] == "LEGAL_PERSON_CARD_REQUIRED"
    assert before["enterprise"] == (await gateway.snapshot())["enterprise"]


async def test_ln2_a_signing_session_is_single_use(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    prepared = await prepare(gateway, cards, signer, ["FINANCING"])
    signature_b64 = cards.agent.sign_digest(
        bytes.fromhex(prepared["digestToSign"]), PIN, CARD
    ).signature
    payload = {
        "input": {"signingSessionId": prepared["signingSessionId"], "signature": signature_b64}
    }
    assert (await gateway.gql(COMPLETE, payload, token=signer.token))["agreementSignComplete"][
        "userErrors"
    ] == []
    again = (await gateway.gql(COMPLETE, payload, token=signer.token))["agreementSignComplete"]
    assert again["userErrors"] == [
        {"code": "SIGNING_SESSION_INVALID", "field": ["signingSessionId"]}
    ]


async def test_ln4_only_signed_agreements_are_terminated_by_the_bank(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    agreement = (await sign(gateway, cards, signer, ["ACCOUNT_OPENING"]))["agreement"]
    early = await gateway.gql(
        TERMINATE, {"id": agreement["id"], "confirm": True}, token=signer.token
    )
    assert early["agreementTerminate"]["userErrors"] == [
        {"code": "AGREEMENT_NOT_SIGNED", "field": ["id"]}
    ]
    await wait_for(gateway, signer.token, agreement["number"], "SIGNED")
    unconfirmed = await gateway.gql(
        TERMINATE, {"id": agreement["id"], "confirm": False}, token=signer.token
    )
    assert unconfirmed["agreementTerminate"]["userErrors"][0]["code"] == "CONFIRMATION_REQUIRED"
    requested = await gateway.gql(
        TERMINATE, {"id": agreement["id"], "confirm": True}, token=signer.token
    )
    assert requested["agreementTerminate"]["agreement"]["status"] == "TERMINATION_REQUESTED"
    done = await wait_for(gateway, signer.token, agreement["number"], "TERMINATED")
    assert [h["status"] for h in done["history"]] == [
        "SUBMITTED",
        "SIGNED",
        "TERMINATION_REQUESTED",
        "TERMINATED",
    ]


async def post_webhook(
    gateway: Gateway, body: dict[str, Any], secret: bytes | None, stamp: float | None = None
) -> int:
    raw = orjson.dumps(body)
    timestamp = str(int(stamp or time.time()))
    headers = {
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: signature(secret or b"forged", timestamp, raw),
    }
    return (
        await gateway.http.post("/webhooks/banks/BOC", content=raw, headers=headers)
    ).status_code


async def test_gw3_forged_stale_and_replayed_webhooks_change_nothing(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    agreement = (await sign(gateway, cards, signer, ["FINANCING"]))["agreement"]
    signed = await wait_for(gateway, signer.token, agreement["number"], "SIGNED")
    secret = gateway.services.institutions.secret("BOC")
    fake = {
        "eventId": "evil-1",
        "type": "AGREEMENT_DECIDED",
        "reference": agreement["number"],
        "decision": "FAILED",
    }
    assert await post_webhook(gateway, fake, None) == 401
    assert await post_webhook(gateway, fake, secret, stamp=time.time() - 3600) == 401
    # The bank's own terminate answer, sent twice: applied once.
    await gateway.gql(TERMINATE, {"id": agreement["id"], "confirm": True}, token=signer.token)
    await wait_for(gateway, signer.token, agreement["number"], "TERMINATED")
    replay = {
        "eventId": "replayed-1",
        "type": "AGREEMENT_DECIDED",
        "reference": agreement["number"],
        "decision": "TERMINATED",
    }
    assert await post_webhook(gateway, replay, secret) == 422  # not applicable now: nothing changes
    after = await wait_for(gateway, signer.token, agreement["number"], "TERMINATED")
    assert len(after["history"]) == 4
    assert signed["status"] == "SIGNED"


async def test_gw3_a_dispatcher_killed_mid_delivery_and_restarted_delivers_once(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    services = gateway.services
    boc = services.institutions.get("BOC")
    assert boc is not None
    entered, release = asyncio.Event(), asyncio.Event()
    original_send = boc.send
    calls: list[str] = []

    async def slow_send(request: InstitutionRequest) -> None:
        calls.append(request.idempotency_key)
        await original_send(request)  # the bank has it ...
        entered.set()
        await release.wait()  # ... and the dispatcher dies before recording the delivery

    boc.send = slow_send  # type: ignore[method-assign]
    await gateway.app.state.dispatcher.stop()  # the app's own dispatcher stays out of the way
    first = Dispatcher(services)
    await first.start()
    agreement = (await sign(gateway, cards, signer, ["FINANCING"]))["agreement"]
    first.signal()
    await asyncio.wait_for(entered.wait(), 5)
    await first.stop()  # killed mid-delivery
    async with services.sessionmaker() as db:
        [message] = (await db.exec(select(OutboxMessage))).all()
        assert message.status == OutboxStatus.PENDING
    release.set()
    boc.send = original_send  # type: ignore[method-assign]
    second = Dispatcher(services)
    await second.start()
    second.signal()
    decided = await wait_for(gateway, signer.token, agreement["number"], "SIGNED")
    await second.stop()
    assert len(calls) == 1
    assert [h["status"] for h in decided["history"]] == ["SUBMITTED", "SIGNED"]
    async with services.sessionmaker() as db:
        [message] = (await db.exec(select(OutboxMessage).where(col(OutboxMessage.id) > 0))).all()
        assert message.status == OutboxStatus.DELIVERED
        assert message.attempts == 1


async def test_gw3_a_counter_signature_that_is_not_the_signed_agreement_is_refused(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    await gateway.app.state.dispatcher.stop()  # keep the agreement SUBMITTED: no bank answers
    agreement = (await sign(gateway, cards, signer, ["FINANCING"]))["agreement"]
    secret = gateway.services.institutions.secret("BOC")
    forged = {
        "eventId": "forged-doc-1",
        "type": "AGREEMENT_DECIDED",
        "reference": agreement["number"],
        "decision": "SIGNED",
        "counterSignedDocument": base64.b64encode(b"%PDF-1.7 not the agreement").decode(),
    }
    assert await post_webhook(gateway, forged, secret) == 422
    nodes = (await gateway.gql(AGREEMENTS, token=signer.token))["agreements"]["nodes"]
    assert nodes[0]["status"] == "SUBMITTED"


HISTORY_PAGE = "{ agreements(first: 20) { nodes { number status history { status reason at } } } }"


async def _add_agreements(gateway: Gateway, signer: Signer, count: int, start: int) -> None:
    """``count`` agreements of the signer's enterprise with BOC, each with two history entries,
    written directly (no card signatures, no bank): only the read side is measured."""
    async with gateway.services.sessionmaker() as db:
        session = (
            await db.exec(select(Session).where(col(Session.method) == SessionMethod.CARD))
        ).one()
        account = await db.get(Account, session.account_id)
        bank = (await db.exec(select(Institution).where(col(Institution.code) == "BOC"))).one()
        seal = (await db.exec(select(Seal))).one()
        assert account is not None
        assert account.enterprise_id is not None
        now = datetime.now(UTC)
        document = SignedDocument(
            kind=DocumentKind.AGREEMENT,
            enterprise_id=account.enterprise_id,
            institution_id=bank.id or 0,
            pdf=b"%PDF-1.7",
            sha256="0" * 64,
            signer_card_number=CARD,
            signed_at=now,
        )
        db.add(document)
        await db.flush()
        for index in range(start, start + count):
            agreement = Agreement(
                number=f"A{index:010d}",
                enterprise_id=account.enterprise_id,
                institution_id=bank.id or 0,
                functions=["FINANCING"],
                status=AgreementStatus.SIGNED,
                seal_id=seal.id or 0,
                document_id=document.id or 0,
                signed_by_account_id=account.id or 0,
                submitted_at=now,
                decided_at=now,
            )
            db.add(agreement)
            await db.flush()
            for status in (AgreementStatus.SUBMITTED, AgreementStatus.SIGNED):
                db.add(AgreementEvent(agreement_id=agreement.id or 0, status=status, at=now))
        await db.commit()


@pytest.mark.req("GW-4")
async def test_gw4_agreements_with_their_history_cost_the_same_statements_for_1_or_12(
    gateway: Gateway, signer: Signer
) -> None:
    counts: list[int] = []
    for added in (1, 1, 1, 9):
        await _add_agreements(gateway, signer, added, start=len(counts) * 10)
        with gateway.statements() as box:
            nodes = (await gateway.gql(HISTORY_PAGE, token=signer.token))["agreements"]["nodes"]
        assert all([h["status"] for h in n["history"]] == ["SUBMITTED", "SIGNED"] for n in nodes)
        counts.append(box[0])
    assert len(nodes) == 12
    assert counts == [counts[0]] * 4, counts
