"""Xuchang onboarding and the marketplace: government admins add regions, institutions and
their admins (XC-2); institution admins log in with mobile + password + SMS code and change the
initial password (XC-3, XC-10); products are published, edited, disabled (XC-4, XC-5) and found
in the marketplace of the regions they serve (HN-4); every consumer sees exactly its view (GW-4)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.marketplace import (
    ADMIN_CREATE,
    DISABLE,
    ENABLE,
    INSTITUTION_CREATE,
    MARKETPLACE,
    MINE,
    PUBLISH,
    REGION_CREATE,
    UPDATE,
    add_regions,
    government_admin,
    login_with_code,
    onboard_institution,
    product_form,
)
from tests.support import PASSWORD, Gateway

pytestmark = pytest.mark.req("XC-2", "XC-3", "XC-4", "XC-5", "XC-10", "HN-4", "GW-4")


async def market(gateway: Gateway, first: int = 20, **filters: Any) -> dict[str, Any]:
    data = await gateway.gql(MARKETPLACE, {"filter": filters or None, "first": first})
    return data["marketplaceProducts"]  # type: ignore[no-any-return]


async def test_xc2_government_admin_onboards_a_region_an_institution_and_its_admin(
    gateway: Gateway,
) -> None:
    await add_regions(gateway)
    government = await government_admin(gateway)
    region = (
        await gateway.gql(
            REGION_CREATE,
            {"input": {"code": "411081", "name": "禹州市", "parentCode": "411000"}},
            token=government,
        )
    )["regionCreate"]
    assert region == {"region": {"code": "411081", "name": "禹州市"}, "userErrors": []}
    outside = (
        await gateway.gql(
            REGION_CREATE,
            {"input": {"code": "430102", "name": "芙蓉区", "parentCode": "430100"}},
            token=government,
        )
    )["regionCreate"]
    assert outside["userErrors"] == [{"code": "NOT_FOUND", "field": ["parentCode"]}]
    again = (
        await gateway.gql(
            REGION_CREATE,
            {"input": {"code": "411081", "name": "禹州", "parentCode": "411000"}},
            token=government,
        )
    )["regionCreate"]
    assert again["userErrors"] == [{"code": "REGION_EXISTS", "field": ["code"]}]
    _, token = await onboard_institution(
        gateway, government, "XCRCB", "许昌农商银行", "13700001111"
    )
    viewer = await gateway.gql(
        "{ viewer { username kind ... on InstitutionUser { institution { code name } } } }",
        token=token,
    )
    assert viewer["viewer"] == {
        "username": "13700001111",
        "kind": "INSTITUTION_USER",
        "institution": {"code": "XCRCB", "name": "许昌农商银行"},
    }
    governed = await gateway.gql(
        "{ governedInstitutions { code } governedRegions { code } }", token=government
    )
    assert governed["governedInstitutions"] == [{"code": "XCRCB"}]
    assert [r["code"] for r in governed["governedRegions"]] == ["411000", "411002", "411081"]


async def test_xc3_login_needs_the_password_and_the_code_sent_to_the_registered_mobile(
    gateway: Gateway,
) -> None:
    await add_regions(gateway)
    government = await government_admin(gateway)
    await onboard_institution(gateway, government, "XCRCB", "许昌农商银行", "13700001111")
    wrong = await login_with_code(gateway, "13700001111", "111111")
    assert [e["code"] for e in wrong["userErrors"]] == ["INVALID_CREDENTIALS"]
    stranger = await login_with_code(gateway, "13799999999", PASSWORD)
    assert [e["code"] for e in stranger["userErrors"]] == ["INVALID_CREDENTIALS"]
    bad_code = {"input": {"login": "13700001111", "password": PASSWORD, "smsCode": "123"}}
    from tests.marketplace import LOGIN_WITH_CODE

    refused = (await gateway.gql(LOGIN_WITH_CODE, bad_code))["sessionCreateWithSmsCode"]
    assert refused["userErrors"][0]["code"] in ("CODE_INVALID", "CODE_EXPIRED")
    good = await login_with_code(gateway, "13700001111", PASSWORD)
    assert good["account"]["nextStep"] == "NONE"
    # XC-10: personal centre, logout.
    token = good["token"]
    assert (await gateway.gql("{ viewer { name mobile } }", token=token))["viewer"] == {
        "name": "客户经理",
        "mobile": "13700001111",
    }
    await gateway.gql("mutation { sessionRevoke { revoked } }", token=token)
    errors = await gateway.gql_errors("{ viewer { name } }", token=token)
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_xc2_only_government_admins_onboard(gateway: Gateway) -> None:
    await add_regions(gateway)
    token = (await gateway.register_enterprise(1))["token"]
    errors = await gateway.gql_errors(
        INSTITUTION_CREATE,
        {"input": {"code": "X", "name": "X", "kind": "BANK", "regionCode": "411000"}},
        token=token,
    )
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"
    government = await government_admin(gateway)
    institution_id, _ = await onboard_institution(
        gateway, government, "XCRCB", "许昌农商银行", "13700001111"
    )
    taken = {"institutionId": institution_id, "name": "另一人", "mobile": "13700001111"}
    again = (await gateway.gql(ADMIN_CREATE, {"input": taken}, token=government))[
        "institutionAdminCreate"
    ]
    assert again["userErrors"][0]["code"] == "USERNAME_TAKEN"
    # A Hunan government admin does not govern Xuchang's institutions.
    hunan = await government_admin(gateway, "hngov01", "430000")
    other = {"institutionId": institution_id, "name": "客户经理", "mobile": "13700002222"}
    refused = (await gateway.gql(ADMIN_CREATE, {"input": other}, token=hunan))[
        "institutionAdminCreate"
    ]
    assert refused["userErrors"] == [
        {"code": "NOT_FOUND", "field": ["institutionId"], "message": "记录不存在"}
    ]


async def test_xc4_published_products_appear_in_the_marketplace_of_their_regions(
    gateway: Gateway,
) -> None:
    await add_regions(gateway)
    government = await government_admin(gateway)
    _, bank = await onboard_institution(gateway, government, "XCRCB", "许昌农商银行", "13700001111")
    published = (await gateway.gql(PUBLISH, {"input": product_form(featured=True)}, token=bank))[
        "productPublish"
    ]
    assert published["userErrors"] == []
    product = published["product"]
    assert product["status"] == "ENABLED"
    assert product["minAmount"] == "100000.00"
    assert product["regions"] == [{"code": "411000", "name": "许昌市"}]
    assert product["viewerCanEdit"] is True
    province = product_form(
        "中原贷", regionCodes=["410000"], minAmount="500000.00", maxAmount="10000000.00"
    )
    await gateway.gql(PUBLISH, {"input": province}, token=bank)
    changsha = product_form("长沙贷", regionCodes=["430100"])
    await gateway.gql(PUBLISH, {"input": changsha}, token=bank)
    # A district of Xuchang sees the city's and the province's products, not Changsha's.
    weidu = await market(gateway, regionCode="411002")
    assert [n["name"] for n in weidu["nodes"]] == ["许昌惠企贷", "中原贷"]
    assert weidu["nodes"][0]["viewerCanEdit"] is False
    assert [n["name"] for n in (await market(gateway, query="农商"))["nodes"]] == [
        "许昌惠企贷",
        "长沙贷",
        "中原贷",
    ]
    assert [n["name"] for n in (await market(gateway, query="中原"))["nodes"]] == ["中原贷"]
    assert [n["name"] for n in (await market(gateway, featured=True))["nodes"]] == ["许昌惠企贷"]
    assert [n["name"] for n in (await market(gateway, amount="5000000"))["nodes"]] == ["中原贷"]
    assert (await market(gateway, termMonths=48))["totalCount"] == 0


async def test_xc5_products_are_edited_disabled_and_enabled_by_their_institution_only(
    gateway: Gateway,
) -> None:
    await add_regions(gateway)
    government = await government_admin(gateway)
    _, bank = await onboard_institution(gateway, government, "XCRCB", "许昌农商银行", "13700001111")
    _, other = await onboard_institution(gateway, government, "XCBANK", "许昌银行", "13700002222")
    product = (await gateway.gql(PUBLISH, {"input": product_form()}, token=bank))["productPublish"][
        "product"
    ]
    edited = (
        await gateway.gql(
            UPDATE,
            {"id": product["id"], "input": product_form("许昌惠企贷2.0", maxRate="4.80")},
            token=bank,
        )
    )["productUpdate"]
    assert (edited["product"]["name"], edited["product"]["maxRate"]) == ("许昌惠企贷2.0", "4.8000")
    foreign = (
        await gateway.gql(UPDATE, {"id": product["id"], "input": product_form("抢注")}, token=other)
    )["productUpdate"]
    assert foreign["userErrors"][0]["code"] == "NOT_FOUND"
    assert (await gateway.gql(DISABLE, {"id": product["id"]}, token=other))["productDisable"][
        "userErrors"
    ] == [{"code": "NOT_FOUND"}]
    disabled = (await gateway.gql(DISABLE, {"id": product["id"]}, token=bank))["productDisable"]
    assert disabled == {"product": {"status": "DISABLED"}, "userErrors": []}
    assert (await market(gateway))["totalCount"] == 0
    node = "query($id: ID!) { node(id: $id) { ... on Product { name status } } }"
    assert (await gateway.gql(node, {"id": product["id"]}))["node"] is None
    assert (await gateway.gql(node, {"id": product["id"]}, token=bank))["node"][
        "status"
    ] == "DISABLED"
    mine = (await gateway.gql(MINE, {"status": "DISABLED"}, token=bank))["institutionProducts"]
    assert mine["totalCount"] == 1
    assert (await gateway.gql(MINE, {}, token=other))["institutionProducts"]["totalCount"] == 0
    enabled = (await gateway.gql(ENABLE, {"id": product["id"]}, token=bank))["productEnable"]
    assert enabled["product"]["status"] == "ENABLED"
    assert (await market(gateway))["totalCount"] == 1


async def test_xc4_bad_product_input_gets_codes_and_writes_nothing(gateway: Gateway) -> None:
    await add_regions(gateway)
    government = await government_admin(gateway)
    _, bank = await onboard_institution(gateway, government, "XCRCB", "许昌农商银行", "13700001111")
    before = await gateway.snapshot()
    bad = product_form(
        minAmount="5000000.00",
        maxAmount="100000.00",
        minRate="0",
        minTermMonths=48,
        maxTermMonths=12,
        guaranteeMethods=[],
        regionCodes=["999999"],
        name="",
    )
    refused = (await gateway.gql(PUBLISH, {"input": bad}, token=bank, locale="en"))[
        "productPublish"
    ]
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [
        ("REQUIRED", ["name"]),
        ("AMOUNT_RANGE_INVALID", ["minAmount"]),
        ("RATE_RANGE_INVALID", ["minRate"]),
        ("TERM_RANGE_INVALID", ["minTermMonths"]),
        ("GUARANTEE_REQUIRED", ["guaranteeMethods"]),
        ("NOT_FOUND", ["regionCodes"]),
    ]
    assert refused["userErrors"][1]["message"] == "The minimum amount cannot exceed the maximum"
    assert await gateway.snapshot() == before
    enterprise = (await gateway.register_enterprise(2))["token"]
    errors = await gateway.gql_errors(PUBLISH, {"input": product_form()}, token=enterprise)
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"


async def test_gw1_a_marketplace_page_costs_the_same_statements_for_2_or_40_products(
    gateway: Gateway,
) -> None:
    await add_regions(gateway)
    government = await government_admin(gateway)
    _, bank = await onboard_institution(gateway, government, "XCRCB", "许昌农商银行", "13700001111")
    _, other = await onboard_institution(gateway, government, "XCBANK", "许昌银行", "13700002222")
    for index in range(20):
        for token in (bank, other):
            form = product_form(f"产品{index}", regionCodes=["411000", "410000"])
            await gateway.gql(PUBLISH, {"input": form}, token=token)
    with gateway.statements() as two:
        assert len((await market(gateway, first=2, regionCode="411002"))["nodes"]) == 2
    with gateway.statements() as forty:
        assert len((await market(gateway, first=40, regionCode="411002"))["nodes"]) == 40
    assert two[0] == forty[0]
