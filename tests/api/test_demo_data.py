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
    assert data["banks"]["totalCount"] == 8
