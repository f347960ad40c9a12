"""Issued policies (TI-6, TI-7, TI-8): the e-policy says what the policy is (保单编号, both customs,
the rate, the invoice) and carries the insurer's visible seal and signature; letters are
labelled as letters; policies expire after their end date; claims are found by part of the
policy number; the premium is paid online through the insurer, which confirms or refuses the
payment through its signed webhook."""

from __future__ import annotations

import asyncio
import base64
import subprocess
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from PIL import Image

from integrations import documents
from tests.agreements import CARD, Signer
from tests.api.test_tariff_insurance import insurer_event, issued_policy, signer
from tests.cards import Cards, card_login
from tests.insurance import (
    APPLY_POLICY,
    add_insurers,
    approved_quota,
    authorise,
    policy_form,
)
from tests.support import Gateway, uscc_for

pytestmark = pytest.mark.req("TI-6", "TI-7", "TI-8")
__all__ = ["signer"]

POLICY = """query($n: String) { tariffPolicies(filter: {policyNumber: $n}) { nodes {
  id applicationNumber policyNumber status premium paymentStatus paymentAmount
  paymentReceiptNumber paymentReason paidAt viewerCanPay
  ePolicy { signerCardNumber dataUrl } history { status paymentStatus reason } } } }"""
PAY = """mutation($id: ID!) { tariffPolicyPay(id: $id) {
  policy { status paymentStatus paymentAmount } userErrors { code field message } } }"""
LETTERS = "{ creditAuthorisations { nodes { status document { dataUrl } } } }"
CLAIMS = """query($n: String) { insuranceClaims(filter: {policyNumber: $n}) { totalCount
  nodes { policyNumber payoutAmount } } }"""


def pdf_of(data_url: str) -> bytes:
    return base64.b64decode(data_url.split(",", 1)[1])


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return done.stdout.decode()


def red_pixels(pdf: bytes, tmp_path: Path) -> int:
    """Red ink on the document's last page as poppler draws it: the seal is the only red."""
    path = tmp_path / "seal.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(path), str(tmp_path / "page")], check=True)
    page = sorted(tmp_path.glob("page*.png"))[-1]
    image = Image.open(page).convert("RGB")
    return sum(1 for r, g, b in image.getdata() if r > 170 and g < 90 and b < 90)


async def one_policy(gateway: Gateway, number: str, token: str) -> dict[str, Any]:
    data = await gateway.gql(POLICY, {"n": number}, token=token)
    return data["tariffPolicies"]["nodes"][0]  # type: ignore[no-any-return]


async def test_ti6_the_e_policy_says_what_the_policy_is_with_the_insurers_seal(
    gateway: Gateway, cards: Cards, signer: Signer, tmp_path: Path
) -> None:
    insurers = await add_insurers(gateway)
    quota = await approved_quota(gateway, cards, signer, insurers)
    issued = await issued_policy(gateway, signer, quota)
    policy = await one_policy(gateway, issued["policyNumber"], signer.token)
    pdf = pdf_of(policy["ePolicy"]["dataUrl"])
    content = pdf_text(pdf, tmp_path)
    assert f"保单编号：{issued['policyNumber']}" in content
    assert "协议编号" not in content
    for line in (
        f"投保单编号：{issued['applicationNumber']}",
        "被保险人注册海关：沈阳关区（0800）",
        "被保险人通关海关：大连关区（0900）",
        "保险费率：1.80%",
        "保险费：人民币18,000.00元",
        "发票类型：电子发票",
        "企业税号：91210100MA0TEST01X",
        "开户银行：中国银行沈阳分行",
        "联系人电话：024-88880000",
        "联系人邮箱：finance@example.cn",
        "保险人（签章）",
    ):
        assert line in content, line
    assert red_pixels(pdf, tmp_path) > 300  # the seal is drawn, not a blank space
    roots = [r.public_bytes(Encoding.DER) for r in gateway.services.card_verifier.roots]
    reports = await documents.validate(pdf, roots)
    assert [(r.field_name, r.intact, r.valid, r.trusted) for r in reports] == [
        ("Insurer", True, True, True)
    ]
    # The signer is the insurer's certificate, not the policy.
    assert policy["ePolicy"]["signerCardNumber"] == reports[0].signer_serial
    assert policy["ePolicy"]["signerCardNumber"] != issued["policyNumber"]


async def test_ti4_the_credit_check_letter_is_labelled_a_letter_with_its_validity(
    gateway: Gateway, cards: Cards, signer: Signer, tmp_path: Path
) -> None:
    insurers = await add_insurers(gateway)
    await authorise(gateway, cards, signer, insurers["PAIC"])
    letter = (await gateway.gql(LETTERS, token=signer.token))["creditAuthorisations"]["nodes"][0]
    content = pdf_text(pdf_of(letter["document"]["dataUrl"]), tmp_path)
    assert "授权书编号" in content
    assert "协议编号" not in content
    assert "有效期" in content
    assert "授权人（签章）" in content


async def test_ti6_an_issued_policy_expires_after_its_end_date(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    insurers = await add_insurers(gateway)
    quota = await approved_quota(gateway, cards, signer, insurers)
    today = gateway.services.clock.today()
    issued = await issued_policy(
        gateway, signer, quota, endDate=(today + timedelta(days=10)).isoformat()
    )
    gateway.services.clock.advance(timedelta(days=12))
    try:
        signer.token = (await card_login(gateway, cards, CARD))["token"]
        # Before any job: EXPIRED on read, and in the filters.
        assert (await one_policy(gateway, issued["policyNumber"], signer.token))[
            "status"
        ] == "EXPIRED"
        by_status = """query($s: TariffPolicyStatus) { tariffPolicies(filter: {status: $s}) {
          totalCount } }"""
        for status, count in (("EXPIRED", 1), ("ISSUED", 0)):
            found = await gateway.gql(by_status, {"s": status}, token=signer.token)
            assert found["tariffPolicies"]["totalCount"] == count, status
        scheduler = gateway.app.state.scheduler  # type: ignore[union-attr]
        assert await scheduler.run("quota-expiry") == 1
        assert await scheduler.run("quota-expiry") == 0
        policy = await one_policy(gateway, issued["policyNumber"], signer.token)
        assert [h["status"] for h in policy["history"]] == ["SUBMITTED", "ISSUED", "EXPIRED"]
    finally:
        gateway.services.clock.advance(timedelta(days=-12))


@pytest.mark.req("TI-7")
async def test_ti7_claims_are_found_by_part_of_the_policy_number(
    gateway: Gateway, signer: Signer
) -> None:
    await add_insurers(gateway)
    for report, number in (("R-1", "13676003900157122949"), ("R-2", "322382019000000000011")):
        claim = {
            "type": "CLAIM_REPORTED",
            "reportNumber": report,
            "policyNumber": number,
            "enterpriseName": "测试进出口有限公司1",
            "enterpriseUscc": uscc_for(1),
            "payoutAmount": "22",
            "incidentAt": "2026-09-03T22:30:00+08:00",
            "paidAt": "2026-09-05T21:14:55+08:00",
        }
        assert await insurer_event(gateway, "PAIC", claim) == 200
    for typed, found in (
        ("157122", ["13676003900157122949"]),
        (" 019000 ", ["322382019000000000011"]),
        ("0", ["13676003900157122949", "322382019000000000011"]),
        ("%", []),
        ("_", []),
        ("999999", []),
    ):
        data = (await gateway.gql(CLAIMS, {"n": typed}, token=signer.token))["insuranceClaims"]
        assert sorted(n["policyNumber"] for n in data["nodes"]) == found, typed
    everything = (await gateway.gql(CLAIMS, {"n": "2"}, token=signer.token))["insuranceClaims"]
    assert {n["payoutAmount"] for n in everything["nodes"]} == {"22.00"}


async def wait_for_payment(
    gateway: Gateway, number: str, token: str, status: str, timeout: float = 10
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        policy = await one_policy(gateway, number, token)
        if policy["paymentStatus"] == status or time.monotonic() > deadline:
            assert policy["paymentStatus"] == status, policy
            return policy
        await asyncio.sleep(0.05)


async def test_ti8_the_premium_is_paid_online_and_the_insurer_confirms_it(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    insurers = await add_insurers(gateway)
    quota = await approved_quota(gateway, cards, signer, insurers)
    issued = await issued_policy(gateway, signer, quota, coverage="1000.00")
    number = issued["policyNumber"]
    policy = await one_policy(gateway, number, signer.token)
    assert (policy["paymentStatus"], policy["viewerCanPay"]) == ("UNPAID", True)
    paid = (await gateway.gql(PAY, {"id": policy["id"]}, token=signer.token))["tariffPolicyPay"]
    assert paid["userErrors"] == []
    assert paid["policy"]["paymentStatus"] == "PROCESSING"
    assert paid["policy"]["paymentAmount"] == "200.00"
    done = await wait_for_payment(gateway, number, signer.token, "PAID")
    assert done["paymentReceiptNumber"]
    assert done["paidAt"]
    assert not done["viewerCanPay"]
    assert [(h["status"], h["paymentStatus"]) for h in done["history"]] == [
        ("SUBMITTED", None),
        ("ISSUED", None),
        ("ISSUED", "PROCESSING"),
        ("ISSUED", "PAID"),
    ]
    listed = """{ tariffPolicies(filter: {paymentStatus: PAID}) { totalCount nodes { paymentStatus } } }"""
    assert (await gateway.gql(listed, token=signer.token))["tariffPolicies"]["totalCount"] == 1
    before = await gateway.snapshot()
    again = (await gateway.gql(PAY, {"id": policy["id"]}, token=signer.token))["tariffPolicyPay"]
    assert [e["code"] for e in again["userErrors"]] == ["PREMIUM_NOT_PAYABLE"]
    # A confirmation the insurer sends twice, or for another attempt, changes nothing (422).
    confirmation = {
        "type": "POLICY_DECIDED",
        "reference": issued["applicationNumber"],
        "decision": "PREMIUM_PAID",
        "paymentId": "PAY-unknown",
        "amount": "200.00",
        "paidAt": "2026-12-01T10:00:00+08:00",
    }
    assert await insurer_event(gateway, "PAIC", confirmation) == 422
    assert await gateway.snapshot() == before


async def test_ti8_the_insurer_refuses_a_payment_that_is_not_its_premium(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    insurers = await add_insurers(gateway)
    quota = await approved_quota(gateway, cards, signer, insurers)
    issued = await issued_policy(gateway, signer, quota, coverage="1000.00")
    number = issued["policyNumber"]
    simulator = gateway.services.institutions.simulator("PAIC", "INSURER")
    # The insurer's books say 250.00 (it re-rated the policy): our 200.00 is refused.
    simulator.premiums[number] = Decimal("250.00")  # type: ignore[attr-defined]
    policy = await one_policy(gateway, number, signer.token)
    await gateway.gql(PAY, {"id": policy["id"]}, token=signer.token)
    refused = await wait_for_payment(gateway, number, signer.token, "REFUSED")
    assert "200.00" in refused["paymentReason"]
    assert "250.00" in refused["paymentReason"]
    assert refused["viewerCanPay"]
    assert refused["history"][-1] == {
        "status": "ISSUED",
        "paymentStatus": "REFUSED",
        "reason": refused["paymentReason"],
    }
    # The books are put right: paid again, and confirmed.
    simulator.premiums[number] = Decimal("200.00")  # type: ignore[attr-defined]
    again = (await gateway.gql(PAY, {"id": policy["id"]}, token=signer.token))["tariffPolicyPay"]
    assert again["userErrors"] == []
    assert (await wait_for_payment(gateway, number, signer.token, "PAID"))["paymentReason"] is None


async def test_ti8_a_payment_is_one_at_a_time_and_only_of_an_issued_policy(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    insurers = await add_insurers(gateway)
    quota = await approved_quota(gateway, cards, signer, insurers)
    issued = await issued_policy(gateway, signer, quota, coverage="1000.00")
    # The insurer cannot be reached: the payment stays PROCESSING.
    gateway.services.institutions.faults.unavailable["PAIC"] = {"PREMIUM_PAY", "POLICY_APPLY"}
    policy = await one_policy(gateway, issued["policyNumber"], signer.token)
    first = (await gateway.gql(PAY, {"id": policy["id"]}, token=signer.token))["tariffPolicyPay"]
    assert first["policy"]["paymentStatus"] == "PROCESSING"
    second = (await gateway.gql(PAY, {"id": policy["id"]}, token=signer.token))["tariffPolicyPay"]
    assert [e["code"] for e in second["userErrors"]] == ["PREMIUM_PAYMENT_PENDING"]
    # An application the insurer has not issued has no premium to pay.
    today = gateway.services.clock.today()
    form = policy_form(quota["id"], today, coverage="1000.00", invoice={"type": "NONE"})
    submitted = (await gateway.gql(APPLY_POLICY, {"input": form}, token=signer.token))[
        "tariffPolicyApply"
    ]["policy"]
    unpaid = (await gateway.gql(PAY, {"id": submitted["id"]}, token=signer.token))[
        "tariffPolicyPay"
    ]
    assert [e["code"] for e in unpaid["userErrors"]] == ["PREMIUM_NOT_PAYABLE"]
    # A confirmation with an amount that is not a number is refused for good.
    payment_id = await _payment_id(gateway)
    confirmation = {
        "type": "POLICY_DECIDED",
        "reference": issued["applicationNumber"],
        "decision": "PREMIUM_PAID",
        "paymentId": payment_id,
        "paidAt": "2026-12-01T10:00:00+08:00",
    }
    for bad in ("NaN", "Infinity", "199.99"):
        assert await insurer_event(gateway, "PAIC", {**confirmation, "amount": bad}) == 422, bad
    assert await insurer_event(gateway, "PAIC", {**confirmation, "amount": "200.00"}) == 200
    done = await one_policy(gateway, issued["policyNumber"], signer.token)
    assert done["paymentStatus"] == "PAID"


async def _payment_id(gateway: Gateway) -> str:
    from sqlalchemy import text

    async with gateway.services.sessionmaker() as db:
        row = await db.exec(  # type: ignore[call-overload]
            text("SELECT payment_id FROM tariff_policy WHERE payment_id IS NOT NULL")
        )
        return str(row.scalar_one())
