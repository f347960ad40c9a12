"""Marketplace orders (HN-3, HN-4, XC-6, GW-4): only certified enterprise users apply, within the
product's range; the product's institution accepts or terminates with a reason; the enterprise
follows every change in the order's history and its messages; nobody else sees or decides."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.test_manual_review import reviewer
from tests.hunan import APPROVE, REVIEWS, registered_user, submitted_certification
from tests.marketplace import (
    DISABLE,
    PUBLISH,
    add_regions,
    government_admin,
    onboard_institution,
    product_form,
)
from tests.support import Gateway

pytestmark = pytest.mark.req("HN-3", "HN-4", "XC-6", "GW-4")
ORDER = """
  id number status amount termMonths purpose bankReason viewerCanAccept viewerCanTerminate
  product { name } bank { code } enterprise { name legalRepIdNumber }
  history { status reason }
"""
APPLY = f"""mutation($input: LoanOrderApplyInput!) {{ loanOrderApply(input: $input) {{
  order {{ {ORDER} }} userErrors {{ code field message }} }} }}"""
ACCEPT = f"""mutation($id: ID!) {{ loanOrderAccept(id: $id) {{ order {{ {ORDER} }}
  userErrors {{ code field }} }} }}"""
TERMINATE = f"""mutation($id: ID!, $r: String!) {{ loanOrderTerminate(id: $id, reason: $r) {{
  order {{ {ORDER} }} userErrors {{ code field }} }} }}"""
ORDERS = f"""{{ loanOrders(first: 20) {{ totalCount nodes {{ {ORDER} }} }} }}"""


def application(product_id: str, **changes: Any) -> dict[str, Any]:
    form = {
        "productId": product_id,
        "amount": "800000.00",
        "termMonths": 12,
        "purpose": "采购原材料",
        "contactName": "张三",
        "contactPhone": "15214051401",
    }
    form.update(changes)
    return form


async def setup(gateway: Gateway) -> dict[str, Any]:
    await add_regions(gateway)
    government = await government_admin(gateway)
    _, bank = await onboard_institution(gateway, government, "XCRCB", "许昌农商银行", "13700001111")
    _, other_bank = await onboard_institution(
        gateway, government, "XCBANK", "许昌银行", "13700002222"
    )
    product = (await gateway.gql(PUBLISH, {"input": product_form()}, token=bank))["productPublish"][
        "product"
    ]
    user, company = await registered_user(gateway)
    return {"bank": bank, "other": other_bank, "product": product, "user": user, "company": company}


async def certify(gateway: Gateway, token: str, company: Any) -> None:
    await submitted_certification(gateway, token, company)
    staff = await reviewer(gateway)
    [pending] = (await gateway.gql(REVIEWS, {"status": "SUBMITTED"}, token=staff))[
        "certificationReviews"
    ]["nodes"]
    await gateway.gql(APPROVE, {"id": pending["id"]}, token=staff)


async def test_hn4_uncertified_users_neither_apply_nor_see_the_enterprises_orders(
    gateway: Gateway,
) -> None:
    world = await setup(gateway)
    before = await gateway.snapshot()
    refused = (
        await gateway.gql(
            APPLY, {"input": application(world["product"]["id"])}, token=world["user"]
        )
    )["loanOrderApply"]
    assert [e["code"] for e in refused["userErrors"]] == ["NOT_CERTIFIED"]
    assert await gateway.snapshot() == before
    errors = await gateway.gql_errors(ORDERS, token=world["user"])
    assert errors[0]["extensions"] == {"code": "FORBIDDEN", "reason": "NO_SCOPE"}
    viewer = await gateway.gql(
        "{ viewer { ... on EnterpriseUser { enterprise { legalRepIdNumber } } } }",
        token=world["user"],
    )
    assert viewer["viewer"]["enterprise"]["legalRepIdNumber"] == "******"


async def test_xc6_the_institution_accepts_then_terminates_and_the_enterprise_follows(
    gateway: Gateway,
) -> None:
    world = await setup(gateway)
    await certify(gateway, world["user"], world["company"])
    user, product = world["user"], world["product"]
    too_much = (
        await gateway.gql(
            APPLY, {"input": application(product["id"], amount="5000000.00")}, token=user
        )
    )["loanOrderApply"]
    assert [(e["code"], e["field"]) for e in too_much["userErrors"]] == [
        ("OUTSIDE_PRODUCT_RANGE", ["amount"])
    ]
    too_long = (
        await gateway.gql(APPLY, {"input": application(product["id"], termMonths=60)}, token=user)
    )["loanOrderApply"]
    assert [(e["code"], e["field"]) for e in too_long["userErrors"]] == [
        ("OUTSIDE_PRODUCT_RANGE", ["termMonths"])
    ]
    applied = (await gateway.gql(APPLY, {"input": application(product["id"])}, token=user))[
        "loanOrderApply"
    ]
    assert applied["userErrors"] == []
    order = applied["order"]
    assert (order["status"], order["product"]["name"], order["bank"]["code"]) == (
        "SUBMITTED",
        "许昌惠企贷",
        "XCRCB",
    )
    assert order["viewerCanAccept"] is False

    # The institution sees it with the applicant; the other institution neither sees nor decides.
    seen = (await gateway.gql(ORDERS, token=world["bank"]))["loanOrders"]
    assert seen["totalCount"] == 1
    assert seen["nodes"][0]["enterprise"]["name"] == world["company"].name
    assert seen["nodes"][0]["viewerCanAccept"] is True
    assert (await gateway.gql(ORDERS, token=world["other"]))["loanOrders"]["totalCount"] == 0
    foreign = (await gateway.gql(ACCEPT, {"id": order["id"]}, token=world["other"]))[
        "loanOrderAccept"
    ]
    assert foreign["userErrors"] == [{"code": "NOT_FOUND", "field": ["id"]}]
    errors = await gateway.gql_errors(ACCEPT, {"id": order["id"]}, token=user)
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"

    accepted = (await gateway.gql(ACCEPT, {"id": order["id"]}, token=world["bank"]))[
        "loanOrderAccept"
    ]
    assert accepted["order"]["status"] == "ACCEPTED"
    terminated = (
        await gateway.gql(
            TERMINATE, {"id": order["id"], "r": "企业征信不符合准入要求"}, token=world["bank"]
        )
    )["loanOrderTerminate"]
    assert terminated["order"]["status"] == "TERMINATED"
    assert terminated["order"]["bankReason"] == "企业征信不符合准入要求"
    late = (await gateway.gql(ACCEPT, {"id": order["id"]}, token=world["bank"]))["loanOrderAccept"]
    assert late["userErrors"] == [{"code": "INVALID_TRANSITION", "field": ["id"]}]

    mine = (await gateway.gql(ORDERS, token=user))["loanOrders"]["nodes"][0]
    assert mine["history"] == [
        {"status": "SUBMITTED", "reason": None},
        {"status": "ACCEPTED", "reason": None},
        {"status": "TERMINATED", "reason": "企业征信不符合准入要求"},
    ]
    inbox = await gateway.gql(
        "{ unreadMessageCount messages(first: 5) { nodes { title body } } }", token=user
    )
    assert inbox["unreadMessageCount"] == 3  # certified, accepted, terminated
    assert "企业征信不符合准入要求" in inbox["messages"]["nodes"][0]["body"]


async def test_hn4_a_disabled_product_takes_no_applications(gateway: Gateway) -> None:
    world = await setup(gateway)
    await certify(gateway, world["user"], world["company"])
    await gateway.gql(DISABLE, {"id": world["product"]["id"]}, token=world["bank"])
    before = await gateway.snapshot()
    refused = (
        await gateway.gql(
            APPLY, {"input": application(world["product"]["id"])}, token=world["user"]
        )
    )["loanOrderApply"]
    assert [e["code"] for e in refused["userErrors"]] == ["PRODUCT_DISABLED"]
    assert await gateway.snapshot() == before


@pytest.mark.req("GW-1")
async def test_hn4_my_orders_with_their_history_cost_the_same_statements_for_2_or_12(
    gateway: Gateway,
) -> None:
    world = await setup(gateway)
    await certify(gateway, world["user"], world["company"])
    for _ in range(12):
        await gateway.gql(
            APPLY, {"input": application(world["product"]["id"])}, token=world["user"]
        )
    page = """query($n: Int!) { loanOrders(first: $n) { nodes { number product { name }
      bank { code } history { status } } } }"""
    with gateway.statements() as two:
        assert (
            len((await gateway.gql(page, {"n": 2}, token=world["user"]))["loanOrders"]["nodes"])
            == 2
        )
    with gateway.statements() as twelve:
        nodes = (await gateway.gql(page, {"n": 12}, token=world["user"]))["loanOrders"]["nodes"]
    assert [n["history"] for n in nodes] == [[{"status": "SUBMITTED"}]] * 12
    assert two[0] == twelve[0]
