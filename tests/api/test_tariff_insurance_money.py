"""Money in tariff insurance is exact on SQLite and PostgreSQL alike (TI-5, TI-6, TI-7): amounts
that drifted as SQLite floats (used 24533052.230000004, reserved 2.3e-10, a quota consumed
exactly showing -0.00) come back to the fen, zero reads 0.00 and rates 1.80; migration 0014
converts what SQLite kept as floats; and an insurer's event with a non-finite amount is refused
with a final 4xx that changes nothing, never a 500 the insurer retries forever."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text

from gateway.database import upgrade_database
from gateway.settings import Settings
from tests.agreements import Signer
from tests.api.test_tariff_insurance import first_quota, insurer_event, issued_policy, signer
from tests.cards import Cards
from tests.conftest import base_settings
from tests.insurance import (
    APPLY_POLICY,
    APPLY_QUOTA,
    AUTHORISATIONS,
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

pytestmark = pytest.mark.req("TI-5", "TI-6", "TI-7")
__all__ = ["signer"]


async def test_ti6_the_quota_adds_up_to_the_fen_and_reads_as_the_manual_shows_it(
    gateway: Gateway, cards: Cards, signer: Signer, settings: Settings
) -> None:
    insurers = await add_insurers(gateway)
    quota = await approved_quota(gateway, cards, signer, insurers, requestedAmount="24533052.33")
    assert (quota["approvedTotal"], quota["used"], quota["reserved"]) == (
        "24533052.33",
        "0.00",
        "0.00",
    )
    assert quota["rate"] == "1.80"
    assert quota["history"][0]["totalBefore"] == "0.00"
    # 0.10 + 0.20 is 0.30000000000000004 as floats; 24533052.23 was 24533052.230000004. (The
    # simulated insurer issues at most 10,000,000 a policy.)
    for coverage in ("9999999.99", "9999999.99", "4533051.95", "0.10", "0.20"):
        await issued_policy(gateway, signer, quota, coverage=coverage, invoice={"type": "NONE"})
    state = first_quota(await gateway.gql(QUOTAS, token=signer.token))
    assert (state["used"], state["reserved"], state["remaining"]) == ("24533052.23", "0.00", "0.10")
    assert [h["usedAfter"] for h in state["history"] if h["kind"] == "CONSUMED"] == [
        "9999999.99",
        "19999999.98",
        "24533051.93",
        "24533052.03",
        "24533052.23",
    ]
    # The last ten fen: consumed exactly, the remainder is 0.00, not -0.00 or 2.3e-10.
    await issued_policy(gateway, signer, quota, coverage="0.10", invoice={"type": "NONE"})
    state = first_quota(await gateway.gql(QUOTAS, token=signer.token))
    assert (state["used"], state["reserved"], state["remaining"]) == (
        "24533052.33",
        "0.00",
        "0.00",
    )
    assert not state["viewerCanApplyForPolicy"]
    policy = (await gateway.gql(POLICIES, token=signer.token))["tariffPolicies"]["nodes"][0]
    assert (policy["coverage"], policy["rate"], policy["premiumEstimate"]) == (
        "0.10",
        "1.80",
        "0.00",
    )
    assert policy["premium"] == "200.00"
    async with gateway.services.sessionmaker() as db:
        stored = (await db.exec(text("SELECT used, reserved FROM tariff_quota"))).one()  # type: ignore[call-overload]
    if settings.is_sqlite:
        assert tuple(stored) == (2453305233, 0)  # whole fen
    else:
        assert tuple(stored) == (Decimal("24533052.33"), Decimal("0.00"))


async def test_ti6_coverage_of_a_fen_more_than_remains_is_refused(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    insurers = await add_insurers(gateway)
    quota = await approved_quota(gateway, cards, signer, insurers, requestedAmount="1000.30")
    await issued_policy(gateway, signer, quota, coverage="1000.00", invoice={"type": "NONE"})
    today = gateway.services.clock.today()
    before = await gateway.snapshot()
    form = policy_form(quota["id"], today, coverage="0.31", invoice={"type": "NONE"})
    payload = (await gateway.gql(APPLY_POLICY, {"input": form}, token=signer.token))[
        "tariffPolicyApply"
    ]
    assert [e["code"] for e in payload["userErrors"]] == ["COVERAGE_EXCEEDS_QUOTA"]
    assert "0.30" in payload["userErrors"][0]["message"]
    assert await gateway.snapshot() == before


@pytest.mark.req("GW-1")
def test_migration_0014_turns_sqlites_float_money_into_whole_fen(tmp_path: Path) -> None:
    settings = base_settings(data_dir=tmp_path)
    upgrade_database(settings, "0013")
    path = tmp_path / "gateway.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO tariff_quota (id, number, enterprise_id, institution_id, status, "
            "requested_amount, approved_total, used, reserved, rate, enterprise_name, "
            "contact_name, legal_rep_name, address, customs_code, registered_customs, email, "
            "contact_phone, legal_rep_phone, applied_by_account_id, submitted_at, updated_at) "
            "VALUES (1, 'Q1', 1, 1, 'APPROVED', 30000000, 30000000, 24533052.230000004, 2.3e-10,"
            " 1.8, 'e', 'c', 'l', 'a', '2101940109', '0800', 'e@example.cn', '13312340001',"
            " '13312340002', 1, '2026-11-30 17:00:00', '2026-11-30 17:00:00')"
        )
        db.execute(
            "INSERT INTO insurance_claim (id, institution_id, report_number, enterprise_name, "
            "policy_number, insurance_type, payout_amount, currency, incident_at, paid_at, "
            "received_at) VALUES (1, 1, 'R1', 'e', 'P1', 't', 7000.000000001, 'CNY', "
            "'2026-08-13 16:00:00', '2026-08-21 08:01:58', '2026-08-21 08:01:58')"
        )
    upgrade_database(settings)
    with sqlite3.connect(path) as db:
        quota = db.execute("SELECT used, typeof(used), reserved, rate FROM tariff_quota").fetchone()
        claim = db.execute("SELECT payout_amount FROM insurance_claim").fetchone()
        index = db.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'uq_tariff_quota_one_valid_per_enterprise'"
        ).fetchone()
    assert quota == (2453305223, "integer", 0, 18000)
    assert claim == (700000,)
    assert "WHERE status IN" in index[0]  # the one-valid-quota index survived the rebuild


async def post_until_received(gateway: Gateway, cards: Cards, signer: Signer) -> dict:  # type: ignore[type-arg]
    """A quota the insurer has RECEIVED and not decided (its approval was a mistake it sent
    with a rate of -1, which the webhook refused)."""
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
    received = await wait_until(gateway, QUOTAS, signer.token, first_quota, "RECEIVED")
    await gateway.services.institutions.drain()  # its refused approval has come and gone
    return received


@pytest.mark.parametrize("bad", ["NaN", "-NaN", "sNaN", "Infinity", "-Infinity", "1e400", "abc"])
async def test_ti5_an_insurers_non_finite_total_or_rate_is_refused_for_good(
    gateway: Gateway, cards: Cards, signer: Signer, bad: str
) -> None:
    received = await post_until_received(gateway, cards, signer)
    assert received["status"] == "RECEIVED"
    before = await gateway.snapshot()
    approval = {
        "type": "QUOTA_DECIDED",
        "reference": received["number"],
        "decision": "APPROVED",
        "approvedTotal": "5000000.00",
        "rate": "1.80",
        "effectiveDate": "2026-12-01",
        "expiryDate": "2027-11-30",
    }
    for key in ("approvedTotal", "rate"):
        status = await insurer_event(gateway, "PAIC", {**approval, key: bad})
        assert status == 422, (key, bad)
    assert await gateway.snapshot() == before


@pytest.mark.parametrize("bad", ["NaN", "Infinity", "-0.01", "1e400"])
async def test_ti7_a_claim_with_a_non_finite_payout_is_refused_for_good(
    gateway: Gateway, signer: Signer, bad: str
) -> None:
    await add_insurers(gateway)
    before = await gateway.snapshot()
    claim = {
        "type": "CLAIM_REPORTED",
        "reportNumber": "93676004100001984891",
        "policyNumber": "13676003900157122949",
        "enterpriseName": "测试进出口有限公司1",
        "enterpriseUscc": uscc_for(1),
        "payoutAmount": bad,
        "incidentAt": "2026-09-03T22:30:00+08:00",
        "paidAt": "2026-09-05T21:14:55+08:00",
    }
    assert await insurer_event(gateway, "PAIC", claim) == 422
    assert await gateway.snapshot() == before
    assert await insurer_event(gateway, "PAIC", {**claim, "payoutAmount": "22.00"}) == 200


async def test_ti6_an_issued_policy_with_a_non_finite_premium_is_refused_for_good(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    insurers = await add_insurers(gateway)
    quota = await approved_quota(gateway, cards, signer, insurers)
    # The insurer cannot be reached for now: the application stays SUBMITTED.
    gateway.services.institutions.faults.unavailable["PAIC"] = {"POLICY_APPLY"}
    today = gateway.services.clock.today()
    form = policy_form(quota["id"], today, invoice={"type": "NONE"})
    policy = (await gateway.gql(APPLY_POLICY, {"input": form}, token=signer.token))[
        "tariffPolicyApply"
    ]["policy"]

    async def business() -> dict:  # type: ignore[type-arg]
        # The outbox keeps retrying the delivery meanwhile: its own rows change.
        return {k: v for k, v in (await gateway.snapshot()).items() if k != "outbox_message"}

    before = await business()
    for bad in ("NaN", "Infinity", "0"):
        event = {
            "type": "POLICY_DECIDED",
            "reference": policy["applicationNumber"],
            "decision": "ISSUED",
            "policyNumber": "13676003900157122949",
            "premium": bad,
            "collectionAccount": "19014508666000",
            "collectionAccountName": "收款专户",
        }
        assert await insurer_event(gateway, "PAIC", event) == 422, bad
    state = (await gateway.gql(POLICIES, token=signer.token))["tariffPolicies"]["nodes"][0]
    assert state["status"] == "SUBMITTED"
    assert await business() == before
