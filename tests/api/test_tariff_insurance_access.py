"""TI-2 for reads: only the legal person's card session and operators granted TARIFF_INSURANCE
read tariff insurance (credit-check letters, quotas, policies with their e-policies, claims, the
enterprise's legal representative behind them, the credit rating); everyone else of the
enterprise gets FORBIDDEN, and node(id) answers null. Insurers' portals read as before (GW-4)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.agreements import Signer
from tests.api.test_bank_portal import portal_user
from tests.api.test_operators import CREATE, operator_input
from tests.api.test_tariff_insurance import issued_policy, signer
from tests.cards import Cards, card_login
from tests.insurance import add_insurers, approved_quota
from tests.support import Gateway, resident_id, uscc_for

pytestmark = pytest.mark.req("TI-2", "GW-4")
__all__ = ["signer"]

GRANT = """mutation($id: ID!, $p: [BusinessPermission!]!) {
  operatorPermissionsSet(id: $id, permissions: $p) { operator { permissions } userErrors { code } } }"""
READS = {
    "creditAuthorisations": "{ creditAuthorisations { totalCount nodes { number document { sha256 } } } }",
    "tariffQuotas": "{ tariffQuotas { totalCount nodes { number enterprise { legalRepName } } } }",
    "tariffPolicies": "{ tariffPolicies { totalCount nodes { policyNumber ePolicy { dataUrl } } } }",
    "insuranceClaims": "{ insuranceClaims { totalCount } }",
    "tariffInsuranceEligibility": "{ tariffInsuranceEligibility { customsCreditRating } }",
}
NODE = """query($id: ID!) { node(id: $id) {
  ... on TariffQuota { number } ... on TariffPolicy { applicationNumber }
  ... on CreditAuthorisation { number } } }"""
IDS = """{ tariffQuotas { nodes { id } } tariffPolicies { nodes { id } }
  creditAuthorisations { nodes { id } } }"""


async def operator_session(gateway: Gateway, cards: Cards, index: int) -> tuple[str, str]:
    """A new operator of enterprise 1 with an operator card; its id and card session token."""
    admin = await gateway.token_for("admin0001")
    created = (await gateway.gql(CREATE, {"input": operator_input(index)}, token=admin))[
        "operatorCreate"
    ]
    number = f"21000006{index:02d}"
    cards.issue(number, "OPERATOR", uscc_for(1), resident_id(index, "19900101"))
    return created["operator"]["id"], (await card_login(gateway, cards, number))["token"]


def ids_of(data: dict[str, Any]) -> list[str]:
    return [n["id"] for part in data.values() for n in part["nodes"]]


async def nodes(gateway: Gateway, ids: list[str], token: str) -> list[Any]:
    return [(await gateway.gql(NODE, {"id": i}, token=token))["node"] for i in ids]


async def test_ti2_without_the_permission_nothing_of_tariff_insurance_is_read(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    insurers = await add_insurers(gateway)
    quota = await approved_quota(gateway, cards, signer, insurers)
    await issued_policy(gateway, signer, quota)
    ids = ids_of(await gateway.gql(IDS, token=signer.token))
    assert len(ids) == 3
    operator_id, operator = await operator_session(gateway, cards, 82)
    admin = await gateway.token_for("admin0001")  # the admin's password session: no permission
    for token in (operator, admin):
        for name, query in READS.items():
            errors = await gateway.gql_errors(query, token=token)
            assert errors[0]["extensions"] == {
                "code": "FORBIDDEN",
                "reason": "PERMISSION_REQUIRED:TARIFF_INSURANCE",
            }, (name, errors)
        assert await nodes(gateway, ids, token) == [None] * 3

    # The legal person grants the permission: the operator reads all of it.
    granted = (
        await gateway.gql(GRANT, {"id": operator_id, "p": ["TARIFF_INSURANCE"]}, token=signer.token)
    )["operatorPermissionsSet"]
    assert granted["userErrors"] == []
    for name, query in READS.items():
        data = await gateway.gql(query, token=operator)
        assert data[name], name
    assert (await gateway.gql(READS["tariffPolicies"], token=operator))["tariffPolicies"][
        "totalCount"
    ] == 1
    assert all(await nodes(gateway, ids, operator))
    # Revoked again: nothing.
    await gateway.gql(GRANT, {"id": operator_id, "p": ["FINANCING"]}, token=signer.token)
    errors = await gateway.gql_errors(READS["tariffQuotas"], token=operator)
    assert errors[0]["extensions"]["reason"] == "PERMISSION_REQUIRED:TARIFF_INSURANCE"


async def test_gw4_an_insurers_portal_still_reads_what_is_addressed_to_it(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    insurers = await add_insurers(gateway)
    quota = await approved_quota(gateway, cards, signer, insurers)
    paic = await portal_user(gateway, "paicuser05", "PAIC")
    for name, query in READS.items():
        if name == "tariffInsuranceEligibility":
            continue
        assert name in await gateway.gql(query, token=paic)
    assert await nodes(gateway, [quota["id"]], paic) == [{"number": quota["number"]}]
