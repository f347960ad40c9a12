"""Loan applications (LN-5, LN-6, TI-2, TI-3): the authorisation letter signed by card, the bank's
ACCEPTED or the SEND_FAILED of an undeliverable application, decisions, search, drawdown."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from integrations.institutions import InstitutionRejected, InstitutionRequest
from tests.agreements import CARD, Signer, sign, wait_for
from tests.cards import PIN, Cards
from tests.support import Gateway

pytestmark = pytest.mark.req("LN-5", "LN-6", "TI-2", "TI-3", "GW-2")

PREPARE = """
mutation($input: LoanApplicationInput!) {
  loanApplicationPrepare(input: $input) { signingSessionId digestToSign previewDataUrl userErrors { code field } }
}"""
COMPLETE = """
mutation($input: LoanApplicationCompleteInput!) {
  loanApplicationComplete(input: $input) { order { id number status amount } userErrors { code field } }
}"""
ORDERS = """
query($filter: LoanOrderFilter) { loanOrders(filter: $filter, first: 20) { totalCount nodes {
  id number status amount termMonths bankReason viewerCanApplyAgain bank { code }
  history { status reason } authorisationLetter { sha256 }
} } }"""
DRAWDOWN = "mutation($id: ID!) { loanOrderDrawdownRequest(id: $id) { order { status } userErrors { code } } }"


def form(signer: Signer, cards: Cards, **changes: Any) -> dict[str, Any]:
    data = {
        "bankId": signer.banks["BOC"],
        "amount": "1200000.00",
        "termMonths": 12,
        "purpose": "采购原材料",
        "contactName": "李红",
        "contactPhone": "13812340001",
        "certificate": cards.agent.signing_certificate(CARD),
    }
    data.update(changes)
    return data


async def apply(gateway: Gateway, cards: Cards, signer: Signer, **changes: Any) -> dict[str, Any]:
    prepared = (
        await gateway.gql(PREPARE, {"input": form(signer, cards, **changes)}, token=signer.token)
    )["loanApplicationPrepare"]
    assert prepared["userErrors"] == [], prepared
    signature = cards.agent.sign_digest(
        bytes.fromhex(prepared["digestToSign"]), PIN, CARD
    ).signature
    payload = {"input": {"signingSessionId": prepared["signingSessionId"], "signature": signature}}
    return (await gateway.gql(COMPLETE, payload, token=signer.token))["loanApplicationComplete"]  # type: ignore[no-any-return]


async def wait_order(
    gateway: Gateway, token: str, number: str, status: str, timeout: float = 10
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        nodes = (await gateway.gql(ORDERS, token=token))["loanOrders"]["nodes"]
        found = next(n for n in nodes if n["number"] == number)
        if found["status"] == status or time.monotonic() > deadline:
            assert found["status"] == status, found
            return found  # type: ignore[no-any-return]
        await asyncio.sleep(0.1)


async def financing(
    gateway: Gateway, cards: Cards, signer: Signer, functions: list[str] | None = None
) -> None:
    agreement = (await sign(gateway, cards, signer, functions or ["FINANCING"]))["agreement"]
    await wait_for(gateway, signer.token, agreement["number"], "SIGNED")


async def test_ln5_an_application_is_accepted_then_decided_with_its_history(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    before = await gateway.snapshot()
    refused = (await gateway.gql(PREPARE, {"input": form(signer, cards)}, token=signer.token))[
        "loanApplicationPrepare"
    ]
    assert refused["userErrors"] == [{"code": "FINANCING_AGREEMENT_REQUIRED", "field": ["bankId"]}]
    assert await gateway.snapshot() == before
    await financing(gateway, cards, signer)
    order = (await apply(gateway, cards, signer))["order"]
    assert order["status"] == "SUBMITTED"
    assert order["amount"] == "1200000.00"
    approved = await wait_order(gateway, signer.token, order["number"], "APPROVED")
    assert [h["status"] for h in approved["history"]] == ["SUBMITTED", "ACCEPTED", "APPROVED"]
    assert len(approved["authorisationLetter"]["sha256"]) == 64
    big = (await apply(gateway, cards, signer, amount="8000000"))["order"]
    rejected = await wait_order(gateway, signer.token, big["number"], "REJECTED")
    assert rejected["bankReason"] == "超出本行授信额度"


async def test_ln5_form_checks_write_nothing(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    await financing(gateway, cards, signer)
    before = await gateway.snapshot()
    for changes, code in (
        ({"amount": "-1"}, "AMOUNT_INVALID"),
        ({"termMonths": 0}, "TERM_INVALID"),
        ({"contactPhone": "123"}, "MOBILE_LENGTH"),
        ({"purpose": " "}, "REQUIRED"),
    ):
        payload = await gateway.gql(
            PREPARE, {"input": form(signer, cards, **changes)}, token=signer.token
        )
        assert payload["loanApplicationPrepare"]["userErrors"][0]["code"] == code
    assert await gateway.snapshot() == before


async def test_ti2_operators_apply_only_with_the_financing_permission(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    from tests.api.test_operators import CREATE, operator_input
    from tests.cards import card_login
    from tests.support import resident_id, uscc_for

    await financing(gateway, cards, signer)
    admin = await gateway.token_for("admin0001")
    created = (await gateway.gql(CREATE, {"input": operator_input(80)}, token=admin))[
        "operatorCreate"
    ]["operator"]
    cards.issue("2100000680", "OPERATOR", uscc_for(1), resident_id(80, "19900101"))
    operator = (await card_login(gateway, cards, "2100000680"))["token"]
    data = form(signer, cards, certificate=cards.agent.signing_certificate("2100000680"))
    errors = await gateway.gql_errors(PREPARE, {"input": data}, token=operator)
    assert errors[0]["extensions"] == {
        "code": "FORBIDDEN",
        "reason": "PERMISSION_REQUIRED:FINANCING",
    }
    grant = """mutation($id: ID!) { operatorPermissionsSet(id: $id, permissions: [FINANCING]) { userErrors { code } } }"""
    await gateway.gql(grant, {"id": created["id"]}, token=signer.token)
    prepared = (await gateway.gql(PREPARE, {"input": data}, token=operator))[
        "loanApplicationPrepare"
    ]
    assert prepared["userErrors"] == []
    signature = cards.agent.sign_digest(
        bytes.fromhex(prepared["digestToSign"]), PIN, "2100000680"
    ).signature
    done = await gateway.gql(
        COMPLETE,
        {"input": {"signingSessionId": prepared["signingSessionId"], "signature": signature}},
        token=operator,
    )
    assert done["loanApplicationComplete"]["order"]["status"] == "SUBMITTED"


async def test_ln5_an_undeliverable_application_is_send_failed_and_may_be_made_again(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    await financing(gateway, cards, signer)
    boc = gateway.services.institutions.get("BOC")
    assert boc is not None
    original = boc.send

    async def refuse(request: InstitutionRequest) -> None:
        if request.kind == "LOAN_SUBMIT":
            raise InstitutionRejected("400: malformed application")
        await original(request)

    boc.send = refuse  # type: ignore[method-assign]
    order = (await apply(gateway, cards, signer))["order"]
    failed = await wait_order(gateway, signer.token, order["number"], "SEND_FAILED")
    assert failed["viewerCanApplyAgain"] is True
    assert failed["bankReason"] == "银行拒绝接收"
    boc.send = original  # type: ignore[method-assign]
    again = (await apply(gateway, cards, signer))["order"]
    await wait_order(gateway, signer.token, again["number"], "APPROVED")


async def test_ln6_search_by_bank_status_and_time(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    await financing(gateway, cards, signer)
    first = (await apply(gateway, cards, signer))["order"]
    await wait_order(gateway, signer.token, first["number"], "APPROVED")
    big = (await apply(gateway, cards, signer, amount="9000000"))["order"]
    await wait_order(gateway, signer.token, big["number"], "REJECTED")

    async def numbers(**filter_: Any) -> set[str]:
        nodes = (await gateway.gql(ORDERS, {"filter": filter_}, token=signer.token))["loanOrders"][
            "nodes"
        ]
        return {n["number"] for n in nodes}

    assert await numbers() == {first["number"], big["number"]}
    assert await numbers(status="REJECTED") == {big["number"]}
    assert await numbers(bankId=signer.banks["BOC"]) == {first["number"], big["number"]}
    assert await numbers(bankId=signer.banks["ICBC"]) == set()
    now = gateway.services.clock.now()
    assert await numbers(
        submittedFrom=(now.replace(year=now.year - 1)).isoformat(), submittedTo=now.isoformat()
    ) == {first["number"], big["number"]}
    assert await numbers(submittedFrom=now.isoformat()) == set()


async def test_ti3_a_drawdown_after_approval_needs_a_user_binding(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    await financing(gateway, cards, signer)
    order = (await apply(gateway, cards, signer))["order"]
    early = (await gateway.gql(DRAWDOWN, {"id": order["id"]}, token=signer.token))[
        "loanOrderDrawdownRequest"
    ]
    assert early["userErrors"] == [{"code": "INVALID_TRANSITION"}]
    await wait_order(gateway, signer.token, order["number"], "APPROVED")
    unbound = (await gateway.gql(DRAWDOWN, {"id": order["id"]}, token=signer.token))[
        "loanOrderDrawdownRequest"
    ]
    assert unbound["userErrors"] == [{"code": "USER_BINDING_REQUIRED"}]
    await financing(gateway, cards, signer, ["USER_BINDING"])
    done = (await gateway.gql(DRAWDOWN, {"id": order["id"]}, token=signer.token))[
        "loanOrderDrawdownRequest"
    ]
    assert done == {"order": {"status": "DRAWDOWN_REQUESTED"}, "userErrors": []}
