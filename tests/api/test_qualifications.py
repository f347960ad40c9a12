"""我的资质 (SW-15): the admin views and edits the enterprise's registrations by department;
read-only fields stay so; syncs from the market regulator and the commerce ministry report what
changed."""

from __future__ import annotations

import pytest

from models import RealNameLevel
from tests.api.test_account_settings import set_real_name_level
from tests.recovery import (
    VIEWER,
    file_foreign_trade,
    operator_session,
    register_in_registry,
    registry,
)
from tests.support import Gateway, enterprise_input

pytestmark = pytest.mark.req("SW-15", "SW-18")
FIELDS = """
  identity { uscc orgCode name legalRepName address }
  market { status enterpriseType establishedOn registeredCapital authority syncedAt }
  customs { customsCode office businessType registeredOn }
  inspection { number office filedOn contact phone }
  foreignTrade { number filedOn englishName englishAddress operatorType syncedAt }
"""
QUERY = f"{{ enterpriseQualifications {{ {FIELDS} }} }}"
UPDATE = f"""mutation($input: QualificationsUpdateInput!) {{
  qualificationsUpdate(input: $input) {{ qualifications {{ {FIELDS} }} userErrors {{ code field }} }} }}"""
SYNC = f"""mutation($s: QualificationSyncSource!) {{
  qualificationsSync(source: $s) {{ qualifications {{ {FIELDS} }} changes {{ field before after }}
  userErrors {{ code field message }} }} }}"""


async def test_sw15_admin_views_and_edits_the_registrations(gateway: Gateway) -> None:
    token = (await gateway.register_enterprise(1))["token"]
    enterprise = enterprise_input(1)["enterprise"]
    viewed = (await gateway.gql(QUERY, token=token))["enterpriseQualifications"]
    assert viewed["identity"] == {
        "uscc": enterprise["uscc"],
        "orgCode": enterprise["orgCode"],
        "name": enterprise["name"],
        "legalRepName": "王建国",
        "address": None,
    }
    assert viewed["customs"]["customsCode"] is None
    data = {
        "customs": {
            "office": "0800",
            "businessType": "CONSIGNEE_CONSIGNOR",
            "registeredOn": "2019-04-01",
        },
        "inspection": {
            "number": "2100600123",
            "office": "沈阳海关",
            "filedOn": "2019-05-10",
            "contact": "赵磊",
            "phone": "024-88886666",
        },
    }
    saved = (await gateway.gql(UPDATE, {"input": data}, token=token))["qualificationsUpdate"]
    assert saved["userErrors"] == []
    assert saved["qualifications"]["customs"] == {
        "customsCode": None,
        "office": "0800",
        "businessType": "CONSIGNEE_CONSIGNOR",
        "registeredOn": "2019-04-01",
    }
    assert (await gateway.gql(QUERY, token=token))["enterpriseQualifications"]["inspection"][
        "number"
    ] == "2100600123"


async def test_sw15_bad_fields_and_read_only_fields_write_nothing(gateway: Gateway) -> None:
    token = (await gateway.register_enterprise(2))["token"]
    before = await gateway.snapshot()
    bad = {
        "customs": {"office": "9999", "registeredOn": "2999-01-01"},
        "inspection": {"number": "12AB"},
    }
    refused = (await gateway.gql(UPDATE, {"input": bad}, token=token))["qualificationsUpdate"]
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [
        ("CUSTOMS_UNKNOWN", ["customs", "office"]),
        ("DATE_RANGE", ["customs", "registeredOn"]),
        ("INVALID_FORMAT", ["inspection", "number"]),
    ]
    assert await gateway.snapshot() == before
    # The customs code has no input field at all: the schema refuses it.
    read_only = {"customs": {"customsCode": "2101961234"}}
    errors = await gateway.gql_errors(UPDATE, {"input": read_only}, token=token)
    assert "customsCode" in errors[0]["message"]


async def test_sw15_market_regulator_sync_shows_what_changed(gateway: Gateway) -> None:
    token = (await gateway.register_enterprise(3))["token"]
    record = register_in_registry(gateway, 3)
    first = (await gateway.gql(SYNC, {"s": "MARKET_REGULATOR"}, token=token))["qualificationsSync"]
    assert first["userErrors"] == []
    changed = {c["field"]: (c["before"], c["after"]) for c in first["changes"]}
    assert changed["enterprise.address"] == (None, "沈阳市和平区示范路8号")
    assert changed["registeredCapital"] == (None, "500万人民币")
    assert first["qualifications"]["market"]["status"] == "存续"
    assert first["qualifications"]["market"]["syncedAt"]
    # The regulator registers a new name and legal representative: the admin's real-name
    # verification, made with the old legal representative, is void (SW-18).
    await set_real_name_level(gateway, "admin0003", RealNameLevel.HIGH)
    registry(gateway).change(record.uscc, name="测试进出口股份有限公司3", legal_rep_name="王建军")
    second = (await gateway.gql(SYNC, {"s": "MARKET_REGULATOR"}, token=token))["qualificationsSync"]
    assert sorted(c["field"] for c in second["changes"]) == [
        "enterprise.legalRepName",
        "enterprise.name",
    ]
    assert second["qualifications"]["identity"]["name"] == "测试进出口股份有限公司3"
    assert (await gateway.gql(VIEWER, token=token))["viewer"]["realNameLevel"] == "NONE"
    unchanged = (await gateway.gql(SYNC, {"s": "MARKET_REGULATOR"}, token=token))[
        "qualificationsSync"
    ]
    assert unchanged["changes"] == []


async def test_sw15_commerce_ministry_sync_fills_the_foreign_trade_filing(gateway: Gateway) -> None:
    token = (await gateway.register_enterprise(4))["token"]
    missing = (await gateway.gql(SYNC, {"s": "COMMERCE_MINISTRY"}, token=token))[
        "qualificationsSync"
    ]
    assert [e["code"] for e in missing["userErrors"]] == ["ENTERPRISE_NOT_IN_REGISTRY"]
    file_foreign_trade(gateway, enterprise_input(4)["enterprise"]["uscc"])
    synced = (await gateway.gql(SYNC, {"s": "COMMERCE_MINISTRY"}, token=token))[
        "qualificationsSync"
    ]
    fields = {c["field"] for c in synced["changes"]}
    assert {"foreignTradeNumber", "customsCode", "englishName"} <= fields
    assert synced["qualifications"]["customs"]["customsCode"] == "2101961234"
    assert synced["qualifications"]["foreignTrade"]["number"] == "04213579"


async def test_sw15_outage_is_a_user_error(gateway: Gateway) -> None:
    token = (await gateway.register_enterprise(5))["token"]
    registry(gateway).available = False
    failed = (await gateway.gql(SYNC, {"s": "MARKET_REGULATOR"}, token=token))["qualificationsSync"]
    assert [e["code"] for e in failed["userErrors"]] == ["REGISTRY_UNAVAILABLE"]
    assert (failed["qualifications"], failed["changes"]) == (None, [])


async def test_sw15_only_the_admin_sees_qualifications(gateway: Gateway) -> None:
    admin = (await gateway.register_enterprise(6))["token"]
    operator = await operator_session(gateway, admin, 61)
    errors = await gateway.gql_errors(QUERY, token=operator)
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"
    errors = await gateway.gql_errors(QUERY)
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await gateway.gql(VIEWER, token=admin))["viewer"]["username"] == "admin0006"
