"""Nothing waits forever (issue 16; LN-2, LN-4, LN-5, GW-3): a delivery the bank refuses ends
in a state the enterprise can act on, and bank answers that arrive out of order never move a
record backwards. The simulated banks refuse deliveries because they are configured to (the
``DeliveryFaults`` of the embedded mode), not because a test replaced their code."""

from __future__ import annotations

import uuid

import pytest

from integrations.institutions import DeliveryFaults, SimulatedInstitution
from tests.agreements import TERMINATE, Signer, prepare, sign, wait_for
from tests.api.test_loans import apply, financing, wait_order
from tests.cards import Cards
from tests.support import Gateway

pytestmark = pytest.mark.req("LN-2", "LN-4", "LN-5", "GW-3", "GW-5")


def refuse(gateway: Gateway, code: str, kind: str) -> DeliveryFaults:
    faults = gateway.services.institutions.faults
    faults.refused.setdefault(code, set()).add(kind)
    return faults


def test_faults_are_read_from_configuration() -> None:
    assert DeliveryFaults.parse(" BOC:loan_submit, PAIC ,ICBC:* ,") == {
        "BOC": {"LOAN_SUBMIT"},
        "PAIC": {"*"},
        "ICBC": {"*"},
    }


async def test_a_refused_agreement_is_failed_with_the_reason_and_may_be_signed_again(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    refuse(gateway, "BOC", "AGREEMENT_SUBMIT")
    agreement = (await sign(gateway, cards, signer, ["FINANCING"]))["agreement"]
    failed = await wait_for(gateway, signer.token, agreement["number"], "FAILED")
    assert failed["bankReason"] == "银行拒绝接收"
    assert [h["status"] for h in failed["history"]] == ["SUBMITTED", "FAILED"]
    gateway.services.institutions.faults.refused.clear()
    again = await prepare(gateway, cards, signer, ["FINANCING"])
    assert again["userErrors"] == []


async def test_a_refused_termination_leaves_the_agreement_signed_to_be_terminated_again(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    agreement = (await sign(gateway, cards, signer, ["ACCOUNT_OPENING"]))["agreement"]
    await wait_for(gateway, signer.token, agreement["number"], "SIGNED")
    refuse(gateway, "BOC", "AGREEMENT_TERMINATE")
    requested = await gateway.gql(
        TERMINATE, {"id": agreement["id"], "confirm": True}, token=signer.token
    )
    assert requested["agreementTerminate"]["agreement"]["status"] == "TERMINATION_REQUESTED"
    back = await wait_for(gateway, signer.token, agreement["number"], "SIGNED")
    assert back["history"][-1] == {"status": "SIGNED", "reason": "银行拒绝接收"}
    assert back["viewerCanTerminate"] is True
    gateway.services.institutions.faults.refused.clear()
    await gateway.gql(TERMINATE, {"id": agreement["id"], "confirm": True}, token=signer.token)
    await wait_for(gateway, signer.token, agreement["number"], "TERMINATED")


async def test_a_refused_loan_application_is_send_failed_and_may_be_made_again(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    await financing(gateway, cards, signer)
    refuse(gateway, "BOC", "LOAN_SUBMIT")
    order = (await apply(gateway, cards, signer))["order"]
    failed = await wait_order(gateway, signer.token, order["number"], "SEND_FAILED")
    assert failed["viewerCanApplyAgain"] is True
    gateway.services.institutions.faults.refused.clear()
    again = (await apply(gateway, cards, signer))["order"]
    await wait_order(gateway, signer.token, again["number"], "APPROVED")


async def answer(bank: SimulatedInstitution, number: str, decision: str) -> None:
    event = {"type": "LOAN_DECIDED", "reference": number, "decision": decision, "reason": None}
    await bank.call_back({"eventId": uuid.uuid4().hex, **event})


async def test_answers_out_of_order_keep_the_latest_decision(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    await financing(gateway, cards, signer)
    bank = gateway.services.institutions.simulator("BOC")
    # The delivery keeps failing, so the bank's own answers never come: this test plays them.
    gateway.services.institutions.faults.unavailable["BOC"] = {"LOAN_SUBMIT"}
    order = (await apply(gateway, cards, signer))["order"]
    await answer(bank, order["number"], "APPROVED")
    approved = await wait_order(gateway, signer.token, order["number"], "APPROVED")
    assert [h["status"] for h in approved["history"]] == ["SUBMITTED", "ACCEPTED", "APPROVED"]
    # The ACCEPTED that was overtaken, and the approval again: nothing moves back.
    await answer(bank, order["number"], "ACCEPTED")
    await answer(bank, order["number"], "APPROVED")
    still = await wait_order(gateway, signer.token, order["number"], "APPROVED")
    assert len(still["history"]) == 3
