"""Card login, activation, binding, business permissions (SW-7, SW-8, SW-14, SW-11, SW-13,
LN-1, TI-2), with virtual cards signing through the card agent."""

from __future__ import annotations

import base64
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from integrations.card import (
    CardBlocked,
    CertificateAuthority,
    WrongPin,
)
from models import Enterprise as EnterpriseRow
from tests.cards import ACTIVATE, BIND, CARD_LOGIN, PIN, SESSION, Cards, card_login, challenge
from tests.support import PASSWORD, Gateway, resident_id, uscc_for

pytestmark = pytest.mark.req("SW-7", "SW-8", "SW-14", "LN-1", "TI-2")


async def test_sw7_rule1_legal_person_card_of_a_new_enterprise_creates_an_inactive_admin(
    gateway: Gateway, cards: Cards
) -> None:
    number = cards.issue("2100000001", "LEGAL_PERSON", uscc_for(1), resident_id(1, "19700315"))
    payload = await card_login(gateway, cards, number)
    assert payload["userErrors"] == []
    assert payload["createdUsernames"] == ["2100000001_ADMIN"]
    assert payload["account"] == {
        "username": "2100000001_ADMIN",
        "kind": "ENTERPRISE_ADMIN",
        "name": "王建国",
        "activated": False,
    }
    session = await gateway.gql(SESSION, token=payload["token"])
    assert session["viewerSession"]["method"] == "CARD"
    assert session["viewerSession"]["cardKind"] == "LEGAL_PERSON"
    assert session["viewer"]["name"] == "王建国"  # LN-1: the current user's name is shown
    # SW-8: no password login until the card holder activates the account.
    assert (await gateway.login("2100000001_ADMIN", "88888888"))["userErrors"][0][
        "code"
    ] == "ACCOUNT_NOT_ACTIVATED"
    weak = {"input": {"password": "88888888", "passwordConfirmation": "88888888"}}
    assert (await gateway.gql(ACTIVATE, weak, token=payload["token"]))["accountActivate"][
        "userErrors"
    ] == [{"code": "PASSWORD_POLICY"}]
    good = {"input": {"password": PASSWORD, "passwordConfirmation": PASSWORD}}
    activated = (await gateway.gql(ACTIVATE, good, token=payload["token"]))["accountActivate"]
    assert activated == {"account": {"activated": True}, "userErrors": []}
    assert (await gateway.login("2100000001_admin"))["token"]


async def test_sw8_activation_needs_a_card_session(gateway: Gateway) -> None:
    token = (await gateway.register_enterprise(2))["token"]
    good = {"input": {"password": PASSWORD, "passwordConfirmation": PASSWORD}}
    errors = await gateway.gql_errors(ACTIVATE, good, token=token)
    assert errors[0]["extensions"] == {"code": "FORBIDDEN", "reason": "CARD_SESSION_REQUIRED"}


async def test_sw7_rule2_legal_person_card_binds_the_existing_admin_and_warns_on_replacement(
    gateway: Gateway, cards: Cards
) -> None:
    await gateway.register_enterprise(3)
    first = cards.issue("2100000003", "LEGAL_PERSON", uscc_for(3), resident_id(503, "19700315"))
    payload = await card_login(gateway, cards, first)
    assert payload["createdUsernames"] == []
    assert payload["account"]["username"] == "admin0003"
    assert payload["replacedCardNumber"] is None
    second = cards.issue("2100000033", "LEGAL_PERSON", uscc_for(3), resident_id(503, "19700315"))
    replaced = await card_login(gateway, cards, second)
    assert replaced["account"]["username"] == "admin0003"
    assert replaced["replacedCardNumber"] == "2100000003"


async def test_sw7_rule3_operator_card_without_admin_creates_admin_and_operator(
    gateway: Gateway, cards: Cards
) -> None:
    number = cards.issue(
        "2100000004", "OPERATOR", uscc_for(4), resident_id(4, "19900101"), holder_name="赵磊"
    )
    payload = await card_login(gateway, cards, number)
    assert payload["createdUsernames"] == ["2100000004_ADMIN", "2100000004"]
    assert payload["account"]["kind"] == "OPERATOR"
    assert payload["account"]["username"] == "2100000004"
    session = await gateway.gql(SESSION, token=payload["token"])
    assert session["viewerSession"]["cardKind"] == "OPERATOR"
    assert session["viewerSession"]["businessPermissions"] == []


async def test_sw7_rule4_operator_card_binds_the_operator_with_the_same_id_or_creates_one(
    gateway: Gateway, cards: Cards
) -> None:
    from tests.api.test_operators import CREATE, operator_input

    admin = (await gateway.register_enterprise(5))["token"]
    await gateway.gql(CREATE, {"input": operator_input(55)}, token=admin)
    same = cards.issue("2100000005", "OPERATOR", uscc_for(5), resident_id(55, "19900101"))
    payload = await card_login(gateway, cards, same)
    assert payload["createdUsernames"] == []
    assert payload["account"]["username"] == "oper0055"
    other = cards.issue("2100000055", "OPERATOR", uscc_for(5), resident_id(56, "19900101"))
    created = await card_login(gateway, cards, other)
    assert created["createdUsernames"] == ["2100000055"]


async def test_sw7_bad_cards_and_signatures_are_refused_and_nothing_is_written(
    gateway: Gateway, cards: Cards, tmp_path: Path
) -> None:
    good = cards.issue("2100000006", "LEGAL_PERSON", uscc_for(6), resident_id(6, "19700315"))
    foreign = cards.issue(
        "2100000066",
        "LEGAL_PERSON",
        uscc_for(6),
        resident_id(6, "19700315"),
        authority=CertificateAuthority.create("Some other CA"),
    )
    expired = cards.issue(
        "2100000067",
        "LEGAL_PERSON",
        uscc_for(6),
        resident_id(6, "19700315"),
        not_before=datetime.now(UTC) - timedelta(days=400),
        valid_days=30,
    )
    before = await gateway.snapshot()

    async def attempt(
        number: str, nonce_for_signing: str | None = None, reuse: dict[str, str] | None = None
    ) -> list[str]:
        issued = reuse or await challenge(gateway)
        signed = cards.sign(number, nonce_for_signing or issued["nonce"])
        payload = await gateway.gql(CARD_LOGIN, {"input": {"challengeId": issued["id"], **signed}})
        return [e["code"] for e in payload["sessionCreateWithCard"]["userErrors"]]

    assert await attempt(good, nonce_for_signing=secrets.token_urlsafe(32)) == [
        "CARD_SIGNATURE_INVALID"
    ]
    assert await attempt(foreign) == ["CARD_CERTIFICATE_REJECTED"]
    assert await attempt(expired) == ["CARD_CERTIFICATE_REJECTED"]
    garbage = await challenge(gateway)
    payload = await gateway.gql(
        CARD_LOGIN,
        {"input": {"challengeId": garbage["id"], "certificate": "%%%", "signature": "AA=="}},
    )
    assert payload["sessionCreateWithCard"]["userErrors"][0]["code"] == "INVALID_FORMAT"
    assert await gateway.snapshot() == before
    # A nonce is single use: replaying a good signature fails.
    used = await challenge(gateway)
    signed = cards.sign(good, used["nonce"])
    first = await gateway.gql(CARD_LOGIN, {"input": {"challengeId": used["id"], **signed}})
    assert first["sessionCreateWithCard"]["userErrors"] == []
    after_login = await gateway.snapshot()
    replay = await gateway.gql(CARD_LOGIN, {"input": {"challengeId": used["id"], **signed}})
    assert replay["sessionCreateWithCard"]["userErrors"][0]["code"] == "CHALLENGE_INVALID"
    assert await gateway.snapshot() == after_login


async def test_sw7_expired_challenges_are_refused(gateway: Gateway, cards: Cards) -> None:
    number = cards.issue("2100000007", "LEGAL_PERSON", uscc_for(7), resident_id(7, "19700315"))
    issued = await challenge(gateway)
    signed = cards.sign(number, issued["nonce"])
    gateway.services.clock.advance(timedelta(minutes=3))
    payload = await gateway.gql(CARD_LOGIN, {"input": {"challengeId": issued["id"], **signed}})
    assert payload["sessionCreateWithCard"]["userErrors"][0]["code"] == "CHALLENGE_INVALID"


def test_wrong_pin_counts_down_and_blocks_the_card(cards: Cards) -> None:
    number = cards.issue("2100000008", "LEGAL_PERSON", uscc_for(8), resident_id(8, "19700315"))
    for left in (2, 1):
        with pytest.raises(WrongPin) as wrong:
            cards.sign(number, "nonce", pin="654321")
        assert wrong.value.tries_left == left
    with pytest.raises(CardBlocked):
        cards.sign(number, "nonce", pin="654321")
    with pytest.raises(CardBlocked):
        cards.sign(number, "nonce", pin=PIN)


async def test_sw14_bind_list_and_unbind_a_card(gateway: Gateway, cards: Cards) -> None:
    token = (await gateway.register_enterprise(9))["token"]
    number = cards.issue("2100000009", "LEGAL_PERSON", uscc_for(9), resident_id(509, "19700315"))
    issued = await challenge(gateway, "BIND", token)
    signed = cards.sign(number, issued["nonce"])
    bound = (
        await gateway.gql(BIND, {"input": {"challengeId": issued["id"], **signed}}, token=token)
    )["cardBind"]
    assert bound["userErrors"] == []
    listed = (await gateway.gql("{ viewerCards { id cardNumber kind boundAt } }", token=token))[
        "viewerCards"
    ]
    assert [c["cardNumber"] for c in listed] == ["2100000009"]
    unbind = "mutation($id: ID!) { cardUnbind(id: $id) { card { boundAt } userErrors { code } } }"
    result = (await gateway.gql(unbind, {"id": listed[0]["id"]}, token=token))["cardUnbind"]
    assert result == {"card": {"boundAt": None}, "userErrors": []}
    assert (await gateway.gql("{ viewerCards { id } }", token=token))["viewerCards"] == []


async def test_sw14_a_card_of_another_enterprise_or_kind_cannot_be_bound(
    gateway: Gateway, cards: Cards
) -> None:
    token = (await gateway.register_enterprise(10))["token"]
    foreign = cards.issue("2100000010", "LEGAL_PERSON", uscc_for(11), resident_id(10, "19700315"))
    operator_card = cards.issue("2100000110", "OPERATOR", uscc_for(10), resident_id(10, "19900101"))
    before = await gateway.snapshot()
    for number, code in (
        (foreign, "CARD_ENTERPRISE_MISMATCH"),
        (operator_card, "CARD_KIND_MISMATCH"),
    ):
        issued = await challenge(gateway, "BIND", token)
        signed = cards.sign(number, issued["nonce"])
        payload = await gateway.gql(
            BIND, {"input": {"challengeId": issued["id"], **signed}}, token=token
        )
        assert payload["cardBind"]["userErrors"][0]["code"] == code
    assert await gateway.snapshot() == before
    # A login challenge cannot be used to bind.
    login_challenge = await challenge(gateway)
    signed = cards.sign(operator_card, login_challenge["nonce"])
    payload = await gateway.gql(
        BIND, {"input": {"challengeId": login_challenge["id"], **signed}}, token=token
    )
    assert payload["cardBind"]["userErrors"][0]["code"] == "CHALLENGE_INVALID"


async def test_sw11_sw13_card_rules_for_operators(gateway: Gateway, cards: Cards) -> None:
    from tests.api.test_operators import DELETE, UPDATE, operator_input, update_input

    admin = (await gateway.register_enterprise(12))["token"]
    number = cards.issue(
        "2100000012", "OPERATOR", uscc_for(12), resident_id(12, "19900101"), holder_name="孙悦"
    )
    operator_session = await card_login(gateway, cards, number)
    operator_token = operator_session["token"]
    operators = (
        await gateway.gql(
            "{ viewer { ... on EnterpriseAdmin { enterprise { operators(first: 5) { nodes { id username } } } } } }",
            token=admin,
        )
    )["viewer"]["enterprise"]["operators"]["nodes"]
    operator_id = operators[0]["id"]
    # SW-13: this admin has no card; the operator has one.
    edit = update_input({"name": "孙悦"}, idNumber=resident_id(12, "19900101"))
    refused = (await gateway.gql(UPDATE, {"id": operator_id, "input": edit}, token=admin))[
        "operatorUpdate"
    ]
    assert refused["userErrors"] == [{"code": "OPERATOR_CARD_BOUND", "field": ["id"]}]
    deleted = (await gateway.gql(DELETE, {"id": operator_id, "confirm": True}, token=admin))[
        "operatorDelete"
    ]
    assert deleted["userErrors"] == [{"code": "OPERATOR_CARD_BOUND", "field": ["id"]}]
    # SW-11: the operator changes its own name: the card no longer matches and is unbound.
    identity = """mutation($input: AccountIdentityUpdateInput!) { accountIdentityUpdate(input: $input) { userErrors { code } } }"""
    change = {
        "name": "孙小悦",
        "idType": "RESIDENT_ID",
        "idNumber": resident_id(12, "19900101"),
        "idValidFrom": "20200101",
        "idValidTo": "00000000",
    }
    assert (await gateway.gql(identity, {"input": change}, token=operator_token))[
        "accountIdentityUpdate"
    ]["userErrors"] == []
    assert (await gateway.gql("{ viewerCards { id } }", token=operator_token))["viewerCards"] == []
    # Now the admin may edit it.
    assert (await gateway.gql(UPDATE, {"id": operator_id, "input": edit}, token=admin))[
        "operatorUpdate"
    ]["userErrors"] == []
    assert operator_input(0)


async def test_ti2_only_a_legal_person_card_session_grants_permissions(
    gateway: Gateway, cards: Cards
) -> None:
    from tests.api.test_operators import CREATE, operator_input

    password_session = (await gateway.register_enterprise(13))["token"]
    created = await gateway.gql(CREATE, {"input": operator_input(130)}, token=password_session)
    operator_id = created["operatorCreate"]["operator"]["id"]
    grant = """mutation($id: ID!, $p: [BusinessPermission!]!) {
        operatorPermissionsSet(id: $id, permissions: $p) { operator { permissions } userErrors { code } } }"""
    errors = await gateway.gql_errors(
        grant, {"id": operator_id, "p": ["FINANCING"]}, token=password_session
    )
    assert errors[0]["extensions"] == {"code": "FORBIDDEN", "reason": "LEGAL_PERSON_CARD_REQUIRED"}
    legal = cards.issue("2100000013", "LEGAL_PERSON", uscc_for(13), resident_id(513, "19700315"))
    card_session = (await card_login(gateway, cards, legal))["token"]
    everything = (await gateway.gql(SESSION, token=card_session))["viewerSession"][
        "businessPermissions"
    ]
    assert everything == [
        "ACCOUNT_OPENING",
        "FINANCING",
        "INTERNATIONAL_SETTLEMENT",
        "TARIFF_INSURANCE",
    ]
    granted = (
        await gateway.gql(
            grant, {"id": operator_id, "p": ["FINANCING", "TARIFF_INSURANCE"]}, token=card_session
        )
    )["operatorPermissionsSet"]
    assert granted == {
        "operator": {"permissions": ["FINANCING", "TARIFF_INSURANCE"]},
        "userErrors": [],
    }
    revoked = await gateway.gql(grant, {"id": operator_id, "p": ["FINANCING"]}, token=card_session)
    assert revoked["operatorPermissionsSet"]["operator"]["permissions"] == ["FINANCING"]
    # Another enterprise's legal person cannot touch this operator.
    other = cards.issue("2100000014", "LEGAL_PERSON", uscc_for(14), resident_id(514, "19700315"))
    other_session = (await card_login(gateway, cards, other))["token"]
    foreign = await gateway.gql(grant, {"id": operator_id, "p": []}, token=other_session)
    assert foreign["operatorPermissionsSet"]["userErrors"] == [{"code": "NOT_FOUND"}]


def test_certificate_round_trip_is_base64_der(cards: Cards) -> None:
    number = cards.issue("2100000015", "LEGAL_PERSON", uscc_for(15), resident_id(15, "19700315"))
    signed = cards.sign(number, "n")
    assert base64.b64decode(signed["certificate"])[0] == 0x30


CARD_NODE = """
query($id: ID!) { node(id: $id) { id ... on Card { cardNumber kind holderName boundAt } } }"""


async def test_sw14_node_refetches_a_card_for_its_enterprise_only(
    gateway: Gateway, cards: Cards
) -> None:
    """Issue 14: node(id) of a Card was always an internal server error, for its owner too."""
    legal = cards.issue("2100000016", "LEGAL_PERSON", uscc_for(16), resident_id(516, "19700315"))
    owner = (await card_login(gateway, cards, legal))["token"]
    [card] = (await gateway.gql("{ viewerCards { id cardNumber } }", token=owner))["viewerCards"]
    own = (await gateway.gql(CARD_NODE, {"id": card["id"]}, token=owner))["node"]
    assert own["id"] == card["id"]
    assert own["cardNumber"] == "2100000016"
    assert own["kind"] == "LEGAL_PERSON"
    assert own["boundAt"] is not None
    # An operator of the same enterprise sees it; another enterprise and nobody do not.
    colleague_card = cards.issue(
        "2100000116", "OPERATOR", uscc_for(16), resident_id(616, "19900101"), holder_name="赵磊"
    )
    colleague = (await card_login(gateway, cards, colleague_card))["token"]
    seen = await gateway.gql(CARD_NODE, {"id": card["id"]}, token=colleague)
    assert seen["node"]["cardNumber"] == "2100000016"
    other = (await gateway.register_enterprise(17))["token"]
    assert await gateway.gql(CARD_NODE, {"id": card["id"]}, token=other) == {"node": None}
    assert await gateway.gql(CARD_NODE, {"id": card["id"]}) == {"node": None}
    # An unbound card is still its enterprise's.
    unbind = "mutation($id: ID!) { cardUnbind(id: $id) { userErrors { code } } }"
    assert (await gateway.gql(unbind, {"id": card["id"]}, token=owner))["cardUnbind"] == {
        "userErrors": []
    }
    unbound = (await gateway.gql(CARD_NODE, {"id": card["id"]}, token=owner))["node"]
    assert unbound["boundAt"] is None


OPERATOR_ENTERPRISE = """
{ viewer { ... on Operator { enterprise { id name legalRepName legalRepIdType legalRepIdNumber } } } }"""


async def test_sw7_an_enterprise_first_seen_through_an_operator_card_shows_its_enterprise(
    gateway: Gateway, cards: Cards
) -> None:
    """Issue 14: the enterprise an operator card's login created had a blank legal-rep ID type,
    and ``viewer { ... on Operator { enterprise { id } } }`` was an internal server error."""
    number = cards.issue(
        "2100000018", "OPERATOR", uscc_for(18), resident_id(18, "19900101"), holder_name="赵磊"
    )
    token = (await card_login(gateway, cards, number))["token"]
    enterprise = (await gateway.gql(OPERATOR_ENTERPRISE, token=token))["viewer"]["enterprise"]
    assert enterprise["id"]
    assert enterprise["legalRepName"] == ""
    assert enterprise["legalRepIdType"] == "OTHER"
    assert enterprise["legalRepIdNumber"] == ""
    # Enterprises written before the fix hold a blank (or any unknown) type: read as OTHER.
    for stored in ("", "SOMETHING_ELSE"):
        async with gateway.services.sessionmaker() as db:
            row = (
                await db.exec(select(EnterpriseRow).where(EnterpriseRow.uscc == uscc_for(18)))
            ).one()
            row.legal_rep_id_type = stored
            db.add(row)
            await db.commit()
        again = (await gateway.gql(OPERATOR_ENTERPRISE, token=token))["viewer"]["enterprise"]
        assert again["legalRepIdType"] == "OTHER"
        assert (
            await gateway.gql(
                "query($id: ID!) { node(id: $id) { ... on Enterprise { legalRepIdType } } }",
                {"id": enterprise["id"]},
                token=token,
            )
        )["node"] == {"legalRepIdType": "OTHER"}
