"""The gates CI enforces for W1 (PERFORMANCE-NOTES §3.6): the gateway's bank-portal order page
is byte-identical to the hand-written reference, and its statement count does not grow with the
page (GW-2, GW-3)."""

from __future__ import annotations

import pytest

from tests.benchmarks import dataset
from tests.benchmarks.server import add_references
from tests.benchmarks.workloads import CREDIT_ORDER_PAGE, ORDER_PAGE
from tests.support import Gateway

pytestmark = pytest.mark.req("GW-2", "GW-3")
SMALL = dataset.Size(banks=3, enterprises=60, orders=900)


@pytest.fixture
async def portal(gateway: Gateway) -> tuple[Gateway, str]:
    assert gateway.app is not None
    add_references(gateway.app)
    await dataset.load(gateway.services.sessionmaker.kw["bind"], SMALL)
    return gateway, await gateway.token_for(dataset.portal_username(2), dataset.PASSWORD)


async def fetch(gateway: Gateway, token: str, first: int) -> tuple[bytes, bytes, int, int]:
    headers = {"authorization": f"Bearer {token}"}
    with gateway.statements() as ours:
        mine = await gateway.http.post(
            "/graphql", json={"query": ORDER_PAGE, "variables": {"first": first}}, headers=headers
        )
    with gateway.statements() as reference:
        theirs = await gateway.http.get(f"/reference/orders?first={first}", headers=headers)
    assert mine.status_code == theirs.status_code == 200
    return mine.content, theirs.content, ours[0], reference[0]


@pytest.mark.parametrize("first", [20, 50, 100])
async def test_the_order_page_is_byte_identical_to_the_hand_written_reference(
    portal: tuple[Gateway, str], first: int
) -> None:
    gateway, token = portal
    mine, theirs, _, _ = await fetch(gateway, token, first)
    assert mine == theirs
    assert mine.count(b'"number"') == first


async def test_the_order_page_costs_the_same_statements_for_20_or_100_orders(
    portal: tuple[Gateway, str],
) -> None:
    gateway, token = portal
    _, _, twenty, reference = await fetch(gateway, token, 20)
    _, _, hundred, _ = await fetch(gateway, token, 100)
    # The session, the count, the page, one IN load of the enterprises: as the reference does.
    assert twenty == hundred == reference == 4


async def test_another_banks_token_sees_only_its_own_orders(portal: tuple[Gateway, str]) -> None:
    gateway, _ = portal
    other = await gateway.token_for(dataset.portal_username(3), dataset.PASSWORD)
    data = await gateway.gql(ORDER_PAGE, {"first": 100}, token=other)
    numbers = {int(n["number"][2:]) for n in data["loanOrders"]["nodes"]}
    # The generator gives order o to bank (o % banks) + 1.
    assert numbers
    assert all(o % SMALL.banks + 1 == 3 for o in numbers)


@pytest.mark.req("GW-4", "XC-8", "XC-9")
@pytest.mark.parametrize("first", [20, 50, 100])
async def test_the_credit_order_page_is_byte_identical_and_costs_5_statements(
    portal: tuple[Gateway, str], first: int
) -> None:
    gateway, token = portal
    headers = {"authorization": f"Bearer {token}"}
    with gateway.statements() as ours:
        mine = await gateway.http.post(
            "/graphql",
            json={"query": CREDIT_ORDER_PAGE, "variables": {"first": first}},
            headers=headers,
        )
    with gateway.statements() as reference:
        theirs = await gateway.http.get(
            f"/reference/orders-with-credit?first={first}", headers=headers
        )
    assert mine.status_code == theirs.status_code == 200
    assert mine.content == theirs.content
    assert mine.content.count(b'"riskFlags"') == first
    assert b'"severity":"HIGH"' in mine.content
    # The session, the count, the page, the enterprises, the credit records.
    assert ours[0] == reference[0] == 5
