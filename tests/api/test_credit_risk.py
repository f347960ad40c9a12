"""Credit for institutions (XC-7, XC-8, XC-9, GW-4): the credit-easy-loan whitelist, the
applicant's credit records on each order, risk flags with severity computed from them, filtered
in SQL, refreshed by the monitoring job; the portal page costs the same statements at any size."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from integrations.credit import CreditFact, SimulatedCreditSource, WhitelistEntry, customs_rating
from tests.api.test_marketplace_orders import APPLY, application, certify, setup
from tests.hunan import registered_user
from tests.marketplace import login_with_code
from tests.support import PASSWORD, Gateway

pytestmark = pytest.mark.req("XC-7", "XC-8", "XC-9", "GW-4")
PORTAL = """query($first: Int!, $risk: RiskSeverity) {
  loanOrders(first: $first, filter: {minRiskLevel: $risk}) { totalCount nodes {
    number riskLevel enterprise { name uscc }
    riskFlags { code severity record { kind value source recordDate activeUntil } }
    creditRecords { kind value source recordDate activeUntil } } } }"""
WHITELIST = """query($r: String!) { creditWhitelist(regionCode: $r) {
  totalCount nodes { name uscc regionCode source listedOn } } }"""


def credit_service(gateway: Gateway) -> SimulatedCreditSource:
    service = gateway.services.credit
    assert isinstance(service, SimulatedCreditSource)
    return service


def risky(uscc: str) -> list[CreditFact]:
    return [
        customs_rating(uscc, "GENERAL"),
        CreditFact("TAX_CREDIT_RATING", "B", "国家税务总局", date(2025, 4, 1)),
        CreditFact(
            "DISHONEST_JUDGMENT_DEBTOR",
            "拒不履行生效判决",
            "中国执行信息公开网",
            date(2025, 11, 2),
            "(2025)湘0104执12号",
        ),
        CreditFact(
            "ADMINISTRATIVE_PENALTY",
            "未按期申报，罚款2,000元",
            "国家税务总局",
            date(2026, 9, 1),
            None,
            date(2027, 9, 1),
        ),
        CreditFact(
            "ADMINISTRATIVE_PENALTY",
            "旧处罚，公示期已满",
            "长沙海关",
            date(2023, 1, 5),
            None,
            date(2024, 1, 5),
        ),
    ]


def clean(uscc: str) -> list[CreditFact]:
    return [
        customs_rating(uscc, "ADVANCED_CERTIFIED"),
        CreditFact("TAX_CREDIT_RATING", "A", "国家税务总局", date(2025, 4, 1)),
    ]


async def test_xc8_xc9_orders_show_credit_records_and_risk_flags_filterable_by_severity(
    gateway: Gateway,
) -> None:
    world = await setup(gateway)
    credit_service(gateway).set(world["company"].uscc, risky(world["company"].uscc))
    await certify(gateway, world["user"], world["company"])
    await gateway.gql(APPLY, {"input": application(world["product"]["id"])}, token=world["user"])
    other, company = await registered_user(gateway, "xqrUser02", 1, "13912340002")
    credit_service(gateway).set(company.uscc, clean(company.uscc))
    await certify(gateway, other, company)
    await gateway.gql(APPLY, {"input": application(world["product"]["id"])}, token=other)

    page = (await gateway.gql(PORTAL, {"first": 10}, token=world["bank"]))["loanOrders"]
    by_company = {n["enterprise"]["name"]: n for n in page["nodes"]}
    flagged = by_company[world["company"].name]
    assert flagged["riskLevel"] == "HIGH"
    assert [(f["code"], f["severity"]) for f in flagged["riskFlags"]] == [
        ("DISHONEST_JUDGMENT_DEBTOR", "HIGH"),
        ("ADMINISTRATIVE_PENALTY", "MEDIUM"),
    ]
    assert len(flagged["creditRecords"]) == 5  # the expired penalty is a record, not a flag
    assert by_company[company.name]["riskLevel"] is None
    assert by_company[company.name]["riskFlags"] == []
    high = (await gateway.gql(PORTAL, {"first": 10, "risk": "HIGH"}, token=world["bank"]))[
        "loanOrders"
    ]
    assert [n["enterprise"]["name"] for n in high["nodes"]] == [world["company"].name]
    medium = (await gateway.gql(PORTAL, {"first": 10, "risk": "MEDIUM"}, token=world["bank"]))[
        "loanOrders"
    ]
    assert medium["totalCount"] == 1
    # The enterprise sees its own flags too; the other institution sees no order at all.
    mine = (await gateway.gql(PORTAL, {"first": 10}, token=world["user"]))["loanOrders"]
    assert mine["nodes"][0]["riskLevel"] == "HIGH"
    assert (await gateway.gql(PORTAL, {"first": 10}, token=world["other"]))["loanOrders"][
        "totalCount"
    ] == 0

    # Risk monitoring: a day later the clean applicant has a new listing; the job picks it up.
    credit_service(gateway).set(
        company.uscc,
        [
            *clean(company.uscc),
            CreditFact(
                "ABNORMAL_OPERATIONS",
                "通过登记的住所无法联系",
                "国家企业信用信息公示系统",
                date(2026, 11, 30),
            ),
        ],
    )
    gateway.services.clock.advance(timedelta(days=1, minutes=1))
    assert await gateway.app.state.scheduler.run("credit-monitoring") == 2  # type: ignore[union-attr]
    bank = (await login_with_code(gateway, "13700001111", PASSWORD))["token"]  # a new day
    again = (await gateway.gql(PORTAL, {"first": 10, "risk": "MEDIUM"}, token=bank))["loanOrders"]
    assert again["totalCount"] == 2
    assert await gateway.app.state.scheduler.run("credit-monitoring") == 0  # type: ignore[union-attr]


async def test_xc7_the_whitelist_is_for_institutions_and_government(gateway: Gateway) -> None:
    world = await setup(gateway)
    service = credit_service(gateway)
    for uscc, name, region, day in (
        ("91411000MA0000001X", "许昌瑞祥发制品有限公司", "411002", date(2026, 3, 1)),
        ("91411000MA0000002X", "许昌恒达机械有限公司", "411000", date(2026, 6, 1)),
        ("91430100MA0000003X", "长沙湘江电子有限公司", "430100", date(2026, 5, 1)),
    ):
        service.list_on_whitelist(
            WhitelistEntry(uscc, name, region, "许昌市社会信用体系建设领导小组办公室", day)
        )
    listed = (await gateway.gql(WHITELIST, {"r": "410000"}, token=world["bank"]))["creditWhitelist"]
    assert [n["name"] for n in listed["nodes"]] == [
        "许昌恒达机械有限公司",
        "许昌瑞祥发制品有限公司",
    ]
    assert listed["nodes"][0]["listedOn"] == "2026-06-01"
    errors = await gateway.gql_errors(WHITELIST, {"r": "410000"}, token=world["user"])
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"
    unknown = await gateway.gql_errors(WHITELIST, {"r": "999999"}, token=world["bank"])
    assert unknown[0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_gw4_a_portal_page_with_credit_and_risk_costs_the_same_statements(
    gateway: Gateway,
) -> None:
    world = await setup(gateway)
    credit_service(gateway).set(world["company"].uscc, risky(world["company"].uscc))
    await certify(gateway, world["user"], world["company"])
    for _ in range(20):
        await gateway.gql(
            APPLY, {"input": application(world["product"]["id"])}, token=world["user"]
        )
    other, company = await registered_user(gateway, "xqrUser02", 1, "13912340002")
    await certify(gateway, other, company)
    for _ in range(20):
        await gateway.gql(APPLY, {"input": application(world["product"]["id"])}, token=other)
    with gateway.statements() as two:
        assert (
            len(
                (await gateway.gql(PORTAL, {"first": 2}, token=world["bank"]))["loanOrders"][
                    "nodes"
                ]
            )
            == 2
        )
    with gateway.statements() as forty:
        assert (
            len(
                (await gateway.gql(PORTAL, {"first": 40}, token=world["bank"]))["loanOrders"][
                    "nodes"
                ]
            )
            == 40
        )
    assert two[0] == forty[0]
