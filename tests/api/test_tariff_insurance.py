"""Tariff guarantee insurance through the GraphQL API (TI-1, TI-4, TI-5, TI-6, TI-7, GW-2, GW-4):
credit-check authorisation signed by card, quotas decided by the simulated insurer through its
signed webhook, policies holding and consuming the quota atomically, e-policies signed by the
insurer, expiry by the scheduled job, shared claims, and every bad input writing nothing."""

from __future__ import annotations

import asyncio
import base64
import time
from datetime import timedelta
from decimal import Decimal

import orjson
import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from integrations import documents
from integrations.credit import customs_rating
from integrations.institutions import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature
from tests.agreements import CARD, Signer, sign, wait_for
from tests.api.test_bank_portal import portal_user
from tests.cards import Cards, card_login
from tests.insurance import (
    APPLY_POLICY,
    APPLY_QUOTA,
    AUTHORISATIONS,
    AUTHORISE,
    POLICIES,
    QUOTAS,
    add_insurers,
    approved_quota,
    authorise,
    policy_form,
    quota_form,
    wait_until,
)
from tests.support import Gateway, uscc_for

pytestmark = pytest.mark.req("TI-1", "TI-4", "TI-5", "TI-6", "GW-2")

REAPPLY = """mutation($id: ID!, $input: TariffQuotaInput!) { tariffQuotaReapply(id: $id, input: $input) {
  quota { status requestedAmount approvedTotal history { kind } } userErrors { code field } } }"""
INCREASE = """mutation($id: ID!, $amount: Decimal!) { tariffQuotaIncrease(id: $id, amount: $amount) {
  quota { status pendingIncrease } userErrors { code field } } }"""
CLAIMS = """query($filter: InsuranceClaimFilter) { insuranceClaims(filter: $filter) { totalCount nodes {
  reportNumber enterpriseName insuredName policyNumber insuranceType payoutAmount currency incidentAt paidAt
  insurer { code } } } }"""


async def sign_guarantee_agreement(gateway: Gateway, cards: Cards, signer: Signer) -> None:
    """The three-party agreement the guide has the legal person sign before tariff insurance
    (a user binding with BOC), SIGNED by the simulated bank."""
    done = (await sign(gateway, cards, signer, ["USER_BINDING"]))["agreement"]
    await wait_for(gateway, signer.token, done["number"], "SIGNED")


@pytest.fixture
async def signer(signer: Signer, gateway: Gateway, cards: Cards) -> Signer:
    """The conftest's legal person, with a SIGNED three-party agreement."""
    await sign_guarantee_agreement(gateway, cards, signer)
    return signer


async def insurer_event(gateway: Gateway, code: str, event: dict) -> int:  # type: ignore[type-arg]
    """POST one event to the insurer's webhook, signed with its own secret (a real insurer's
    callback, not the simulator's); returns the HTTP status."""
    secret = gateway.services.institutions.secret(code)
    assert secret is not None
    body = orjson.dumps({"eventId": f"test-{time.monotonic_ns()}", **event})
    stamp = str(int(time.time()))
    answer = await gateway.http.post(
        f"/webhooks/insurers/{code}",
        content=body,
        headers={TIMESTAMP_HEADER: stamp, SIGNATURE_HEADER: signature(secret, stamp, body)},
    )
    return answer.status_code


async def issued_policy(
    gateway: Gateway,
    signer: Signer,
    quota: dict,
    **changes: object,  # type: ignore[type-arg]
) -> dict:  # type: ignore[type-arg]
    """A policy applied for from ``quota`` and issued by the simulated insurer."""
    today = gateway.services.clock.today()
    form = policy_form(quota["id"], today, **changes)
    applied = (await gateway.gql(APPLY_POLICY, {"input": form}, token=signer.token))[
        "tariffPolicyApply"
    ]
    assert applied["userErrors"] == [], applied
    number = applied["policy"]["applicationNumber"]

    def pick(data: dict) -> dict:  # type: ignore[type-arg]
        return next(p for p in data["tariffPolicies"]["nodes"] if p["applicationNumber"] == number)

    return await wait_until(gateway, POLICIES, signer.token, pick, "ISSUED")


def first_quota(data: dict) -> dict:  # type: ignore[type-arg]
    return data["tariffQuotas"]["nodes"][0]  # type: ignore[no-any-return]


def first_policy(data: dict) -> dict:  # type: ignore[type-arg]
    return data["tariffPolicies"]["nodes"][0]  # type: ignore[no-any-return]


async def test_ti4_the_credit_check_authorisation_is_signed_and_answered(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    insurers = await add_insurers(gateway)
    before = await gateway.snapshot()
    wrong = {"insurerId": signer.banks["BOC"], "sealId": signer.seal_id, "certificate": "x"}
    refused = (await gateway.gql(AUTHORISE, {"input": wrong}, token=signer.token))[
        "creditAuthorisationSignPrepare"
    ]
    assert {"code": "NOT_FOUND", "field": ["insurerId"]} in refused["userErrors"]
    assert await gateway.snapshot() == before
    done = await authorise(gateway, cards, signer, insurers["PAIC"])
    assert done["creditAuthorisation"]["status"] == "SUBMITTED"
    listed = await wait_until(
        gateway,
        AUTHORISATIONS,
        signer.token,
        lambda d: d["creditAuthorisations"]["nodes"][0],
        "SUCCEEDED",
    )
    assert listed["insurer"] == {"code": "PAIC", "name": "中国平安财产保险股份有限公司"}
    assert listed["number"] == done["creditAuthorisation"]["number"]
    pdf = base64.b64decode(listed["document"]["dataUrl"].split(",", 1)[1])
    roots = [r.public_bytes(Encoding.DER) for r in gateway.services.card_verifier.roots]
    reports = await documents.validate(pdf, roots)
    assert [(r.intact, r.valid, r.trusted) for r in reports] == [(True, True, True)]
    again = await gateway.gql(
        AUTHORISE,
        {
            "input": {
                **wrong,
                "insurerId": insurers["PAIC"],
                "certificate": cards.agent.signing_certificate("2100000601"),
            }
        },
        token=signer.token,
    )
    assert again["creditAuthorisationSignPrepare"]["userErrors"] == [
        {"code": "CREDIT_AUTHORISATION_EXISTS", "field": ["insurerId"]}
    ]


async def test_ti4_an_operator_needs_the_tariff_insurance_permission(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    from tests.api.test_operators import CREATE, operator_input
    from tests.cards import card_login
    from tests.support import resident_id

    insurers = await add_insurers(gateway)
    admin = await gateway.token_for("admin0001")
    await gateway.gql(CREATE, {"input": operator_input(81)}, token=admin)
    cards.issue("2100000681", "OPERATOR", uscc_for(1), resident_id(81, "19900101"))
    operator = (await card_login(gateway, cards, "2100000681"))["token"]
    data = {
        "insurerId": insurers["PAIC"],
        "sealId": signer.seal_id,
        "certificate": cards.agent.signing_certificate("2100000681"),
    }
    errors = await gateway.gql_errors(AUTHORISE, {"input": data}, token=operator)
    assert errors[0]["extensions"] == {
        "code": "FORBIDDEN",
        "reason": "PERMISSION_REQUIRED:TARIFF_INSURANCE",
    }
    quota = await gateway.gql_errors(
        APPLY_QUOTA, {"input": quota_form(insurers["PAIC"])}, token=operator
    )
    assert quota[0]["extensions"]["code"] == "FORBIDDEN"


async def test_ti5_a_quota_needs_an_authorisation_and_only_one_is_valid(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    insurers = await add_insurers(gateway)
    before = await gateway.snapshot()
    missing = (
        await gateway.gql(APPLY_QUOTA, {"input": quota_form(insurers["BOCI"])}, token=signer.token)
    )["tariffQuotaApply"]
    assert missing["userErrors"][0]["code"] == "CREDIT_AUTHORISATION_REQUIRED"
    for changes, code, field in (
        ({"requestedAmount": "-1"}, "AMOUNT_INVALID", "requestedAmount"),
        ({"customsCode": "12345"}, "CUSTOMS_CODE_FORMAT", "customsCode"),
        ({"registeredCustoms": "9999"}, "CUSTOMS_UNKNOWN", "registeredCustoms"),
        ({"contactPhone": "123"}, "MOBILE_LENGTH", "contactPhone"),
    ):
        payload = (
            await gateway.gql(
                APPLY_QUOTA, {"input": quota_form(insurers["PAIC"], **changes)}, token=signer.token
            )
        )["tariffQuotaApply"]
        assert {"code": code, "field": [field]} in [
            {"code": e["code"], "field": e["field"]} for e in payload["userErrors"]
        ]
    assert await gateway.snapshot() == before

    quota = await approved_quota(gateway, cards, signer, insurers)
    assert Decimal(quota["approvedTotal"]) == Decimal("5000000")
    assert Decimal(quota["remaining"]) == Decimal("5000000")
    assert Decimal(quota["rate"]) == Decimal("1.80")
    assert quota["enterpriseName"]
    assert quota["registeredCustoms"]["name"] == "沈阳关区"
    assert [h["kind"] for h in quota["history"]] == ["APPLIED", "RECEIVED", "APPROVED"]
    assert quota["viewerCanIncrease"]
    assert quota["viewerCanApplyForPolicy"]
    before = await gateway.snapshot()
    second = (
        await gateway.gql(APPLY_QUOTA, {"input": quota_form(insurers["PAIC"])}, token=signer.token)
    )["tariffQuotaApply"]
    assert second["userErrors"][0]["code"] == "QUOTA_EXISTS"
    assert await gateway.snapshot() == before


async def test_ti1_an_enterprise_rated_dishonest_by_customs_gets_no_quota(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    insurers = await add_insurers(gateway)
    await authorise(gateway, cards, signer, insurers["PAIC"])
    await wait_until(
        gateway,
        AUTHORISATIONS,
        signer.token,
        lambda d: d["creditAuthorisations"]["nodes"][0],
        "SUCCEEDED",
    )
    gateway.services.credit.set(uscc_for(1), [customs_rating(uscc_for(1), "DISHONEST")])  # type: ignore[attr-defined]
    eligibility = (
        await gateway.gql(
            "{ tariffInsuranceEligibility { customsCreditRating eligible } }", token=signer.token
        )
    )["tariffInsuranceEligibility"]
    assert eligibility == {"customsCreditRating": "DISHONEST", "eligible": False}
    before = await gateway.snapshot()
    refused = (
        await gateway.gql(APPLY_QUOTA, {"input": quota_form(insurers["PAIC"])}, token=signer.token)
    )["tariffQuotaApply"]
    assert refused["userErrors"][0]["code"] == "CUSTOMS_CREDIT_INELIGIBLE"
    assert await gateway.snapshot() == before


async def test_ti6_a_policy_holds_then_consumes_the_quota_with_the_insurers_e_policy(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    insurers = await add_insurers(gateway)
    quota = await approved_quota(gateway, cards, signer, insurers)
    today = gateway.services.clock.today()
    before = await gateway.snapshot()
    for changes, code, field in (
        ({"coverage": "6000000.00"}, "COVERAGE_EXCEEDS_QUOTA", ["coverage"]),
        ({"endDate": (today + timedelta(days=396)).isoformat()}, "POLICY_TOO_LONG", ["endDate"]),
        (
            {"endDate": (today - timedelta(days=1)).isoformat()},
            "POLICY_END_BEFORE_START",
            ["endDate"],
        ),
        ({"clearanceCustoms": "1234"}, "CUSTOMS_UNKNOWN", ["clearanceCustoms"]),
        (
            {"invoice": {"type": "PAPER_SPECIAL", "taxNumber": None}},
            "REQUIRED",
            ["invoice", "taxNumber"],
        ),
        (
            {"invoice": {"type": "PAPER_SPECIAL", "taxNumber": "91210100MA0TEST01X"}},
            "REQUIRED",
            ["invoice", "bankAccount"],
        ),
    ):
        payload = (
            await gateway.gql(
                APPLY_POLICY,
                {"input": policy_form(quota["id"], today, **changes)},
                token=signer.token,
            )
        )["tariffPolicyApply"]
        assert payload["policy"] is None
        assert code in [e["code"] for e in payload["userErrors"] if e["field"] == field], payload
    assert await gateway.snapshot() == before

    applied = (
        await gateway.gql(
            APPLY_POLICY, {"input": policy_form(quota["id"], today)}, token=signer.token
        )
    )["tariffPolicyApply"]
    assert applied["userErrors"] == []
    policy = applied["policy"]
    assert policy["status"] == "SUBMITTED"
    assert Decimal(policy["premiumEstimate"]) == Decimal("18000.00")
    assert Decimal(policy["quota"]["reserved"]) == Decimal("1000000")
    assert Decimal(policy["quota"]["remaining"]) == Decimal("4000000")
    issued = await wait_until(gateway, POLICIES, signer.token, first_policy, "ISSUED")
    assert issued["policyNumber"]
    assert issued["collectionAccount"]
    assert issued["collectionAccountName"] == "中国平安财产保险股份有限公司收款专户"
    assert Decimal(issued["premium"]) == Decimal("18000.00")
    assert issued["invoice"]["title"]
    assert issued["registeredCustoms"]["name"] == "沈阳关区"
    assert (Decimal(issued["quota"]["used"]), Decimal(issued["quota"]["reserved"])) == (
        Decimal("1000000"),
        Decimal("0"),
    )
    assert [h["status"] for h in issued["history"]] == ["SUBMITTED", "ISSUED"]
    pdf = base64.b64decode(issued["ePolicy"]["dataUrl"].split(",", 1)[1])
    roots = [r.public_bytes(Encoding.DER) for r in gateway.services.card_verifier.roots]
    reports = await documents.validate(pdf, roots)
    assert [(r.field_name, r.intact, r.valid, r.trusted) for r in reports] == [
        ("Insurer", True, True, True)
    ]
    history = first_quota(await gateway.gql(QUOTAS, token=signer.token))["history"]
    assert [h["kind"] for h in history][-2:] == ["RESERVED", "CONSUMED"]
    consumed = history[-1]
    assert (Decimal(consumed["usedBefore"]), Decimal(consumed["usedAfter"])) == (
        Decimal("0"),
        Decimal("1000000"),
    )
    by_number = await gateway.gql(
        POLICIES, {"filter": {"policyNumber": issued["policyNumber"]}}, token=signer.token
    )
    assert by_number["tariffPolicies"]["totalCount"] == 1


async def test_ti6_the_insurers_minimum_premium_is_final(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    insurers = await add_insurers(gateway)
    quota = await approved_quota(gateway, cards, signer, insurers)
    today = gateway.services.clock.today()
    form = policy_form(quota["id"], today, coverage="1000.00", invoice={"type": "NONE"})
    policy = (await gateway.gql(APPLY_POLICY, {"input": form}, token=signer.token))[
        "tariffPolicyApply"
    ]["policy"]
    assert Decimal(policy["premiumEstimate"]) == Decimal("18.00")
    issued = await wait_until(gateway, POLICIES, signer.token, first_policy, "ISSUED")
    assert Decimal(issued["premium"]) == Decimal("200.00")


async def test_ti6_concurrent_applications_never_exceed_the_quota(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    insurers = await add_insurers(gateway)
    quota = await approved_quota(gateway, cards, signer, insurers)
    today = gateway.services.clock.today()
    form = policy_form(quota["id"], today, coverage="3000000.00")
    results = await asyncio.gather(
        *(gateway.gql(APPLY_POLICY, {"input": form}, token=signer.token) for _ in range(4))
    )
    payloads = [r["tariffPolicyApply"] for r in results]
    assert sum(1 for p in payloads if p["policy"]) == 1
    assert (
        sorted(e["code"] for p in payloads for e in p["userErrors"])
        == ["COVERAGE_EXCEEDS_QUOTA"] * 3
    )
    state = first_quota(await gateway.gql(QUOTAS, token=signer.token))
    assert Decimal(state["reserved"]) + Decimal(state["used"]) == Decimal("3000000")


async def test_ti5_an_increase_is_approved_on_its_own_and_kept_in_the_history(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    insurers = await add_insurers(gateway)
    quota = await approved_quota(gateway, cards, signer, insurers)
    bad = (await gateway.gql(INCREASE, {"id": quota["id"], "amount": "0"}, token=signer.token))[
        "tariffQuotaIncrease"
    ]
    assert bad["userErrors"] == [{"code": "AMOUNT_INVALID", "field": ["amount"]}]
    asked = (
        await gateway.gql(INCREASE, {"id": quota["id"], "amount": "1000000"}, token=signer.token)
    )["tariffQuotaIncrease"]
    assert asked["quota"]["pendingIncrease"] == "1000000.00"
    deadline = time.monotonic() + 10
    while True:
        state = first_quota(await gateway.gql(QUOTAS, token=signer.token))
        if state["pendingIncrease"] is None or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.05)
    assert Decimal(state["approvedTotal"]) == Decimal("6000000")
    increased = state["history"][-1]
    assert increased["kind"] == "INCREASED"
    assert (Decimal(increased["totalBefore"]), Decimal(increased["totalAfter"])) == (
        Decimal("5000000"),
        Decimal("6000000"),
    )


async def test_ti5_the_expiry_job_expires_a_quota_which_may_then_be_reapplied_for(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    insurers = await add_insurers(gateway)
    simulator = gateway.services.institutions.simulator("PAIC", "INSURER")
    simulator.rules.quota_validity_days = 1  # type: ignore[attr-defined]
    quota = await approved_quota(gateway, cards, signer, insurers)
    assert quota["expiryDate"] > quota["effectiveDate"]
    scheduler = gateway.app.state.scheduler  # type: ignore[union-attr]
    assert await scheduler.run("quota-expiry") == 0
    refused = (
        await gateway.gql(
            REAPPLY, {"id": quota["id"], "input": quota_form(insurers["PAIC"])}, token=signer.token
        )
    )["tariffQuotaReapply"]
    assert refused["userErrors"] == [{"code": "INVALID_TRANSITION", "field": ["id"]}]
    gateway.services.clock.advance(timedelta(days=2))
    try:
        assert await scheduler.run("quota-expiry") == 1
        assert await scheduler.run("quota-expiry") == 0
        # Two days on, the card session has ended: the legal person logs in again.
        signer.token = (await card_login(gateway, cards, CARD))["token"]
        expired = first_quota(await gateway.gql(QUOTAS, token=signer.token))
        assert expired["status"] == "EXPIRED"
        assert expired["viewerCanReapply"]
        assert not expired["viewerCanApplyForPolicy"]
        form = quota_form(insurers["PAIC"], requestedAmount="2000000")
        again = (
            await gateway.gql(REAPPLY, {"id": quota["id"], "input": form}, token=signer.token)
        )["tariffQuotaReapply"]
        assert again["userErrors"] == []
        assert again["quota"]["status"] == "SUBMITTED"
        assert [h["kind"] for h in again["quota"]["history"]][-2:] == ["EXPIRED", "REAPPLIED"]
    finally:
        gateway.services.clock.advance(timedelta(days=-2))


async def test_ti5_an_insurers_rate_of_minus_one_and_a_forged_webhook_change_nothing(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    insurers = await add_insurers(gateway)
    simulator = gateway.services.institutions.simulator("PAIC", "INSURER")
    simulator.rules.approval_rate = Decimal("-1")  # type: ignore[attr-defined]
    await authorise(gateway, cards, signer, insurers["PAIC"])
    await wait_until(
        gateway,
        AUTHORISATIONS,
        signer.token,
        lambda d: d["creditAuthorisations"]["nodes"][0],
        "SUCCEEDED",
    )
    await gateway.gql(APPLY_QUOTA, {"input": quota_form(insurers["PAIC"])}, token=signer.token)
    await gateway.services.institutions.drain()
    stuck = first_quota(await gateway.gql(QUOTAS, token=signer.token))
    assert stuck["status"] == "RECEIVED"
    assert Decimal(stuck["approvedTotal"]) == 0

    before = await gateway.snapshot()
    body = orjson.dumps(
        {
            "eventId": "forged-1",
            "type": "QUOTA_DECIDED",
            "reference": stuck["number"],
            "decision": "APPROVED",
            "approvedTotal": "90000000",
            "rate": "0.1",
            "effectiveDate": "2026-01-01",
            "expiryDate": "2027-01-01",
        }
    )
    stamp = str(int(time.time()))
    forged = await gateway.http.post(
        "/webhooks/insurers/PAIC",
        content=body,
        headers={
            TIMESTAMP_HEADER: stamp,
            SIGNATURE_HEADER: signature(b"not-the-secret", stamp, body),
        },
    )
    assert forged.status_code == 401
    # A bank's valid signature does not make it an insurer.
    secret = gateway.services.institutions.secret("BOC")
    assert secret is not None
    as_bank = await gateway.http.post(
        "/webhooks/banks/BOC",
        content=body,
        headers={TIMESTAMP_HEADER: stamp, SIGNATURE_HEADER: signature(secret, stamp, body)},
    )
    assert as_bank.status_code == 400
    assert await gateway.snapshot() == before


@pytest.mark.req("TI-7", "GW-4")
async def test_ti7_claims_from_every_insurer_are_shared(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    insurers = await add_insurers(gateway)
    paic = gateway.services.institutions.simulator("PAIC", "INSURER")
    boci = gateway.services.institutions.simulator("BOCI", "INSURER")
    await paic.report_claim(  # type: ignore[attr-defined]
        {
            "reportNumber": "93676004100001984891",
            "policyNumber": "13676003900157122949",
            "enterpriseName": "测试进出口有限公司1",
            "enterpriseUscc": uscc_for(1),
            "payoutAmount": "22.00",
            "incidentAt": "2026-09-03T22:30:00+08:00",
            "paidAt": "2026-09-05T21:14:55+08:00",
        }
    )
    await boci.report_claim(  # type: ignore[attr-defined]
        {
            "reportNumber": "BOCI-2026-0001",
            "policyNumber": "322382019000000000011",
            "enterpriseName": "测试进出口有限公司1",
            "enterpriseUscc": uscc_for(1),
            "insuredName": "中华人民共和国太原海关",
            "payoutAmount": "7000.00",
            "incidentAt": "2026-08-14T00:00:00+08:00",
            "paidAt": "2026-08-21T16:01:58+08:00",
        }
    )
    await boci.report_claim(  # type: ignore[attr-defined]
        {
            "reportNumber": "BOCI-2026-0002",
            "policyNumber": "322382019000000000012",
            "enterpriseName": "另一家进出口有限公司",
            "enterpriseUscc": uscc_for(2),
            "payoutAmount": "100.00",
            "incidentAt": "2026-08-15T00:00:00+08:00",
            "paidAt": "2026-08-22T10:00:00+08:00",
        }
    )
    mine = (await gateway.gql(CLAIMS, token=signer.token))["insuranceClaims"]
    assert mine["totalCount"] == 2
    assert [n["insurer"]["code"] for n in mine["nodes"]] == ["PAIC", "BOCI"]
    assert mine["nodes"][1]["insuredName"] == "中华人民共和国太原海关"
    by_insurer = await gateway.gql(
        CLAIMS, {"filter": {"insurerId": insurers["BOCI"]}}, token=signer.token
    )
    assert by_insurer["insuranceClaims"]["totalCount"] == 1
    by_policy = await gateway.gql(
        CLAIMS, {"filter": {"policyNumber": "13676003900157122949"}}, token=signer.token
    )
    assert by_policy["insuranceClaims"]["nodes"][0]["payoutAmount"] == "22.00"
    # An insurer's portal sees every claim on the platform (shared information).
    portal = await portal_user(gateway, "paicuser01", "PAIC")
    shared = (await gateway.gql(CLAIMS, token=portal))["insuranceClaims"]
    assert shared["totalCount"] == 3
    # A bank's portal is not an insurer.
    bank = await portal_user(gateway, "bocuser09", "BOC")
    errors = await gateway.gql_errors(CLAIMS, token=bank)
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"


@pytest.mark.req("GW-4")
async def test_gw4_an_insurer_sees_its_own_quotas_and_policies_only(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    insurers = await add_insurers(gateway)
    quota = await approved_quota(gateway, cards, signer, insurers)
    paic = await portal_user(gateway, "paicuser02", "PAIC")
    boci = await portal_user(gateway, "bociuser02", "BOCI")
    seen = (await gateway.gql(QUOTAS, token=paic))["tariffQuotas"]
    assert [n["number"] for n in seen["nodes"]] == [quota["number"]]
    assert (await gateway.gql(QUOTAS, token=boci))["tariffQuotas"]["totalCount"] == 0
    node = "query($id: ID!) { node(id: $id) { ... on TariffQuota { number } } }"
    assert (await gateway.gql(node, {"id": quota["id"]}, token=boci))["node"] is None
    assert (await gateway.gql(node, {"id": quota["id"]}, token=paic))["node"] == {
        "number": quota["number"]
    }
    # An insurer's portal user applies for nothing.
    errors = await gateway.gql_errors(
        APPLY_QUOTA, {"input": quota_form(insurers["PAIC"])}, token=paic
    )
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"


@pytest.mark.req("GW-4")
async def test_gw4_the_quota_page_costs_the_same_statements_for_2_or_20_events(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    insurers = await add_insurers(gateway)
    quota = await approved_quota(gateway, cards, signer, insurers)
    today = gateway.services.clock.today()
    page = "query { tariffPolicies(first: 50) { nodes { applicationNumber status insurer { name } quota { remaining } history { status } ePolicy { sha256 } } } }"
    form = policy_form(quota["id"], today, coverage="1000.00", invoice={"type": "NONE"})
    await gateway.gql(APPLY_POLICY, {"input": form}, token=signer.token)
    await gateway.services.institutions.drain()
    with gateway.statements() as few:
        await gateway.gql(page, token=signer.token)
    for _ in range(9):
        await gateway.gql(APPLY_POLICY, {"input": form}, token=signer.token)
    await gateway.services.institutions.drain()
    with gateway.statements() as many:
        result = await gateway.gql(page, token=signer.token)
    assert len(result["tariffPolicies"]["nodes"]) == 10
    assert many[0] == few[0], (few, many)
