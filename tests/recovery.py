"""Helpers for the recovery, manual-review and real-name tests: the GraphQL documents, the
simulated identity service's and registers' records of the test people and enterprises."""

from __future__ import annotations

import asyncio
import io
import time
from datetime import date, timedelta
from typing import Any

from PIL import Image

from integrations.identity import BankCard, Person, SimulatedIdentityVerifier
from integrations.registry import EnterpriseRecord, ForeignTradeRecord, SimulatedRegistry
from tests.support import PASSWORD, Gateway, enterprise_input, resident_id

RECOVERY = """
  recovery {
    id purpose accountKind status factorsPassed failureReason mobileIsBound checksNeeded
    operatorsForCheck usernames maskedMobile maskedEmail
    methods { method available unavailableReason }
  }
  userErrors { code field message }
"""
USERNAME_START = f"""
mutation($input: UsernameRecoveryStartInput!) {{ usernameRecoveryStart(input: $input) {{ {RECOVERY} }} }}"""
USERNAME_VERIFY = f"""
mutation($input: UsernameRecoveryVerifyInput!) {{ usernameRecoveryVerify(input: $input) {{ {RECOVERY} }} }}"""
USERNAME_BANK_CARD = f"""
mutation($input: UsernameRecoveryBankCardInput!) {{
  usernameRecoveryByBankCard(input: $input) {{ {RECOVERY} }} }}"""
USERNAME_BANK_KEY = f"""
mutation($input: UsernameRecoveryBankKeyInput!) {{
  usernameRecoveryByBankKey(input: $input) {{ {RECOVERY} }} }}"""
RESET_START = f"""
mutation($input: PasswordResetStartInput!) {{ passwordResetStart(input: $input) {{ {RECOVERY} }} }}"""
RESET_SEND = f"""
mutation($input: PasswordResetCodeSendInput!) {{ passwordResetCodeSend(input: $input) {{ {RECOVERY} }} }}"""
RESET_VERIFY = f"""
mutation($input: PasswordResetVerifyInput!) {{
  passwordResetVerify(input: $input) {{ {RECOVERY} manualReviewAvailable }} }}"""
RESET_LICENCE = """
mutation($id: String!) { passwordResetLicenceStart(recoveryId: $id) {
  qrContent recovery { id status } userErrors { code field } } }"""
RESET_COMPLETE = """
mutation($input: PasswordResetCompleteInput!) {
  passwordResetComplete(input: $input) { username userErrors { code field message } } }"""
RECOVERY_QUERY = """
query($id: String!) { accountRecovery(id: $id) { status usernames failureReason factorsPassed } }"""
REVIEW_SUBMIT = """
mutation($input: ManualReviewSubmitInput!, $identityImage: Upload!, $licenceImage: Upload) {
  manualReviewSubmit(input: $input, identityImage: $identityImage, licenceImage: $licenceImage) {
    submitted status userErrors { code field message }
  }
}"""
REVIEWS = """
query($status: ReviewStatus) { manualReviews(status: $status, first: 10) { totalCount nodes {
  id purpose accountKind status contactMobile form reason reviewerUsername
  uploads { kind fileName contentType size dataUrl } candidates { username name kind } } } }"""
APPROVE = """
mutation($input: ManualReviewApproveInput!) { manualReviewApprove(input: $input) {
  review { status reviewerUsername } userErrors { code field message } } }"""
REJECT = """
mutation($input: ManualReviewRejectInput!) { manualReviewReject(input: $input) {
  review { status reason } userErrors { code field message } } }"""
SMS = "query($t: String) { development { messages(target: $t, first: 5) { text } } }"
VIEWER = "{ viewer { username realNameLevel } }"


def identity(
    name: str, number: str, start: str = "20180101", end: str = "00000000"
) -> dict[str, str]:
    return {
        "name": name,
        "idType": "RESIDENT_ID",
        "idNumber": number,
        "idValidFrom": start,
        "idValidTo": end,
    }


def admin_identity(index: int) -> dict[str, str]:
    """The admin of ``register_enterprise(index)`` as the registration form gave it."""
    return identity("李红", resident_id(index))


def legal_rep_identity(index: int) -> dict[str, str]:
    return identity("王建国", resident_id(index + 500, "19700315"), "20150101")


def identity_service(gateway: Gateway) -> SimulatedIdentityVerifier:
    service = gateway.services.identity
    assert isinstance(service, SimulatedIdentityVerifier)
    return service


def registry(gateway: Gateway) -> SimulatedRegistry:
    service = gateway.services.registry
    assert isinstance(service, SimulatedRegistry)
    return service


def know_person(gateway: Gateway, person: dict[str, str]) -> Person:
    known = Person(
        person["name"],
        person["idType"],
        person["idNumber"],
        person.get("idValidFrom"),
        person.get("idValidTo"),
    )
    identity_service(gateway).add_person(known)
    return known


def know_bank_card(gateway: Gateway, person: dict[str, str], card: str, mobile: str) -> None:
    identity_service(gateway).add_bank_card(BankCard(know_person(gateway, person), card, mobile))


def register_in_registry(gateway: Gateway, index: int, **changes: Any) -> EnterpriseRecord:
    """The market regulator's record of ``register_enterprise(index)``'s enterprise."""
    form = enterprise_input(index)["enterprise"]
    values: dict[str, Any] = {
        "uscc": form["uscc"],
        "name": form["name"],
        "legal_rep_name": form["legalRepName"],
        "legal_rep_id_type": "RESIDENT_ID",
        "legal_rep_id_number": form["legalRepIdNumber"],
        "status": "存续",
        "enterprise_type": "有限责任公司(自然人投资或控股)",
        "established_on": date(2015, 6, 1),
        "registered_capital": "500万人民币",
        "authority": "沈阳市市场监督管理局",
        "address": "沈阳市和平区示范路8号",
        "region_code": "210100",
        "industry": "批发业",
        "business_scope": "货物进出口",
    }
    values.update(changes)
    record = EnterpriseRecord(**values)
    registry(gateway).add(record)
    return record


def file_foreign_trade(gateway: Gateway, uscc: str) -> ForeignTradeRecord:
    record = ForeignTradeRecord(
        uscc=uscc,
        filing_number="04213579",
        filed_on=date(2016, 3, 1),
        operator_type="有限责任公司",
        english_name="Test Import and Export Co., Ltd.",
        english_address="No. 8 Shifan Road, Shenyang, China",
        customs_code="2101961234",
    )
    registry(gateway).add_filing(record)
    return record


def png(width: int = 320, height: int = 200) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 210, 220)).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (240, 240, 240)).save(buffer, format="JPEG")
    return buffer.getvalue()


async def poll(
    gateway: Gateway, recovery_id: str, status: str, timeout: float = 10
) -> dict[str, Any]:
    """The recovery once it reaches ``status`` (a bank or the e-licence service answers later)."""
    deadline = time.monotonic() + timeout
    while True:
        found = (await gateway.gql(RECOVERY_QUERY, {"id": recovery_id}))["accountRecovery"]
        if found["status"] == status or time.monotonic() > deadline:
            assert found["status"] == status, found
            return found  # type: ignore[no-any-return]
        await asyncio.sleep(0.05)


async def register_overseas(gateway: Gateway, username: str = "globaltrade1") -> None:
    email = f"{username}@example.de"
    data = {
        "username": username,
        "password": PASSWORD,
        "passwordConfirmation": PASSWORD,
        "countryCode": "DEU",
        "organisationName": "Global Trade GmbH",
        "contactName": "Anna Schmidt",
        "contactPhone": "+49 30 123",
        "address": "Berlin",
        "email": email,
        "emailCode": await gateway.code_for("REGISTRATION", email, channel="EMAIL"),
        "acceptTerms": True,
    }
    mutation = """mutation($input: OverseasRegisterInput!) {
      overseasRegister(input: $input) { userErrors { code } } }"""
    assert (await gateway.gql(mutation, {"input": data}))["overseasRegister"]["userErrors"] == []


async def messages_to(gateway: Gateway, target: str) -> list[str]:
    data = await gateway.gql(SMS, {"t": target})
    return [m["text"] for m in data["development"]["messages"]]


async def operator_session(gateway: Gateway, admin_token: str, index: int, **changes: Any) -> str:
    """An operator created by the admin, through the first login's two steps (SW-6)."""
    from tests.api.test_operators import create, operator_input

    created = await create(gateway, admin_token, index, **changes)
    assert created["userErrors"] == [], created
    username = operator_input(index, **changes)["username"]
    token = await gateway.token_for(username, "88888888")
    gateway.services.clock.advance(timedelta(seconds=61))
    assert (await gateway.send_code("FIRST_LOGIN", token=token))["sent"]
    mobile = operator_input(index, **changes)["mobile"]
    code = await gateway.last_code(mobile)
    verify = (
        "mutation($c: String!) { sessionVerifyMobile(input: {code: $c}) { userErrors { code } } }"
    )
    assert (await gateway.gql(verify, {"c": code}, token=token))["sessionVerifyMobile"][
        "userErrors"
    ] == []
    change = """mutation($input: AccountPasswordChangeInput!) {
      accountPasswordChange(input: $input) { userErrors { code } } }"""
    data = {"oldPassword": "88888888", "password": PASSWORD, "passwordConfirmation": PASSWORD}
    assert (await gateway.gql(change, {"input": data}, token=token))["accountPasswordChange"][
        "userErrors"
    ] == []
    return token
