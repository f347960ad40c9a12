"""Helpers for the onboarding and marketplace tests: a government admin, institutions with their
admins logged in by mobile + password + SMS code, and product forms."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from models import Account, AccountKind, Region
from tests.support import PASSWORD, Gateway

LOGIN_WITH_CODE = """
mutation($input: SessionCreateWithSmsCodeInput!) {
  sessionCreateWithSmsCode(input: $input) {
    token account { username kind nextStep ... on InstitutionUser { institution { code } } }
    userErrors { code field message }
  }
}"""
REGION_CREATE = """
mutation($input: RegionCreateInput!) { regionCreate(input: $input) {
  region { code name } userErrors { code field } } }"""
INSTITUTION_CREATE = """
mutation($input: InstitutionCreateInput!) { institutionCreate(input: $input) {
  institution { id code name kind } userErrors { code field } } }"""
ADMIN_CREATE = """
mutation($input: InstitutionAdminCreateInput!) { institutionAdminCreate(input: $input) {
  account { username kind nextStep mobile } userErrors { code field message } } }"""
PRODUCT_FIELDS = """
  id name minAmount maxAmount minRate maxRate minTermMonths maxTermMonths guaranteeMethods
  industries description featured status viewerCanEdit institution { code name } regions { code name }
"""
PUBLISH = f"""
mutation($input: ProductInput!) {{ productPublish(input: $input) {{
  product {{ {PRODUCT_FIELDS} }} userErrors {{ code field message }} }} }}"""
UPDATE = f"""
mutation($id: ID!, $input: ProductInput!) {{ productUpdate(id: $id, input: $input) {{
  product {{ {PRODUCT_FIELDS} }} userErrors {{ code field message }} }} }}"""
DISABLE = (
    """mutation($id: ID!) { productDisable(id: $id) { product { status } userErrors { code } } }"""
)
ENABLE = (
    """mutation($id: ID!) { productEnable(id: $id) { product { status } userErrors { code } } }"""
)
MARKETPLACE = f"""
query($filter: MarketplaceFilter, $first: Int!) {{ marketplaceProducts(filter: $filter, first: $first) {{
  totalCount nodes {{ {PRODUCT_FIELDS} }} }} }}"""
MINE = """
query($status: ProductStatus) { institutionProducts(status: $status, first: 20) {
  totalCount nodes { id name status } } }"""


async def add_regions(gateway: Gateway) -> None:
    """Henan > Xuchang > Weidu, and Hunan > Changsha."""
    async with gateway.services.sessionmaker() as db:
        for code, name, parent in (
            ("410000", "河南省", None),
            ("411000", "许昌市", "410000"),
            ("411002", "魏都区", "411000"),
            ("430000", "湖南省", None),
            ("430100", "长沙市", "430000"),
        ):
            parent_id = None
            if parent:
                from sqlmodel import select

                parent_id = (await db.exec(select(Region.id).where(Region.code == parent))).one()
            db.add(Region(code=code, name=name, parent_id=parent_id))
            await db.flush()
        await db.commit()


async def government_admin(
    gateway: Gateway, username: str = "xcgov01", region_code: str | None = "411000"
) -> str:
    """A government admin (made by the CLI in production), logged in with password + SMS."""
    from sqlmodel import select

    async with gateway.services.sessionmaker() as db:
        region_id = None
        if region_code:
            region_id = (await db.exec(select(Region.id).where(Region.code == region_code))).one()
        db.add(
            Account(
                kind=AccountKind.GOVERNMENT_ADMIN,
                username=username,
                username_key=username,
                password_hash=await gateway.services.passwords.hash(PASSWORD),
                name="许昌市金融工作局",
                mobile="13500000001" if username == "xcgov01" else "13500000002",
                region_id=region_id,
            )
        )
        await db.commit()
    payload = await login_with_code(gateway, username, PASSWORD)
    assert payload["token"], payload
    return str(payload["token"])


async def login_with_code(gateway: Gateway, login: str, password: str) -> dict[str, Any]:
    gateway.services.clock.advance(timedelta(seconds=61))
    captcha = await gateway.captcha()
    send = """mutation($input: VerificationCodeSendInput!) {
      verificationCodeSend(input: $input) { sent userErrors { code } } }"""
    request = {"channel": "SMS", "purpose": "LOGIN", "target": login, "captcha": captcha}
    assert (await gateway.gql(send, {"input": request}))["verificationCodeSend"]["sent"]
    mobile = await mobile_of(gateway, login)
    code = await gateway.last_code(mobile) if mobile else "000000"
    variables = {"input": {"login": login, "password": password, "smsCode": code}}
    return (await gateway.gql(LOGIN_WITH_CODE, variables))["sessionCreateWithSmsCode"]  # type: ignore[no-any-return]


async def mobile_of(gateway: Gateway, login: str) -> str | None:
    from sqlmodel import select

    async with gateway.services.sessionmaker() as db:
        account = (
            await db.exec(select(Account).where(Account.username_key == login.lower()))
        ).first()
        return account.mobile if account else None


async def onboard_institution(
    gateway: Gateway, government: str, code: str, name: str, mobile: str, kind: str = "BANK"
) -> tuple[str, str]:
    """A new institution and its admin, through the first login's password change: (id, token)."""
    data = {"code": code, "name": name, "kind": kind, "regionCode": "411000"}
    created = (await gateway.gql(INSTITUTION_CREATE, {"input": data}, token=government))[
        "institutionCreate"
    ]
    assert created["userErrors"] == [], created
    institution_id = created["institution"]["id"]
    admin = {"institutionId": institution_id, "name": "客户经理", "mobile": mobile}
    made = (await gateway.gql(ADMIN_CREATE, {"input": admin}, token=government))[
        "institutionAdminCreate"
    ]
    assert made["userErrors"] == [], made
    first = await login_with_code(gateway, mobile, "111111")
    assert first["account"]["nextStep"] == "CHANGE_PASSWORD"
    change = """mutation($input: AccountPasswordChangeInput!) {
      accountPasswordChange(input: $input) { account { nextStep } userErrors { code } } }"""
    changed = {"oldPassword": "111111", "password": PASSWORD, "passwordConfirmation": PASSWORD}
    result = (await gateway.gql(change, {"input": changed}, token=first["token"]))[
        "accountPasswordChange"
    ]
    assert result == {"account": {"nextStep": "NONE"}, "userErrors": []}
    return institution_id, str(first["token"])


def product_form(name: str = "许昌惠企贷", **changes: Any) -> dict[str, Any]:
    form = {
        "name": name,
        "minAmount": "100000.00",
        "maxAmount": "3000000.00",
        "minRate": "3.45",
        "maxRate": "5.20",
        "minTermMonths": 3,
        "maxTermMonths": 36,
        "guaranteeMethods": ["CREDIT", "GUARANTEE"],
        "regionCodes": ["411000"],
        "description": "面向许昌市小微企业的纯信用流动资金贷款，随借随还。",
        "featured": False,
        "industries": ["制造业", "批发和零售业"],
    }
    form.update(changes)
    return form
