"""A bank portal sees the agreements and loan orders addressed to its bank, with the enterprise's
details, page by page without N+1, and nothing of other banks (GW-4, GW-2, LN-6)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlmodel import col, select

from models import Account, AccountKind, Enterprise, Institution, LoanOrder, LoanOrderStatus
from tests.agreements import Signer, sign, wait_for
from tests.api.test_loans import apply, wait_order
from tests.cards import Cards
from tests.support import PASSWORD, Gateway

pytestmark = pytest.mark.req("GW-4", "GW-2", "LN-6")

ORDERS = """query($first: Int!) { loanOrders(first: $first) { totalCount nodes {
  id number status amount enterprise { name uscc } bank { code } } } }"""
AGREEMENTS = "{ agreements(first: 20) { totalCount nodes { number status enterprise { name } bank { code } } } }"


async def portal_user(gateway: Gateway, username: str, code: str) -> str:
    async with gateway.services.sessionmaker() as db:
        institution = (
            await db.exec(select(Institution).where(col(Institution.code) == code))
        ).one()
        db.add(
            Account(
                kind=AccountKind.INSTITUTION_USER,
                username=username,
                username_key=username,
                password_hash=await gateway.services.passwords.hash(PASSWORD),
                institution_id=institution.id,
                name=f"{code} 客户经理",
            )
        )
        await db.commit()
    return await gateway.token_for(username)


async def test_gw4_a_bank_sees_what_is_addressed_to_it_and_nothing_else(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    agreement = (await sign(gateway, cards, signer, ["FINANCING"]))["agreement"]
    await wait_for(gateway, signer.token, agreement["number"], "SIGNED")
    order = (await apply(gateway, cards, signer))["order"]
    await wait_order(gateway, signer.token, order["number"], "APPROVED")
    boc = await portal_user(gateway, "bocuser01", "BOC")
    icbc = await portal_user(gateway, "icbcuser01", "ICBC")
    seen = (await gateway.gql(ORDERS, {"first": 20}, token=boc))["loanOrders"]
    assert seen["totalCount"] == 1
    assert seen["nodes"][0]["enterprise"]["name"] == "测试进出口有限公司1"
    assert seen["nodes"][0]["bank"]["code"] == "BOC"
    agreements = (await gateway.gql(AGREEMENTS, token=boc))["agreements"]
    assert agreements["nodes"][0]["enterprise"]["name"] == "测试进出口有限公司1"
    assert (await gateway.gql(ORDERS, {"first": 20}, token=icbc))["loanOrders"]["totalCount"] == 0
    assert (await gateway.gql(AGREEMENTS, token=icbc))["agreements"]["totalCount"] == 0
    node = "query($id: ID!) { node(id: $id) { ... on LoanOrder { number } } }"
    assert (await gateway.gql(node, {"id": order["id"]}, token=boc))["node"] == {
        "number": order["number"]
    }
    assert (await gateway.gql(node, {"id": order["id"]}, token=icbc)) == {"node": None}
    other = (await gateway.register_enterprise(2))["token"]
    assert (await gateway.gql(node, {"id": order["id"]}, token=other)) == {"node": None}
    assert (await gateway.gql(ORDERS, {"first": 20}, token=other))["loanOrders"]["totalCount"] == 0
    viewer = await gateway.gql(
        "{ viewer { kind ... on InstitutionUser { institution { code } } } }", token=boc
    )
    assert viewer["viewer"] == {"kind": "INSTITUTION_USER", "institution": {"code": "BOC"}}


async def test_gw4_the_bank_order_page_costs_the_same_statements_for_10_or_50_orders(
    gateway: Gateway, signer: Signer
) -> None:
    boc = await portal_user(gateway, "bocuser02", "BOC")
    async with gateway.services.sessionmaker() as db:
        bank = (await db.exec(select(Institution).where(col(Institution.code) == "BOC"))).one()
        applicant = (
            await db.exec(select(Account).where(col(Account.username) == "admin0001"))
        ).one()
        enterprises = []
        for index in range(5):
            enterprise = Enterprise(
                kind="ENTERPRISE",
                uscc=f"91000000{index:09d}X",
                org_code="000000000",
                name=f"批量企业{index}",
                legal_rep_name="王",
                legal_rep_id_type="RESIDENT_ID",
                legal_rep_id_number="x",
                legal_rep_id_valid_from="",
                legal_rep_id_valid_to="",
            )
            db.add(enterprise)
            enterprises.append(enterprise)
        await db.flush()
        now = datetime.now(UTC)
        for index in range(60):
            db.add(
                LoanOrder(
                    number=f"B{index:010d}",
                    enterprise_id=enterprises[index % 5].id,
                    institution_id=bank.id,
                    amount=Decimal("1000.00"),
                    term_months=6,
                    purpose="周转",
                    contact_name="王",
                    contact_phone="13800000000",
                    status=LoanOrderStatus.ACCEPTED,
                    applied_by_account_id=applicant.id,
                    submitted_at=now,
                    updated_at=now,
                )
            )
        await db.commit()
    with gateway.statements() as ten:
        assert (
            len((await gateway.gql(ORDERS, {"first": 10}, token=boc))["loanOrders"]["nodes"]) == 10
        )
    with gateway.statements() as fifty:
        assert (
            len((await gateway.gql(ORDERS, {"first": 50}, token=boc))["loanOrders"]["nodes"]) == 50
        )
    assert ten[0] == fifty[0]


async def test_gw4_portal_users_do_no_enterprise_business(gateway: Gateway, signer: Signer) -> None:
    boc = await portal_user(gateway, "bocuser03", "BOC")
    errors = await gateway.gql_errors("{ sealHolders { cardNumber } }", token=boc)
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"
