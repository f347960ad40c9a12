"""The demo data the README promises: every listed account logs in and sees its own kind of
account information (SW-1, SW-11)."""

from __future__ import annotations

import pytest

from gateway.demo_data import DEMO_PASSWORD, load_demo_data
from gateway.settings import Settings
from tests.support import Gateway

pytestmark = pytest.mark.req("SW-1", "SW-11", "SW-6")

VIEWER = """{ viewer {
  username kind name realNameLevel
  ... on EnterpriseAdmin { idType idNumber enterprise { name uscc orgCode legalRepName legalRepIdNumber } }
  ... on Operator { idType idNumber enterprise { name } }
  ... on IndividualUser { idType idNumber employer { enterpriseName } }
  ... on OverseasUser { profile { countryCode organisationName contactName } }
  ... on MinistryUser { email }
} }"""


@pytest.mark.parametrize(
    ("username", "kind", "detail"),
    [
        ("lngtadmin", "ENTERPRISE_ADMIN", ("enterprise", "name", "辽宁港通进出口有限公司")),
        ("lngtop01", "OPERATOR", ("enterprise", "name", "辽宁港通进出口有限公司")),
        ("xjtradeadmin", "ENTERPRISE_ADMIN", ("enterprise", "name", "湖南湘江国际贸易有限公司")),
        ("rfhairop01", "OPERATOR", ("enterprise", "name", "许昌瑞发发制品进出口有限公司")),
        ("zhangwei01", "INDIVIDUAL", ("employer", "enterpriseName", None)),
        ("globaltrade01", "OVERSEAS", ("profile", "countryCode", "DEU")),
        ("mofcomuser01", "MINISTRY", ("email", None, "mofcom.demo@example.com")),
        ("reviewer01", "PLATFORM_REVIEWER", ("name", None, "平台审核员")),
    ],
)
async def test_demo_accounts_log_in_and_view_their_kind(
    gateway: Gateway,
    settings: Settings,
    username: str,
    kind: str,
    detail: tuple[str, str | None, str | None],
) -> None:
    await load_demo_data(settings)
    token = await gateway.token_for(username, DEMO_PASSWORD)
    viewer = (await gateway.gql(VIEWER, token=token))["viewer"]
    assert viewer["kind"] == kind
    outer, inner, expected = detail
    value = viewer[outer] if inner is None else viewer[outer][inner]
    assert value == expected


async def test_demo_operator_with_the_initial_password_must_first_verify(
    gateway: Gateway, settings: Settings
) -> None:
    await load_demo_data(settings)
    session = await gateway.login("lngtop02", "88888888")
    assert session["account"]["nextStep"] == "VERIFY_MOBILE"


async def test_demo_reference_data(gateway: Gateway, settings: Settings) -> None:
    await load_demo_data(settings)
    data = await gateway.gql(
        '{ regions { code name } henan: regions(parentCode: "410000") { name } '
        "insurers: institutions(kind: INSURER) { nodes { name } } banks: institutions(kind: BANK) { totalCount } }"
    )
    assert {r["name"] for r in data["regions"]} == {"辽宁省", "湖南省", "河南省"}
    assert data["henan"] == [{"name": "许昌市"}]
    assert {n["name"] for n in data["insurers"]["nodes"]} == {
        "中国平安财产保险股份有限公司",
        "中银保险有限公司",
    }
    assert data["banks"]["totalCount"] == 10


@pytest.mark.req("SW-7", "LN-1", "LN-7")
async def test_demo_cards_log_in_and_the_legal_person_makes_a_seal(
    gateway: Gateway, settings: Settings
) -> None:
    """The README's GraphiQL walkthrough: demo card login, then a seal."""
    from gateway.cards import virtual_cards
    from gateway.demo_data import DEMO_PIN
    from integrations.card import CardAgent, VirtualBackend
    from tests.cards import CARD_LOGIN, challenge

    await load_demo_data(settings)
    agent = CardAgent(VirtualBackend(virtual_cards(settings)))
    tokens = {}
    for number, username in (("2101000001", "lngtadmin"), ("2101000002", "lngtop01")):
        issued = await challenge(gateway)
        signed = agent.sign_login(issued["nonce"], DEMO_PIN, number).as_json()
        payload = await gateway.gql(CARD_LOGIN, {"input": {"challengeId": issued["id"], **signed}})
        assert payload["sessionCreateWithCard"]["account"]["username"] == username
        assert payload["sessionCreateWithCard"]["createdUsernames"] == []
        tokens[username] = payload["sessionCreateWithCard"]["token"]
    holders = (
        await gateway.gql(
            "{ sealHolders { account { id username } certificateValidFrom } }",
            token=tokens["lngtadmin"],
        )
    )["sealHolders"]
    assert {h["account"]["username"] for h in holders} == {"lngtadmin", "lngtop01"}
    legal = next(h for h in holders if h["account"]["username"] == "lngtadmin")
    create = """mutation($holderId: ID!, $from: Date!, $to: Date!) { sealCreateStandard(
        input: {holderId: $holderId, name: "合同专用章", type: CONTRACT, validFrom: $from, validTo: $to, platform: LIAONING}
        standard: {unitText: "辽宁港通进出口有限公司"}) { seal { status name } userErrors { code } } }"""
    start = legal["certificateValidFrom"]
    payload = await gateway.gql(
        create,
        {
            "holderId": legal["account"]["id"],
            "from": start,
            "to": f"{int(start[:4]) + 1}{start[4:]}",
        },
        token=tokens["lngtadmin"],
    )
    assert payload["sealCreateStandard"] == {
        "seal": {"status": "DISABLED", "name": "合同专用章"},
        "userErrors": [],
    }


@pytest.mark.req("XC-2", "XC-3", "XC-4", "HN-4")
async def test_demo_marketplace_and_xuchang_onboarding(
    gateway: Gateway, settings: Settings
) -> None:
    from tests.marketplace import login_with_code

    await load_demo_data(settings)
    products = await gateway.gql(
        '{ xuchang: marketplaceProducts(filter: {regionCode: "411000"}) { nodes { name featured '
        "institution { code } } } all: marketplaceProducts { totalCount } }"
    )
    assert [n["name"] for n in products["xuchang"]["nodes"]] == [
        "惠如愿-专精特新贷",
        "许昌惠企贷",
        "发制品出口订单贷",
    ]
    assert products["all"]["totalCount"] == 4
    government = await login_with_code(gateway, "xcgovadmin", DEMO_PASSWORD)
    assert government["account"]["kind"] == "GOVERNMENT_ADMIN"
    bank_admin = await login_with_code(gateway, "13700000088", "111111")
    assert bank_admin["account"]["nextStep"] == "CHANGE_PASSWORD"
