"""Real-name verification (SW-18): every method per account kind, the levels they grant, the
identity service's verdicts ("name and ID do not match"), and voiding by an identity change."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from integrations.identity import SimulatedIdentityVerifier
from models import Institution, InstitutionKind
from tests.api.test_operators import operator_input
from tests.cards import PIN, Cards, challenge
from tests.recovery import (
    VIEWER,
    admin_identity,
    identity,
    know_bank_card,
    know_person,
    legal_rep_identity,
    operator_session,
    register_in_registry,
)
from tests.support import Gateway, enterprise_input, resident_id, uscc_for

pytestmark = pytest.mark.req("SW-18")
RESULT = "verification { id method level status step nextCheck bank failureReason } level userErrors { code field message }"
BY_ID = f"mutation($i: IdentityInput!) {{ realNameVerifyIdentity(input: $i) {{ {RESULT} }} }}"
BY_CARD_NUMBER = f"""mutation($i: IdentityInput!, $c: BankCardInput!) {{
  realNameVerifyBankCard(identity: $i, bankCard: $c) {{ {RESULT} }} }}"""
BY_IC_CARD = f"""mutation($input: CardSignatureInput!) {{ realNameVerifyWithCard(input: $input) {{ {RESULT} }} }}"""
LEGAL_START = f"""mutation($input: RealNameLegalRepStartInput!) {{ realNameLegalRepStart(input: $input) {{ {RESULT} }} }}"""
LEGAL_CONTINUE = f"""mutation($input: RealNameLegalRepContinueInput!) {{
  realNameLegalRepContinue(input: $input) {{ {RESULT} }} }}"""
BANK_KEY = f"mutation($b: BankKeyBank!) {{ realNameBankKeyStart(bank: $b) {{ {RESULT} }} }}"
STATUS = "{ viewerRealName { level grantedBy { method level } inProgress { method status step } } }"
IDENTITY_UPDATE = """mutation($input: AccountIdentityUpdateInput!) {
  accountIdentityUpdate(input: $input) { account { realNameLevel } userErrors { code } } }"""
CARD_NUMBER = "6216261000000000018"


async def level(gateway: Gateway, token: str) -> str:
    return str((await gateway.gql(VIEWER, token=token))["viewer"]["realNameLevel"])


def own(data: dict[str, Any]) -> dict[str, str]:
    return {k: data[k] for k in ("name", "idType", "idNumber", "idValidFrom", "idValidTo")}


async def bank_card(gateway: Gateway, mobile: str) -> dict[str, str]:
    gateway.services.clock.advance(timedelta(seconds=61))
    return {
        "cardNumber": CARD_NUMBER,
        "reservedMobile": mobile,
        "smsCode": await gateway.code_for("BANK_CARD", mobile),
    }


async def test_sw18_operator_by_id_then_bank_card_and_an_identity_change_voids_it(
    gateway: Gateway,
) -> None:
    admin = (await gateway.register_enterprise(1))["token"]
    token = await operator_session(gateway, admin, 11)
    me = own(operator_input(11))
    stranger = await gateway.gql(BY_ID, {"i": me}, token=token)
    assert [e["code"] for e in stranger["realNameVerifyIdentity"]["userErrors"]] == ["ID_NOT_FOUND"]
    know_person(gateway, {**me, "name": "操作员甲"})
    mismatch = (await gateway.gql(BY_ID, {"i": me}, token=token))["realNameVerifyIdentity"]
    assert [(e["code"], e["message"]) for e in mismatch["userErrors"]] == [
        ("ID_NAME_MISMATCH", "姓名与证件号码不一致")
    ]
    know_person(gateway, me)
    medium = (await gateway.gql(BY_ID, {"i": me}, token=token))["realNameVerifyIdentity"]
    assert medium["level"] == "MEDIUM"
    assert medium["verification"]["method"] == "ID_DOCUMENT"
    again = (await gateway.gql(BY_ID, {"i": me}, token=token))["realNameVerifyIdentity"]
    assert [e["code"] for e in again["userErrors"]] == ["NOT_REQUIRED"]

    know_bank_card(gateway, me, CARD_NUMBER, "13611112222")
    before = await gateway.snapshot()
    wrong = await gateway.gql(
        BY_CARD_NUMBER, {"i": me, "c": await bank_card(gateway, "13611112223")}, token=token
    )
    assert [e["code"] for e in wrong["realNameVerifyBankCard"]["userErrors"]] == [
        "BANK_CARD_MISMATCH"
    ]
    assert await gateway.snapshot() == before
    high = await gateway.gql(
        BY_CARD_NUMBER, {"i": me, "c": await bank_card(gateway, "13611112222")}, token=token
    )
    assert high["realNameVerifyBankCard"]["level"] == "HIGH"
    status = (await gateway.gql(STATUS, token=token))["viewerRealName"]
    assert status["grantedBy"] == {"method": "BANK_CARD", "level": "HIGH"}

    renamed = {"input": {**me, "name": "操作员乙"}}
    changed = (await gateway.gql(IDENTITY_UPDATE, renamed, token=token))["accountIdentityUpdate"]
    assert changed["account"]["realNameLevel"] == "NONE"


async def register_individual(gateway: Gateway, id_type: str, number: str) -> str:
    from tests.support import PASSWORD

    data = {
        "name": "Maria Rossi",
        "idType": id_type,
        "idNumber": number,
        "username": "mariarossi1",
        "password": PASSWORD,
        "passwordConfirmation": PASSWORD,
        "email": "maria@example.it",
        "verifyByEmail": True,
        "emailCode": await gateway.code_for("REGISTRATION", "maria@example.it", channel="EMAIL"),
        "acceptTerms": True,
    }
    mutation = "mutation($input: IndividualRegisterInput!) { individualRegister(input: $input) { token userErrors { code } } }"
    payload = (await gateway.gql(mutation, {"input": data}))["individualRegister"]
    assert payload["userErrors"] == [], payload
    return str(payload["token"])


async def test_sw18_individual_with_a_passport_is_medium_and_other_documents_need_a_card(
    gateway: Gateway,
) -> None:
    token = await register_individual(gateway, "PASSPORT", "YA1234567")
    me = {"name": "Maria Rossi", "idType": "PASSPORT", "idNumber": "YA1234567"}
    know_person(gateway, me)
    done = (await gateway.gql(BY_ID, {"i": me}, token=token))["realNameVerifyIdentity"]
    assert done["level"] == "MEDIUM"
    other = {"name": "Maria Rossi", "idType": "OTHER", "idNumber": "X99887766"}
    changed = (await gateway.gql(IDENTITY_UPDATE, {"input": other}, token=token))[
        "accountIdentityUpdate"
    ]
    assert changed["account"]["realNameLevel"] == "NONE"
    refused = (await gateway.gql(BY_ID, {"i": other}, token=token))["realNameVerifyIdentity"]
    assert [e["code"] for e in refused["userErrors"]] == ["ID_TYPE_NOT_VERIFIABLE"]


async def test_sw18_identity_service_outage_is_a_user_error(gateway: Gateway) -> None:
    token = await register_individual(gateway, "PASSPORT", "YA7654321")
    service = gateway.services.identity
    assert isinstance(service, SimulatedIdentityVerifier)
    service.available = False
    me = {"name": "Maria Rossi", "idType": "PASSPORT", "idNumber": "YA7654321"}
    failed = (await gateway.gql(BY_ID, {"i": me}, token=token, locale="en"))[
        "realNameVerifyIdentity"
    ]
    assert failed["userErrors"][0]["code"] == "IDENTITY_SERVICE_UNAVAILABLE"
    assert (
        failed["userErrors"][0]["message"] == "The identity service is unavailable; try again later"
    )


async def card_signature(gateway: Gateway, cards: Cards, token: str, number: str) -> dict[str, str]:
    issued = await challenge(gateway, "REAL_NAME", token=token)
    return {"challengeId": issued["id"], **cards.sign(number, issued["nonce"], PIN)}


async def test_sw18_admin_card_verifies_high_and_a_legal_person_card_also_binds(
    gateway: Gateway, cards: Cards
) -> None:
    token = (await gateway.register_enterprise(2))["token"]
    other = cards.issue("LP0000000099", "LEGAL_PERSON", uscc_for(99), resident_id(599, "19700315"))
    refused = await gateway.gql(
        BY_IC_CARD, {"input": await card_signature(gateway, cards, token, other)}, token=token
    )
    assert [e["code"] for e in refused["realNameVerifyWithCard"]["userErrors"]] == [
        "CARD_ENTERPRISE_MISMATCH"
    ]
    card = cards.issue("LP0000000002", "LEGAL_PERSON", uscc_for(2), resident_id(502, "19700315"))
    done = await gateway.gql(
        BY_IC_CARD, {"input": await card_signature(gateway, cards, token, card)}, token=token
    )
    assert done["realNameVerifyWithCard"]["level"] == "HIGH"
    bound = (await gateway.gql("{ viewerCards { cardNumber } }", token=token))["viewerCards"]
    assert bound == [{"cardNumber": "LP0000000002"}]


async def test_sw18_operator_card_must_be_held_by_the_operator_and_binding_verifies(
    gateway: Gateway, cards: Cards
) -> None:
    admin = (await gateway.register_enterprise(3))["token"]
    token = await operator_session(gateway, admin, 31)
    someone = cards.issue("OP0000000030", "OPERATOR", uscc_for(3), resident_id(32, "19900101"))
    refused = await gateway.gql(
        BY_IC_CARD, {"input": await card_signature(gateway, cards, token, someone)}, token=token
    )
    assert [e["code"] for e in refused["realNameVerifyWithCard"]["userErrors"]] == [
        "IDENTITY_MISMATCH"
    ]
    mine = cards.issue("OP0000000031", "OPERATOR", uscc_for(3), resident_id(31, "19900101"))
    issued = await challenge(gateway, "BIND", token=token)
    signed = {"challengeId": issued["id"], **cards.sign(mine, issued["nonce"], PIN)}
    bind = (
        "mutation($input: CardSignatureInput!) { cardBind(input: $input) { userErrors { code } } }"
    )
    assert (await gateway.gql(bind, {"input": signed}, token=token))["cardBind"]["userErrors"] == []
    assert await level(gateway, token) == "HIGH"
    status = (await gateway.gql(STATUS, token=token))["viewerRealName"]
    assert status["grantedBy"] == {"method": "CARD", "level": "HIGH"}


async def test_sw18_legal_representative_identity_in_three_steps(gateway: Gateway) -> None:
    token = (await gateway.register_enterprise(4))["token"]
    register_in_registry(gateway, 4)
    enterprise = enterprise_input(4)["enterprise"]
    start = {
        "enterpriseName": enterprise["name"],
        "uscc": enterprise["uscc"],
        "legalRepName": "王建国",
        "legalRepIdType": "RESIDENT_ID",
        "legalRepIdNumber": enterprise["legalRepIdNumber"],
    }
    wrong = (
        await gateway.gql(LEGAL_START, {"input": {**start, "legalRepName": "王建军"}}, token=token)
    )["realNameLegalRepStart"]
    assert [e["code"] for e in wrong["userErrors"]] == ["LEGAL_REP_MISMATCH"]
    step1 = (await gateway.gql(LEGAL_START, {"input": start}, token=token))["realNameLegalRepStart"]
    verification = step1["verification"]
    assert (verification["step"], verification["nextCheck"], verification["status"]) == (
        "LEGAL_REP",
        "ID_CARD",
        "IN_PROGRESS",
    )
    # Steps cannot be skipped or repeated out of order; the admin is not the legal representative.
    early = {"verificationId": verification["id"], "identity": admin_identity(4)}
    refused = (await gateway.gql(LEGAL_CONTINUE, {"input": early}, token=token))[
        "realNameLegalRepContinue"
    ]
    assert [e["code"] for e in refused["userErrors"]] == ["IDENTITY_MISMATCH"]
    know_person(gateway, legal_rep_identity(4))
    step2 = {"verificationId": verification["id"], "identity": legal_rep_identity(4)}
    second = (await gateway.gql(LEGAL_CONTINUE, {"input": step2}, token=token))[
        "realNameLegalRepContinue"
    ]
    assert (second["verification"]["step"], second["verification"]["nextCheck"]) == (
        "ADMIN",
        "ID_CARD",
    )
    assert second["level"] == "NONE"
    know_person(gateway, admin_identity(4))
    step3 = {"verificationId": verification["id"], "identity": admin_identity(4)}
    third = (await gateway.gql(LEGAL_CONTINUE, {"input": step3}, token=token))[
        "realNameLegalRepContinue"
    ]
    assert third["verification"]["status"] == "SUCCEEDED"
    assert third["level"] == "HIGH"
    done = (await gateway.gql(LEGAL_CONTINUE, {"input": step3}, token=token))[
        "realNameLegalRepContinue"
    ]
    assert [e["code"] for e in done["userErrors"]] == ["VERIFICATION_STEP_INVALID"]


async def test_sw18_bank_key_of_ccb_abc_or_cmbc(gateway: Gateway) -> None:
    token = (await gateway.register_enterprise(5))["token"]
    missing = (await gateway.gql(BANK_KEY, {"b": "CMBC"}, token=token))["realNameBankKeyStart"]
    assert [e["code"] for e in missing["userErrors"]] == ["BANK_UNAVAILABLE"]
    async with gateway.services.sessionmaker() as db:
        db.add(Institution(code="CMBC", name="中国民生银行", kind=InstitutionKind.BANK))
        await db.commit()
    started = (await gateway.gql(BANK_KEY, {"b": "CMBC"}, token=token))["realNameBankKeyStart"]
    assert (started["verification"]["status"], started["verification"]["bank"]) == (
        "PENDING",
        "CMBC",
    )
    assert started["level"] == "NONE"
    status = (await gateway.gql(STATUS, token=token))["viewerRealName"]
    assert status["inProgress"] == {"method": "BANK_KEY", "status": "PENDING", "step": None}
    for _ in range(200):
        if await level(gateway, token) == "HIGH":
            break
        await asyncio.sleep(0.05)
    assert await level(gateway, token) == "HIGH"


async def test_sw18_overseas_and_staff_have_no_real_name(gateway: Gateway) -> None:
    from tests.recovery import register_overseas

    await register_overseas(gateway)
    token = await gateway.token_for("globaltrade1")
    errors = await gateway.gql_errors(STATUS, token=token)
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"
    refused = (await gateway.gql(BY_ID, {"i": identity("Anna", "E1234567")}, token=token))[
        "realNameVerifyIdentity"
    ]
    assert [e["code"] for e in refused["userErrors"]] == ["METHOD_NOT_AVAILABLE"]


async def test_sw18_a_legal_representative_without_a_resident_id_is_checked_by_bank_card(
    gateway: Gateway,
) -> None:
    from tests.support import REGISTER_ENTERPRISE

    data = enterprise_input(6)
    data["enterprise"] |= {
        "legalRepName": "Lee Chan",
        "legalRepIdType": "HK_MACAO_PERMIT",
        "legalRepIdNumber": "H12345678",
        "legalRepIdValidFrom": None,
        "legalRepIdValidTo": None,
    }
    data["smsCode"] = await gateway.code_for("REGISTRATION", data["admin"]["mobile"])
    token = (await gateway.gql(REGISTER_ENTERPRISE, {"input": data}))["enterpriseRegister"]["token"]
    register_in_registry(
        gateway,
        6,
        legal_rep_name="Lee Chan",
        legal_rep_id_type="HK_MACAO_PERMIT",
        legal_rep_id_number="H12345678",
    )
    start = {
        "enterpriseName": data["enterprise"]["name"],
        "uscc": data["enterprise"]["uscc"],
        "legalRepName": "Lee Chan",
        "legalRepIdType": "HK_MACAO_PERMIT",
        "legalRepIdNumber": "H12345678",
    }
    verification = (await gateway.gql(LEGAL_START, {"input": start}, token=token))[
        "realNameLegalRepStart"
    ]["verification"]
    assert verification["nextCheck"] == "BANK_CARD"
    rep = {"name": "Lee Chan", "idType": "HK_MACAO_PERMIT", "idNumber": "H12345678"}
    know_bank_card(gateway, rep, CARD_NUMBER, "13622223333")
    without_card = {"verificationId": verification["id"], "identity": rep}
    refused = (await gateway.gql(LEGAL_CONTINUE, {"input": without_card}, token=token))[
        "realNameLegalRepContinue"
    ]
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("REQUIRED", ["bankCard"])]
    step2 = {**without_card, "bankCard": await bank_card(gateway, "13622223333")}
    second = (await gateway.gql(LEGAL_CONTINUE, {"input": step2}, token=token))[
        "realNameLegalRepContinue"
    ]
    assert second["userErrors"] == []
    assert (second["verification"]["step"], second["verification"]["nextCheck"]) == (
        "ADMIN",
        "ID_CARD",
    )


def test_sw18_features_may_require_a_level() -> None:
    from models import Account, AccountKind, RealNameLevel
    from resolvers.core.errors import UserErrors
    from resolvers.real_name.levels import require_level

    account = Account(kind=AccountKind.OPERATOR, username="x", username_key="x", name="x")
    account.real_name_level = RealNameLevel.MEDIUM
    require_level(account, RealNameLevel.MEDIUM)
    with pytest.raises(UserErrors) as refused:
        require_level(account, RealNameLevel.HIGH)
    assert refused.value.problems[0].code == "REAL_NAME_REQUIRED"


async def test_sw18_bank_key_fails_when_the_bank_never_takes_the_request(gateway: Gateway) -> None:
    """The outbox gives up on a refused request: the verification is FAILED, no level."""
    from integrations.institutions import InstitutionRejected, InstitutionRequest

    token = (await gateway.register_enterprise(7))["token"]
    async with gateway.services.sessionmaker() as db:
        db.add(Institution(code="ABC", name="中国农业银行", kind=InstitutionKind.BANK))
        await db.commit()
    bank = gateway.services.institutions.simulator("ABC", "BANK")
    original = bank.send

    async def refuse(request: InstitutionRequest) -> None:
        if request.kind == "ENTERPRISE_VERIFY":
            raise InstitutionRejected("400: unknown enterprise request")
        await original(request)

    bank.send = refuse  # type: ignore[method-assign]
    query = "{ viewerRealName { level inProgress { method status failureReason } } }"
    try:
        started = (await gateway.gql(BANK_KEY, {"b": "ABC"}, token=token))["realNameBankKeyStart"]
        assert started["verification"]["status"] == "PENDING"
        for _ in range(200):
            status = (await gateway.gql(query, token=token))["viewerRealName"]
            if status["inProgress"]["status"] != "PENDING":
                break
            await asyncio.sleep(0.05)
    finally:
        bank.send = original  # type: ignore[method-assign]
    assert status == {
        "level": "NONE",
        "inProgress": {"method": "BANK_KEY", "status": "FAILED", "failureReason": "银行拒绝接收"},
    }
