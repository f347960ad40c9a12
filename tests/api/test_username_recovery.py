"""Username recovery (SW-9): the admin's "two of four" account-info check, operators and
individuals by bound mobile or bank card, the enterprise's bank key; what is never written."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from integrations.banks import SimulatorRules
from integrations.institutions import InstitutionRejected, InstitutionRequest, SimulatedInstitution
from models import Institution, InstitutionKind
from tests.api.test_operators import create, operator_input
from tests.recovery import (
    USERNAME_BANK_CARD,
    USERNAME_BANK_KEY,
    USERNAME_START,
    USERNAME_VERIFY,
    admin_identity,
    identity,
    know_bank_card,
    legal_rep_identity,
    poll,
)
from tests.support import PASSWORD, Gateway, enterprise_input, resident_id

pytestmark = pytest.mark.req("SW-9")
CARD = "6216261000000000018"


async def code(gateway: Gateway, mobile: str, purpose: str = "ACCOUNT_RECOVERY") -> str:
    gateway.services.clock.advance(timedelta(seconds=61))  # past any earlier code's interval
    return await gateway.code_for(purpose, mobile)


async def start(
    gateway: Gateway, kind: str, mobile: str, index: int | None = None
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "accountKind": kind,
        "mobile": mobile,
        "smsCode": await code(gateway, mobile),
    }
    if index is not None:
        enterprise = enterprise_input(index)["enterprise"]
        data |= {"enterpriseName": enterprise["name"], "orgCode": enterprise["orgCode"]}
    return (await gateway.gql(USERNAME_START, {"input": data}))["usernameRecoveryStart"]  # type: ignore[no-any-return]


async def check(gateway: Gateway, recovery_id: str, kind: str, **data: Any) -> dict[str, Any]:
    variables = {"input": {"recoveryId": recovery_id, "check": kind, **data}}
    return (await gateway.gql(USERNAME_VERIFY, variables))["usernameRecoveryVerify"]  # type: ignore[no-any-return]


async def test_sw9_admin_bound_mobile_plus_legal_representative(gateway: Gateway) -> None:
    await gateway.register_enterprise(1)
    started = await start(gateway, "ENTERPRISE_ADMIN", "13800000001", 1)
    recovery = started["recovery"]
    assert recovery["mobileIsBound"] is True
    assert recovery["checksNeeded"] == 1
    assert recovery["usernames"] == []
    done = await check(gateway, recovery["id"], "SELF", identity=legal_rep_identity(1))
    assert done["recovery"]["status"] == "VERIFIED"
    assert done["recovery"]["factorsPassed"] == ["BOUND_MOBILE", "LEGAL_REP"]
    assert done["recovery"]["usernames"] == ["admin0001"]


async def test_sw9_admin_other_mobile_needs_two_of_the_other_three(gateway: Gateway) -> None:
    await gateway.register_enterprise(2)
    recovery = (await start(gateway, "ENTERPRISE_ADMIN", "13900000002", 2))["recovery"]
    assert recovery["mobileIsBound"] is False
    assert recovery["checksNeeded"] == 2
    # An agent (neither legal representative nor admin) passes nothing, and is not refused.
    agent = await check(gateway, recovery["id"], "SELF", identity=identity("赵六", resident_id(77)))
    assert agent["userErrors"] == []
    assert agent["recovery"]["checksNeeded"] == 2
    wrong = await check(gateway, recovery["id"], "ADMIN", identity=legal_rep_identity(2))
    assert [e["code"] for e in wrong["userErrors"]] == ["VERIFICATION_FAILED"]
    one = await check(gateway, recovery["id"], "ADMIN", identity=admin_identity(2))
    assert one["recovery"]["checksNeeded"] == 1
    assert one["recovery"]["usernames"] == []
    two = await check(gateway, recovery["id"], "LEGAL_REP", identity=legal_rep_identity(2))
    assert two["recovery"]["status"] == "VERIFIED"
    assert two["recovery"]["usernames"] == ["admin0002"]


async def test_sw9_two_operators_mobiles_count_as_one_check(gateway: Gateway) -> None:
    token = (await gateway.register_enterprise(3))["token"]
    await create(gateway, token, 31, name="钱培")
    recovery = (await start(gateway, "ENTERPRISE_ADMIN", "13900000003", 3))["recovery"]
    before = await gateway.snapshot()
    few = await check(gateway, recovery["id"], "OPERATOR_MOBILES", operatorMobiles=[])
    assert [e["code"] for e in few["userErrors"]] == ["FEWER_THAN_TWO_OPERATORS"]
    assert few["userErrors"][0]["message"] == "该企业操作员少于两个，请选择其他认证方式"
    assert await gateway.snapshot() == before
    await create(gateway, token, 32, name="孙丽英")
    again = (await start(gateway, "ENTERPRISE_ADMIN", "13900000003", 3))["recovery"]
    assert again["operatorsForCheck"] == ["*培", "**英"]
    mobiles = [operator_input(31)["mobile"], operator_input(32)["mobile"]]
    pairs = [{"mobile": m, "smsCode": await code(gateway, m)} for m in mobiles]
    passed = await check(gateway, again["id"], "OPERATOR_MOBILES", operatorMobiles=pairs)
    assert passed["recovery"]["factorsPassed"] == ["OPERATOR_MOBILES"]
    done = await check(gateway, again["id"], "ADMIN", identity=admin_identity(3))
    assert done["recovery"]["usernames"] == ["admin0003"]


async def test_sw9_operator_by_bound_mobile_and_identity(gateway: Gateway) -> None:
    token = (await gateway.register_enterprise(4))["token"]
    await create(gateway, token, 41)
    operator = operator_input(41)
    recovery = (await start(gateway, "OPERATOR", operator["mobile"], 4))["recovery"]
    mine = {k: operator[k] for k in ("name", "idType", "idNumber", "idValidFrom", "idValidTo")}
    other_type = {**mine, "idType": "PASSPORT", "idNumber": "E12345678"}
    refused = await check(gateway, recovery["id"], "SELF", identity=other_type)
    assert [e["code"] for e in refused["userErrors"]] == ["VERIFICATION_FAILED"]
    done = await check(gateway, recovery["id"], "SELF", identity=mine)
    assert done["recovery"]["usernames"] == ["oper0041"]


async def register_individual(gateway: Gateway, index: int) -> dict[str, str]:
    person = identity("张伟", resident_id(index, "19800101"), "20100101")
    mobile = f"136{index:08d}"
    data = {
        **person,
        "username": f"zhangwei{index:02d}",
        "password": PASSWORD,
        "passwordConfirmation": PASSWORD,
        "mobile": mobile,
        "smsCode": await gateway.code_for("REGISTRATION", mobile),
        "email": f"zw{index}@example.com",
        "acceptTerms": True,
    }
    mutation = "mutation($input: IndividualRegisterInput!) { individualRegister(input: $input) { userErrors { code } } }"
    assert (await gateway.gql(mutation, {"input": data}))["individualRegister"]["userErrors"] == []
    return person


async def test_sw9_individual_by_bank_card_four_elements(gateway: Gateway) -> None:
    person = await register_individual(gateway, 5)
    know_bank_card(gateway, person, CARD, "13612345678")

    async def by_card(mobile: str) -> dict[str, Any]:
        form = {
            "accountKind": "INDIVIDUAL",
            "identity": person,
            "bankCard": {
                "cardNumber": CARD,
                "reservedMobile": mobile,
                "smsCode": await code(gateway, mobile, "BANK_CARD"),
            },
        }
        return (await gateway.gql(USERNAME_BANK_CARD, {"input": form}))[
            "usernameRecoveryByBankCard"
        ]  # type: ignore[no-any-return]

    before = await gateway.snapshot()
    wrong = await by_card("13612345679")  # the fourth element: not the card's reserved mobile
    assert [e["code"] for e in wrong["userErrors"]] == ["BANK_CARD_MISMATCH"]
    assert await gateway.snapshot() == before
    done = await by_card("13612345678")
    assert done["recovery"]["status"] == "VERIFIED"
    assert done["recovery"]["usernames"] == ["zhangwei05"]


async def test_sw9_bad_card_number_and_unknown_enterprise(gateway: Gateway) -> None:
    form = {
        "accountKind": "OPERATOR",
        "enterpriseName": "不存在的公司",
        "orgCode": "MA0000999",
        "identity": identity("张三", resident_id(9)),
        "bankCard": {
            "cardNumber": "6216261000000000019",
            "reservedMobile": "13600000000",
            "smsCode": "1",
        },
    }
    bad = (await gateway.gql(USERNAME_BANK_CARD, {"input": form}))["usernameRecoveryByBankCard"]
    assert [(e["code"], e["field"]) for e in bad["userErrors"]] == [
        ("CARD_LUHN", ["bankCard", "cardNumber"])
    ]
    await gateway.register_enterprise(9)
    data = {
        "accountKind": "ENTERPRISE_ADMIN",
        "enterpriseName": "别的公司",
        "orgCode": enterprise_input(9)["enterprise"]["orgCode"],
        "mobile": "13800000009",
        "smsCode": await code(gateway, "13800000009"),
    }
    before = await gateway.snapshot()
    refused = (await gateway.gql(USERNAME_START, {"input": data}))["usernameRecoveryStart"]
    assert [e["code"] for e in refused["userErrors"]] == ["VERIFICATION_FAILED"]
    assert await gateway.snapshot() == before


async def add_bank(gateway: Gateway, code: str, name: str) -> None:
    async with gateway.services.sessionmaker() as db:
        db.add(Institution(code=code, name=name, kind=InstitutionKind.BANK))
        await db.commit()


async def test_sw9_enterprise_real_name_by_bank_key_shows_every_username(gateway: Gateway) -> None:
    token = (await gateway.register_enterprise(10))["token"]
    await create(gateway, token, 101)
    await add_bank(gateway, "CCB", "中国建设银行")
    enterprise = enterprise_input(10)["enterprise"]
    data = {
        "mobile": "13900000010",
        "smsCode": await code(gateway, "13900000010"),
        "enterpriseName": enterprise["name"],
        "code": enterprise["uscc"],
        "bank": "CCB",
    }
    started = (await gateway.gql(USERNAME_BANK_KEY, {"input": data}))["usernameRecoveryByBankKey"]
    assert started["recovery"]["status"] == "PENDING"
    done = await poll(gateway, started["recovery"]["id"], "VERIFIED")
    assert done["usernames"] == ["admin0010", "oper0101"]
    assert done["factorsPassed"] == ["BANK_KEY"]


async def test_sw9_bank_key_refused_when_the_enterprise_has_no_account_there(
    gateway: Gateway,
) -> None:
    await gateway.register_enterprise(11)
    await add_bank(gateway, "ABC", "中国农业银行")
    enterprise = enterprise_input(11)["enterprise"]
    bank = gateway.services.institutions.simulator("ABC", "BANK")
    assert isinstance(bank, SimulatedInstitution)
    bank.rules = SimulatorRules(delay_seconds=0.05, no_account_usccs={enterprise["uscc"]})  # type: ignore[attr-defined]
    data = {
        "mobile": "13900000011",
        "smsCode": await code(gateway, "13900000011"),
        "enterpriseName": enterprise["name"],
        "code": enterprise["orgCode"],
        "bank": "ABC",
    }
    started = (await gateway.gql(USERNAME_BANK_KEY, {"input": data}))["usernameRecoveryByBankKey"]
    failed = await poll(gateway, started["recovery"]["id"], "FAILED")
    assert failed["usernames"] == []
    assert failed["failureReason"] == "未在本行开立对公结算账户"
    missing = {**data, "bank": "CMBC", "smsCode": await code(gateway, "13900000011")}
    refused = (await gateway.gql(USERNAME_BANK_KEY, {"input": missing}))[
        "usernameRecoveryByBankKey"
    ]
    assert [e["code"] for e in refused["userErrors"]] == ["BANK_UNAVAILABLE"]


async def test_sw9_bank_key_recovery_fails_when_the_bank_never_takes_the_request(
    gateway: Gateway,
) -> None:
    """The outbox gives up on a refused request: the ticket is FAILED, with the reason."""
    await gateway.register_enterprise(12)
    await add_bank(gateway, "CMBC", "中国民生银行")
    bank = gateway.services.institutions.simulator("CMBC", "BANK")
    original = bank.send

    async def refuse(request: InstitutionRequest) -> None:
        if request.kind == "ENTERPRISE_VERIFY":
            raise InstitutionRejected("400: unknown enterprise request")
        await original(request)

    bank.send = refuse  # type: ignore[method-assign]
    try:
        enterprise = enterprise_input(12)["enterprise"]
        data = {
            "mobile": "13900000012",
            "smsCode": await code(gateway, "13900000012"),
            "enterpriseName": enterprise["name"],
            "code": enterprise["uscc"],
            "bank": "CMBC",
        }
        started = (await gateway.gql(USERNAME_BANK_KEY, {"input": data}))[
            "usernameRecoveryByBankKey"
        ]
        assert started["userErrors"] == []
        failed = await poll(gateway, started["recovery"]["id"], "FAILED")
    finally:
        bank.send = original  # type: ignore[method-assign]
    assert failed["failureReason"] == "银行拒绝接收"
    assert failed["usernames"] == []
