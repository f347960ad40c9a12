"""An admin's operators (SW-13), tenant scoping, and batched loading of operator lists."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select

from models import Account, AccountKind
from tests.support import Gateway, resident_id

pytestmark = pytest.mark.req("SW-13", "SW-1", "GW-1")

CREATE = """
mutation($input: OperatorCreateInput!) {
  operatorCreate(input: $input) {
    operator { id username name mobile nextStep mustChangePassword viewerCanUpdate enterprise { name } }
    userErrors { code field message }
  }
}"""
UPDATE = """
mutation($id: ID!, $input: OperatorUpdateInput!) {
  operatorUpdate(id: $id, input: $input) { operator { id name status mobile } userErrors { code field } }
}"""
DELETE = """
mutation($id: ID!, $confirm: Boolean!) {
  operatorDelete(id: $id, confirm: $confirm) { deletedOperatorId userErrors { code field } }
}"""
LIST = """
query($first: Int!, $after: String, $query: String) {
  viewer { ... on EnterpriseAdmin { enterprise { operators(first: $first, after: $after, query: $query) {
    totalCount pageInfo { hasNextPage endCursor } nodes { id username name enterprise { name uscc } }
  } } } }
}"""
NODE = "query($id: ID!) { node(id: $id) { id ... on Operator { username } } }"


def operator_input(index: int, **changes: Any) -> dict[str, Any]:
    data = {
        "username": f"oper{index:04d}",
        "name": f"操作员{index}",
        "mobile": f"137{index:08d}",
        "idType": "RESIDENT_ID",
        "idNumber": resident_id(index, "19900101"),
        "idValidFrom": "20200101",
        "idValidTo": "00000000",
    }
    data.update(changes)
    return data


def update_input(created: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """The edit form, prefilled with what the operator has now."""
    data = operator_input(
        0, name=created.get("name", "操作员"), mobile=created.get("mobile", "13700000000")
    )
    data.pop("username")
    data["status"] = "ENABLED"
    data.update(changes)
    return data


async def create(gateway: Gateway, token: str, index: int, **changes: Any) -> dict[str, Any]:
    return (await gateway.gql(CREATE, {"input": operator_input(index, **changes)}, token=token))[
        "operatorCreate"
    ]


async def operators(gateway: Gateway, token: str, first: int = 20, **args: Any) -> dict[str, Any]:
    data = await gateway.gql(LIST, {"first": first, **args}, token=token)
    return data["viewer"]["enterprise"]["operators"]  # type: ignore[no-any-return]


async def test_sw13_admin_creates_lists_searches_updates_and_deletes(gateway: Gateway) -> None:
    token = (await gateway.register_enterprise(1))["token"]
    first = await create(gateway, token, 1, name="赵磊")
    assert first["userErrors"] == []
    operator = first["operator"]
    assert operator["nextStep"] == "VERIFY_MOBILE"
    assert operator["mustChangePassword"] is True
    assert operator["viewerCanUpdate"] is True
    await create(gateway, token, 2, name="孙悦")
    listed = await operators(gateway, token)
    assert listed["totalCount"] == 2
    assert [n["username"] for n in (await operators(gateway, token, query="孙"))["nodes"]] == [
        "oper0002"
    ]
    assert [
        n["username"] for n in (await operators(gateway, token, query="OPER0001"))["nodes"]
    ] == ["oper0001"]

    updated = (
        await gateway.gql(
            UPDATE,
            {
                "id": operator["id"],
                "input": update_input(
                    operator, name="赵磊磊", idNumber=resident_id(1, "19900101"), status="DISABLED"
                ),
            },
            token=token,
        )
    )["operatorUpdate"]
    assert updated["userErrors"] == []
    assert updated["operator"]["name"] == "赵磊磊"
    assert updated["operator"]["status"] == "DISABLED"
    # A disabled operator cannot log in.
    assert (await gateway.login("oper0001", "88888888"))["userErrors"][0][
        "code"
    ] == "ACCOUNT_DISABLED"

    unconfirmed = await gateway.gql(DELETE, {"id": operator["id"], "confirm": False}, token=token)
    assert unconfirmed["operatorDelete"]["userErrors"] == [
        {"code": "CONFIRMATION_REQUIRED", "field": ["confirm"]}
    ]
    deleted = (await gateway.gql(DELETE, {"id": operator["id"], "confirm": True}, token=token))[
        "operatorDelete"
    ]
    assert deleted == {"deletedOperatorId": operator["id"], "userErrors": []}
    assert (await operators(gateway, token))["totalCount"] == 1


async def test_sw13_operator_identity_is_unique_inside_the_enterprise_only(
    gateway: Gateway,
) -> None:
    token = (await gateway.register_enterprise(2))["token"]
    assert (await create(gateway, token, 3))["userErrors"] == []
    before = await gateway.snapshot()
    duplicate = await create(gateway, token, 4, idNumber=resident_id(3, "19900101"))
    assert duplicate["userErrors"] == [
        {
            "code": "OPERATOR_IDENTITY_TAKEN",
            "field": ["idNumber"],
            "message": duplicate["userErrors"][0]["message"],
        }
    ]
    taken = await create(gateway, token, 5, username="OPER0003")
    assert [e["code"] for e in taken["userErrors"]] == ["USERNAME_TAKEN"]
    assert await gateway.snapshot() == before
    # Another enterprise may have an operator with the same identity.
    other = (await gateway.register_enterprise(3))["token"]
    assert (await create(gateway, other, 6, idNumber=resident_id(3, "19900101")))[
        "userErrors"
    ] == []


async def test_sw13_bad_operator_input_writes_nothing(gateway: Gateway) -> None:
    token = (await gateway.register_enterprise(4))["token"]
    before = await gateway.snapshot()
    payload = await create(
        gateway, token, 7, username="op", mobile="1234", idNumber="210102199001011230"
    )
    assert {e["code"] for e in payload["userErrors"]} == {
        "USERNAME_FORMAT",
        "MOBILE_LENGTH",
        "ID_CHECK",
    }
    assert await gateway.snapshot() == before


async def test_sw13_admins_never_see_or_change_another_enterprises_operators(
    gateway: Gateway,
) -> None:
    """Two enterprises, real sessions: every cross-tenant read and write is refused."""
    alpha = (await gateway.register_enterprise(5))["token"]
    beta = (await gateway.register_enterprise(6))["token"]
    victim = (await create(gateway, alpha, 8))["operator"]
    assert (await operators(gateway, beta))["totalCount"] == 0
    assert (await gateway.gql(NODE, {"id": victim["id"]}, token=beta)) == {"node": None}
    assert (await gateway.gql(NODE, {"id": victim["id"]}, token=alpha))["node"][
        "username"
    ] == "oper0008"
    before = await gateway.snapshot()
    update = await gateway.gql(
        UPDATE, {"id": victim["id"], "input": update_input(victim)}, token=beta
    )
    assert update["operatorUpdate"]["userErrors"] == [{"code": "NOT_FOUND", "field": ["id"]}]
    delete = await gateway.gql(DELETE, {"id": victim["id"], "confirm": True}, token=beta)
    assert delete["operatorDelete"]["userErrors"] == [{"code": "NOT_FOUND", "field": ["id"]}]
    assert await gateway.snapshot() == before
    # Reading the other enterprise's operator list through its enterprise node is refused too.
    enterprise_id = (
        await gateway.gql(
            "{ viewer { ... on EnterpriseAdmin { enterprise { id } } } }", token=alpha
        )
    )["viewer"]["enterprise"]["id"]
    assert (
        await gateway.gql(
            NODE.replace("Operator { username }", "Enterprise { name }"),
            {"id": enterprise_id},
            token=beta,
        )
    ) == {"node": None}


async def test_sw13_operators_cannot_manage_operators(gateway: Gateway) -> None:
    admin = (await gateway.register_enterprise(7))["token"]
    await create(gateway, admin, 9)
    # Skip the first-login steps (tested in test_sessions) straight in the database.
    async with gateway.services.sessionmaker() as db:
        row = (await db.exec(select(Account).where(Account.username == "oper0009"))).one()
        row.must_verify_mobile = row.must_change_password = False
        db.add(row)
        await db.commit()
    token = await gateway.token_for("oper0009", "88888888")
    errors = await gateway.gql_errors(CREATE, {"input": operator_input(10)}, token=token)
    assert errors[0]["extensions"] == {"code": "FORBIDDEN", "reason": "ADMIN_ONLY"}


async def test_sw13_an_operator_sees_its_enterprise_without_the_operator_list(
    gateway: Gateway,
) -> None:
    """Only the admin may list operators; an operator asking for the list gets the rest of its
    answer, with the list null and FORBIDDEN at its path (it was non-null, and the error took
    the operator's whole viewer with it)."""
    admin = (await gateway.register_enterprise(8))["token"]
    await create(gateway, admin, 11)
    async with gateway.services.sessionmaker() as db:
        row = (await db.exec(select(Account).where(Account.username == "oper0011"))).one()
        row.must_verify_mobile = row.must_change_password = False
        db.add(row)
        await db.commit()
    token = await gateway.token_for("oper0011", "88888888")
    query = """{ viewer { username ... on Operator {
        enterprise { name operators(first: 5) { totalCount } } } } }"""
    response = await gateway.post(query, token=token)
    body = response.json()
    assert response.status_code == 200
    assert body["data"] == {
        "viewer": {
            "username": "oper0011",
            "enterprise": {"name": "测试进出口有限公司8", "operators": None},
        }
    }
    [error] = body["errors"]
    assert error["path"] == ["viewer", "enterprise", "operators"]
    assert error["extensions"] == {"code": "FORBIDDEN", "reason": "ADMIN_ONLY"}


async def test_sw13_operator_list_is_paginated_with_opaque_cursors(gateway: Gateway) -> None:
    token = (await gateway.register_enterprise(8))["token"]
    await insert_operators(gateway, "admin0008", 5)
    page = await operators(gateway, token, first=2)
    assert page["totalCount"] == 5
    assert page["pageInfo"]["hasNextPage"] is True
    rest = await operators(gateway, token, first=10, after=page["pageInfo"]["endCursor"])
    assert len(rest["nodes"]) == 3
    assert rest["pageInfo"]["hasNextPage"] is False
    assert {n["username"] for n in page["nodes"]}.isdisjoint({n["username"] for n in rest["nodes"]})
    too_many = await gateway.gql_errors(LIST, {"first": 101}, token=token)
    assert too_many[0]["extensions"] == {"code": "BAD_USER_INPUT", "reason": "FIRST_OUT_OF_RANGE"}
    bad_cursor = await gateway.gql_errors(LIST, {"first": 2, "after": "garbage"}, token=token)
    assert bad_cursor[0]["extensions"]["reason"] == "INVALID_CURSOR"


async def insert_operators(gateway: Gateway, admin_username: str, count: int) -> None:
    """Bulk set-up straight into the database (the API path is tested above)."""
    async with gateway.services.sessionmaker() as db:
        admin = (await db.exec(select(Account).where(Account.username == admin_username))).one()
        for index in range(count):
            db.add(
                Account(
                    kind=AccountKind.OPERATOR,
                    username=f"bulk{admin.id}x{index}",
                    username_key=f"bulk{admin.id}x{index}",
                    enterprise_id=admin.enterprise_id,
                    name=f"批量{index}",
                    id_type="RESIDENT_ID",
                    id_number=resident_id(index, "19950101"),
                )
            )
        await db.commit()


async def test_gw1_listing_10_or_100_operators_costs_the_same_statements(gateway: Gateway) -> None:
    token = (await gateway.register_enterprise(9))["token"]
    await insert_operators(gateway, "admin0009", 100)
    with gateway.statements() as ten:
        assert len((await operators(gateway, token, first=10))["nodes"]) == 10
    with gateway.statements() as hundred:
        assert len((await operators(gateway, token, first=100))["nodes"]) == 100
    assert ten[0] == hundred[0]
    # Session look-up, count, page, and one batched load of the enterprise.
    assert hundred[0] <= 4
