"""The rules of tariff insurance's forms and states, through the GraphQL API (TI-3..TI-6):

- the three-party agreement comes first (the guide: "使用'单一窗口'关税保证保险服务首先需要企业签署此文书");
- the customs code is ten digits of a known region and agrees with the enterprise's own customs
  registration; a policy's registered customs is its quota's;
- the credit-check letter is valid for a year ("有效期一年") and an expired one does not count;
- an expired quota reads EXPIRED at once and is re-applied for; so is a FAILED one, never doubled;
- phones where the manual says 电话 take landlines, bank accounts are digits.

Every refusal is a userError with a stable code and writes nothing.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import text

from models import Qualification
from tests.agreements import CARD, Signer
from tests.api.test_tariff_insurance import first_quota, sign_guarantee_agreement, signer
from tests.cards import Cards, card_login
from tests.insurance import (
    APPLY_POLICY,
    APPLY_QUOTA,
    AUTHORISATIONS,
    AUTHORISE,
    QUOTAS,
    add_insurers,
    approved_quota,
    authorise,
    policy_form,
    quota_form,
    wait_until,
)
from tests.support import Gateway

pytestmark = pytest.mark.req("TI-3", "TI-4", "TI-5", "TI-6")
__all__ = ["signer"]

REAPPLY = """mutation($id: ID!, $input: TariffQuotaInput!) { tariffQuotaReapply(id: $id, input: $input) {
  quota { status history { kind } } userErrors { code field message } } }"""
LETTERS = """query($filter: CreditAuthorisationFilter) { creditAuthorisations(filter: $filter) {
  totalCount nodes { number status signedAt validFrom validTo } } }"""


def codes(payload: dict) -> list[tuple[str, list[str] | None]]:  # type: ignore[type-arg]
    return [(e["code"], e["field"]) for e in payload["userErrors"]]


async def apply_quota(gateway: Gateway, signer: Signer, form: dict) -> dict:  # type: ignore[type-arg]
    return (await gateway.gql(APPLY_QUOTA, {"input": form}, token=signer.token))[  # type: ignore[no-any-return]
        "tariffQuotaApply"
    ]


@pytest.mark.req("TI-3")
async def test_ti4_the_three_party_agreement_comes_before_the_credit_check_and_the_quota(
    gateway: Gateway, cards: Cards, make_signer_without_agreement: Signer
) -> None:
    bare = make_signer_without_agreement
    insurers = await add_insurers(gateway)
    before = await gateway.snapshot()
    data = {
        "insurerId": insurers["PAIC"],
        "sealId": bare.seal_id,
        "certificate": cards.agent.signing_certificate(CARD),
    }
    refused = (await gateway.gql(AUTHORISE, {"input": data}, token=bare.token))[
        "creditAuthorisationSignPrepare"
    ]
    assert codes(refused) == [("THREE_PARTY_AGREEMENT_REQUIRED", ["insurerId"])]
    applied = await apply_quota(gateway, bare, quota_form(insurers["PAIC"]))
    assert codes(applied) == [("THREE_PARTY_AGREEMENT_REQUIRED", ["insurerId"])]
    assert "三方协议" in applied["userErrors"][0]["message"]
    english = await gateway.gql(
        APPLY_QUOTA, {"input": quota_form(insurers["PAIC"])}, token=bare.token, locale="en"
    )
    message = english["tariffQuotaApply"]["userErrors"][0]["message"]
    assert "three-party agreement" in message
    assert await gateway.snapshot() == before

    await sign_guarantee_agreement(gateway, cards, bare)
    done = await authorise(gateway, cards, bare, insurers["PAIC"])
    assert done["userErrors"] == []


@pytest.fixture
async def make_signer_without_agreement(gateway: Gateway, cards: Cards) -> Signer:
    from tests.agreements import make_signer

    return await make_signer(gateway, cards)


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("ABCDEFGHIJ", "CUSTOMS_CODE_FORMAT"),
        ("2101-94010", "CUSTOMS_CODE_FORMAT"),
        ("210194010", "CUSTOMS_CODE_FORMAT"),
        ("0800940109", "CUSTOMS_CODE_FORMAT"),  # 08 is no province
        ("2100940109", "CUSTOMS_CODE_FORMAT"),  # a province without its city
        ("", "REQUIRED"),
    ],
)
async def test_ti5_the_customs_code_is_ten_digits_of_a_known_region(
    gateway: Gateway, signer: Signer, code: str, error: str
) -> None:
    insurers = await add_insurers(gateway)
    before = await gateway.snapshot()
    payload = await apply_quota(gateway, signer, quota_form(insurers["PAIC"], customsCode=code))
    assert (error, ["customsCode"]) in codes(payload)
    assert payload["quota"] is None
    assert await gateway.snapshot() == before


async def test_ti5_the_customs_code_and_registered_customs_agree_with_the_qualifications(
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
    async with gateway.services.sessionmaker() as db:
        enterprise_id = (await db.exec(text("SELECT id FROM enterprise"))).scalar_one()  # type: ignore[call-overload]
        db.add(
            Qualification(
                enterprise_id=enterprise_id, customs_code="2101961234", customs_office="0900"
            )
        )
        await db.commit()
    before = await gateway.snapshot()
    payload = await apply_quota(gateway, signer, quota_form(insurers["PAIC"]))
    assert codes(payload) == [
        ("CUSTOMS_CODE_MISMATCH", ["customsCode"]),
        ("REGISTERED_CUSTOMS_MISMATCH", ["registeredCustoms"]),
    ]
    assert "2101961234" in payload["userErrors"][0]["message"]
    assert "大连关区" in payload["userErrors"][1]["message"]
    assert await gateway.snapshot() == before
    matching = quota_form(insurers["PAIC"], customsCode="2101961234", registeredCustoms="0900")
    assert (await apply_quota(gateway, signer, matching))["userErrors"] == []


async def test_ti6_a_policys_registered_customs_is_its_quotas(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    insurers = await add_insurers(gateway)
    quota = await approved_quota(gateway, cards, signer, insurers)
    today = gateway.services.clock.today()
    before = await gateway.snapshot()
    form = policy_form(quota["id"], today, registeredCustoms="0900")
    payload = (await gateway.gql(APPLY_POLICY, {"input": form}, token=signer.token))[
        "tariffPolicyApply"
    ]
    assert codes(payload) == [("REGISTERED_CUSTOMS_MISMATCH", ["registeredCustoms"])]
    assert "沈阳关区" in payload["userErrors"][0]["message"]
    assert await gateway.snapshot() == before


async def test_ti4_the_credit_check_letter_is_valid_for_a_year_then_expires(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    insurers = await add_insurers(gateway)
    await authorise(gateway, cards, signer, insurers["PAIC"])
    letter = await wait_until(
        gateway,
        LETTERS,
        signer.token,
        lambda d: d["creditAuthorisations"]["nodes"][0],
        "SUCCEEDED",
    )
    today = gateway.services.clock.today()
    assert letter["validFrom"] == today.isoformat()
    last = today.replace(year=today.year + 1) - timedelta(days=1)
    assert letter["validTo"] == last.isoformat()

    # Signed a year and a day ago: expired at once, before any job has run.
    async with gateway.services.sessionmaker() as db:
        await db.exec(  # type: ignore[call-overload]
            text("UPDATE credit_authorisation SET valid_from = :f, valid_to = :t"),
            params={"f": today - timedelta(days=366), "t": today - timedelta(days=1)},
        )
        await db.commit()
    listed = (await gateway.gql(LETTERS, token=signer.token))["creditAuthorisations"]["nodes"]
    assert listed[0]["status"] == "EXPIRED"
    expired = await gateway.gql(LETTERS, {"filter": {"status": "EXPIRED"}}, token=signer.token)
    assert expired["creditAuthorisations"]["totalCount"] == 1
    succeeded = await gateway.gql(LETTERS, {"filter": {"status": "SUCCEEDED"}}, token=signer.token)
    assert succeeded["creditAuthorisations"]["totalCount"] == 0
    before = await gateway.snapshot()
    refused = await apply_quota(gateway, signer, quota_form(insurers["PAIC"]))
    assert codes(refused) == [("CREDIT_AUTHORISATION_EXPIRED", ["insurerId"])]
    assert (today - timedelta(days=1)).isoformat() in refused["userErrors"][0]["message"]
    assert await gateway.snapshot() == before

    # The job writes it down; a new letter may then be signed with the same insurer.
    scheduler = gateway.app.state.scheduler  # type: ignore[union-attr]
    assert await scheduler.run("quota-expiry") == 1
    async with gateway.services.sessionmaker() as db:
        status = (await db.exec(text("SELECT status FROM credit_authorisation"))).scalar_one()  # type: ignore[call-overload]
    assert status == "EXPIRED"
    again = await authorise(gateway, cards, signer, insurers["PAIC"])
    assert again["userErrors"] == []
    await wait_until(
        gateway,
        LETTERS,
        signer.token,
        lambda d: d["creditAuthorisations"]["nodes"][0],
        "SUCCEEDED",
    )
    assert (await apply_quota(gateway, signer, quota_form(insurers["PAIC"])))["userErrors"] == []


async def test_ti5_a_quota_past_its_expiry_reads_expired_at_once_and_is_reapplied_for(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    insurers = await add_insurers(gateway)
    simulator = gateway.services.institutions.simulator("PAIC", "INSURER")
    simulator.rules.quota_validity_days = 1  # type: ignore[attr-defined]
    quota = await approved_quota(gateway, cards, signer, insurers)
    gateway.services.clock.advance(timedelta(days=2))
    try:
        signer.token = (await card_login(gateway, cards, CARD))["token"]
        # No job has run: the quota is EXPIRED all the same.
        state = first_quota(await gateway.gql(QUOTAS, token=signer.token))
        assert state["status"] == "EXPIRED"
        assert state["viewerCanReapply"]
        assert not state["viewerCanApplyForPolicy"]
        assert not state["viewerCanIncrease"]
        by_status = (
            """query($s: TariffQuotaStatus) { tariffQuotas(filter: {status: $s}) { totalCount } }"""
        )
        for status, count in (("EXPIRED", 1), ("APPROVED", 0)):
            found = await gateway.gql(by_status, {"s": status}, token=signer.token)
            assert found["tariffQuotas"]["totalCount"] == count, status
        before = await gateway.snapshot()
        steered = await apply_quota(gateway, signer, quota_form(insurers["PAIC"]))
        assert codes(steered) == [("QUOTA_REAPPLY_REQUIRED", ["insurerId"])]
        assert quota["number"] in steered["userErrors"][0]["message"]
        assert await gateway.snapshot() == before
        again = (
            await gateway.gql(
                REAPPLY,
                {"id": quota["id"], "input": quota_form(insurers["PAIC"])},
                token=signer.token,
            )
        )["tariffQuotaReapply"]
        assert again["userErrors"] == []
        assert [h["kind"] for h in again["quota"]["history"]][-2:] == ["EXPIRED", "REAPPLIED"]
        scheduler = gateway.app.state.scheduler  # type: ignore[union-attr]
        assert await scheduler.run("quota-expiry") == 0
    finally:
        gateway.services.clock.advance(timedelta(days=-2))


async def test_ti5_a_failed_quota_is_reapplied_for_not_applied_for_twice(
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
    too_much = quota_form(insurers["PAIC"], requestedAmount="90000000.00")
    assert (await apply_quota(gateway, signer, too_much))["userErrors"] == []
    failed = await wait_until(gateway, QUOTAS, signer.token, first_quota, "FAILED")
    before = await gateway.snapshot()
    second = await apply_quota(gateway, signer, quota_form(insurers["PAIC"]))
    assert codes(second) == [("QUOTA_REAPPLY_REQUIRED", ["insurerId"])]
    assert "tariffQuotaReapply" in second["userErrors"][0]["message"]
    assert await gateway.snapshot() == before
    assert (await gateway.gql(QUOTAS, token=signer.token))["tariffQuotas"]["totalCount"] == 1
    again = (
        await gateway.gql(
            REAPPLY,
            {"id": failed["id"], "input": quota_form(insurers["PAIC"])},
            token=signer.token,
        )
    )["tariffQuotaReapply"]
    assert again["userErrors"] == []
    approved = await wait_until(gateway, QUOTAS, signer.token, first_quota, "APPROVED")
    assert approved["id"] == failed["id"]


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"contactPhone": "abc"}, "PHONE_FORMAT", "contactPhone"),
        ({"legalRepPhone": "024-8888"}, "PHONE_FORMAT", "legalRepPhone"),
        ({"contactPhone": "123"}, "MOBILE_LENGTH", "contactPhone"),
    ],
)
async def test_ti5_the_quota_forms_phones_are_mobiles_or_landlines(
    gateway: Gateway,
    signer: Signer,
    changes: dict,
    error: str,
    field: str,  # type: ignore[type-arg]
) -> None:
    insurers = await add_insurers(gateway)
    before = await gateway.snapshot()
    payload = await apply_quota(gateway, signer, quota_form(insurers["PAIC"], **changes))
    assert (error, [field]) in codes(payload)
    assert await gateway.snapshot() == before


async def test_ti5_a_landline_is_a_phone_of_the_quota_form(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    insurers = await add_insurers(gateway)
    quota = await approved_quota(
        gateway,
        cards,
        signer,
        insurers,
        contactPhone="024 8888 0000",
        legalRepPhone="0411-82732333",
    )
    assert quota["status"] == "APPROVED"
    fields = "{ tariffQuotas { nodes { contactPhone legalRepPhone } } }"
    shown = (await gateway.gql(fields, token=signer.token))["tariffQuotas"]["nodes"][0]
    assert shown == {"contactPhone": "024-88880000", "legalRepPhone": "0411-82732333"}


@pytest.mark.parametrize(
    ("invoice", "error", "field"),
    [
        ({"phone": "abc"}, "PHONE_FORMAT", "phone"),
        ({"phone": "1234"}, "MOBILE_LENGTH", "phone"),
        ({"bankAccount": "ABC-not-an-account"}, "BANK_ACCOUNT_FORMAT", "bankAccount"),
        ({"bankAccount": "1234567"}, "BANK_ACCOUNT_FORMAT", "bankAccount"),
        ({"bankAccount": "1" * 31}, "BANK_ACCOUNT_FORMAT", "bankAccount"),
        ({"taxNumber": "91210100MA0TEST01"}, "TAX_NUMBER_FORMAT", "taxNumber"),
    ],
)
async def test_ti6_invoice_phones_and_bank_accounts_are_checked(
    gateway: Gateway,
    cards: Cards,
    signer: Signer,
    invoice: dict,  # type: ignore[type-arg]
    error: str,
    field: str,
) -> None:
    insurers = await add_insurers(gateway)
    quota = await approved_quota(gateway, cards, signer, insurers)
    today = gateway.services.clock.today()
    before = await gateway.snapshot()
    form = policy_form(
        quota["id"],
        today,
        invoice={"type": "PAPER_SPECIAL", "bankAccount": "6222021234567890123", **invoice},
    )
    payload = (await gateway.gql(APPLY_POLICY, {"input": form}, token=signer.token))[
        "tariffPolicyApply"
    ]
    assert (error, ["invoice", field]) in codes(payload)
    assert await gateway.snapshot() == before


async def test_ti6_a_landline_and_a_bank_account_with_spaces_are_taken(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    insurers = await add_insurers(gateway)
    quota = await approved_quota(gateway, cards, signer, insurers)
    today = gateway.services.clock.today()
    invoice = {
        "type": "PAPER_SPECIAL",
        "phone": "0411 8273 2333",
        "bankAccount": "6222 0212 3456 7890 123",
    }
    form = policy_form(quota["id"], today, invoice=invoice)
    payload = (await gateway.gql(APPLY_POLICY, {"input": form}, token=signer.token))[
        "tariffPolicyApply"
    ]
    assert payload["userErrors"] == []
    assert payload["policy"]["invoice"]["bankAccount"] == "6222021234567890123"
    assert Decimal(payload["policy"]["coverage"]) == Decimal("1000000")
