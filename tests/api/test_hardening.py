"""Odd input gets a stable code, never an internal server error (issue 14; SW-6, GW-1)."""

from __future__ import annotations

import base64
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from resolvers.core.errors import Problems
from resolvers.core.fields import money
from tests.support import LOGIN, PASSWORD, Gateway

pytestmark = pytest.mark.req("SW-6", "GW-1", "GW-6")


def full_width(text: str) -> str:
    """What a Chinese IME types for ASCII letters and digits."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


async def login(gateway: Gateway, answer: str) -> dict[str, object]:
    captcha = await gateway.captcha()
    captcha["answer"] = answer.replace("{answer}", captcha["answer"])
    payload = await gateway.gql(
        LOGIN, {"input": {"username": "admin0031", "password": PASSWORD, "captcha": captcha}}
    )
    return payload["sessionCreate"]  # type: ignore[no-any-return]


async def test_a_full_width_captcha_answer_is_what_the_user_meant(gateway: Gateway) -> None:
    await gateway.register_enterprise(31)
    captcha = await gateway.captcha()
    captcha["answer"] = full_width(captcha["answer"])
    payload = await gateway.gql(
        LOGIN, {"input": {"username": "admin0031", "password": PASSWORD, "captcha": captcha}}
    )
    assert payload["sessionCreate"]["userErrors"] == []


@pytest.mark.parametrize("answer", ["é", "ＡＢＣＤ€", "验证码", "\u0000", "{answer}\U0001f600"])
async def test_a_non_ascii_captcha_answer_is_a_wrong_answer(gateway: Gateway, answer: str) -> None:
    await gateway.register_enterprise(31)
    result = await login(gateway, answer)
    assert [e["code"] for e in result["userErrors"]] == ["CAPTCHA_INVALID"]  # type: ignore[index, union-attr]


@given(st.sampled_from(["NaN", "-NaN", "sNaN", "Infinity", "-Infinity", "1e999999", "-0"]))
def test_money_refuses_what_is_not_a_finite_positive_amount(value: str) -> None:
    problems = Problems()
    assert money(problems, Decimal(value), "amount") is None
    assert [p.code.value for p in problems.items] == ["AMOUNT_INVALID"]


@given(st.decimals(allow_nan=True, allow_infinity=True))
def test_money_never_raises(value: Decimal) -> None:
    problems = Problems()
    result = money(problems, value, "amount")
    assert (result is None) == bool(problems.items)


def global_id(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


NODE = "query($id: ID!) { node(id: $id) { __typename id } }"


async def test_node_refetches_by_the_id_it_was_given_and_nothing_else(gateway: Gateway) -> None:
    admin = await gateway.register_enterprise(32)
    token = admin["token"]
    me = (await gateway.gql("{ viewer { id } }", token=token))["viewer"]["id"]
    found = (await gateway.gql(NODE, {"id": me}, token=token))["node"]
    assert found == {"__typename": "EnterpriseAdmin", "id": me}
    pk = base64.b64decode(me).decode().split(":")[1]
    # The same key under another type's name, an interface, or a type that is no node: null.
    for forged in (f"Operator:{pk}", f"Account:{pk}", f"Node:{pk}", f"Query:{pk}", f"Nope:{pk}"):
        assert (await gateway.gql(NODE, {"id": global_id(forged)}, token=token))["node"] is None


@pytest.mark.parametrize(
    "local", ["", "abc", "-1", "0", "1.0", "１", "99999999999999999999999", " 1", "1e3"]
)
async def test_a_forged_local_id_is_bad_input(gateway: Gateway, local: str) -> None:
    admin = await gateway.register_enterprise(33)
    errors = await gateway.gql_errors(
        NODE, {"id": global_id(f"EnterpriseAdmin:{local}")}, token=admin["token"]
    )
    assert [e["extensions"]["code"] for e in errors] == ["BAD_USER_INPUT"]


@given(st.decimals(allow_nan=True, allow_infinity=True))
def test_a_product_rate_never_raises(value: Decimal) -> None:
    """XC-4: NaN, -NaN or a huge exponent as a product's rate is RATE_RANGE_INVALID."""
    from resolvers.marketplace.products import _rate

    problems = Problems()
    result = _rate(problems, value, "minRate")
    assert (result is None) == bool(problems.items)


def test_a_decompression_bomb_is_not_an_image(monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by the fuzz test: a small file declaring more pixels than Pillow will decode raised
    DecompressionBombError (a server error); it is a file of the wrong type."""
    import io

    from PIL import Image

    from models import UploadKind
    from resolvers.core.errors import CommonErrorCode
    from resolvers.core.uploads import UploadedFile, check_file

    buffer = io.BytesIO()
    Image.new("RGB", (100, 100), "white").save(buffer, "JPEG")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10)  # 100 x 100 is now a "bomb"
    problems = Problems()
    upload = UploadedFile(UploadKind.ID_FRONT, "bomb.jpg", buffer.getvalue())
    assert check_file(upload, problems, "file") is None
    assert [p.code for p in problems.items] == [CommonErrorCode.FILE_TYPE]


@pytest.mark.parametrize(
    "value", ["2026-01-15T10:30:00", "0858-04-06T16:00:11.000135", "9999-12-31T23:59:59-23:59"]
)
async def test_a_date_time_without_offset_or_outside_the_calendar_is_bad_input(
    gateway: Gateway, value: str
) -> None:
    """Found by the fuzz test: a naive or unrepresentable DateTime reached the database."""
    admin = await gateway.register_enterprise(34)
    query = "query($t: DateTime) { loanOrders(filter: {submittedTo: $t}, first: 5) { totalCount } }"
    response = await gateway.post(query, {"t": value}, token=admin["token"])
    errors = response.json()["errors"]
    assert response.status_code == 400
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_seal_search_accepts_the_first_and_last_days_of_the_calendar(
    gateway: Gateway,
) -> None:
    admin = await gateway.register_enterprise(35)
    query = "query($f: Date, $t: Date) { seals(filter: {createdFrom: $f, createdTo: $t}) { totalCount } }"
    data = await gateway.gql(query, {"f": "0001-01-01", "t": "9999-12-31"}, token=admin["token"])
    assert data["seals"]["totalCount"] == 0


@pytest.mark.parametrize("local", ["99999999999999999999999999", "9" * 5000, "１", "0"])
async def test_a_mutation_refuses_a_local_id_that_is_no_database_key(
    gateway: Gateway, local: str
) -> None:
    """Found by the fuzz test: huge keys overflowed SQLite, 5000 digits overflowed int()."""
    admin = await gateway.register_enterprise(36)
    query = "mutation($id: ID!) { sealEnable(id: $id) { userErrors { code } } }"
    errors = await gateway.gql_errors(
        query, {"id": global_id(f"Seal:{local}")}, token=admin["token"]
    )
    assert [e["extensions"]["code"] for e in errors] == ["BAD_USER_INPUT"]
