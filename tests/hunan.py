"""Helpers for the Hunan tests: a registered enterprise user and its certification."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from integrations.registry import EnterpriseRecord, SimulatedRegistry
from tests.marketplace import login_with_code
from tests.recovery import jpeg, png
from tests.support import Gateway, upload

HN_PASSWORD = "xqr2026pass"
REGISTER = """
mutation($input: HunanRegisterInput!) { hunanRegister(input: $input) {
  account { username kind ... on EnterpriseUser { certifiedAt enterprise { name uscc address } } }
  userErrors { code field message } } }"""
SUGGEST = "query($n: String!) { registrySuggestions(name: $n) { name uscc address } }"
CERTIFICATION = """
  id status legalRepName legalRepIdNumber legalRepPhone contactName contactPhone contactEmail
  registrationStatus regionCode address enterpriseType establishedOn registeredCapital authority
  industry businessScope reason enterpriseName documents { kind fileName contentType size }
"""
SAVE = f"""mutation($input: CertificationInput!) {{ certificationSave(input: $input) {{
  certification {{ {CERTIFICATION} }} userErrors {{ code field message }} }} }}"""
UPLOAD = f"""mutation($kind: CertificationDocumentKind!, $file: Upload!) {{
  certificationDocumentUpload(kind: $kind, file: $file) {{
  certification {{ {CERTIFICATION} }} userErrors {{ code field message }} }} }}"""
SUBMIT = f"""mutation {{ certificationSubmit {{ certification {{ {CERTIFICATION} }}
  userErrors {{ code field message }} }} }}"""
REVIEWS = f"""query($status: CertificationStatus) {{ certificationReviews(status: $status) {{
  totalCount nodes {{ {CERTIFICATION} }} }} }}"""
APPROVE = """mutation($id: ID!) { certificationApprove(id: $id) {
  certification { status } userErrors { code } } }"""
REJECT = """mutation($id: ID!, $r: String!) { certificationReject(id: $id, reason: $r) {
  certification { status reason } userErrors { code } } }"""
MESSAGES = (
    """{ unreadMessageCount messages(first: 10) { totalCount nodes { id title body readAt } } }"""
)


def registry_company(gateway: Gateway, index: int = 0) -> EnterpriseRecord:
    registry = gateway.services.registry
    assert isinstance(registry, SimulatedRegistry)
    hits = [r for r in registry._enterprises.values() if r.region_code.startswith("43")]
    return sorted(hits, key=lambda r: r.uscc)[index]


async def register(
    gateway: Gateway, account: str, company: EnterpriseRecord, mobile: str, **changes: Any
) -> dict[str, Any]:
    gateway.services.clock.advance(timedelta(seconds=61))
    data = {
        "companyName": company.name,
        "uscc": company.uscc,
        "account": account,
        "mobile": mobile,
        "password": HN_PASSWORD,
        "passwordConfirmation": HN_PASSWORD,
        "smsCode": await gateway.code_for("REGISTRATION", mobile),
        "acceptTerms": True,
    }
    data.update(changes)
    return (await gateway.gql(REGISTER, {"input": data}))["hunanRegister"]  # type: ignore[no-any-return]


async def registered_user(
    gateway: Gateway, account: str = "xqrUser01", index: int = 0, mobile: str = "13912340001"
) -> tuple[str, EnterpriseRecord]:
    company = registry_company(gateway, index)
    assert (await register(gateway, account, company, mobile))["userErrors"] == []
    login = await login_with_code(gateway, account, HN_PASSWORD)
    assert login["token"], login
    return str(login["token"]), company


def certification_form(company: EnterpriseRecord) -> dict[str, Any]:
    return {
        "legalRepName": company.legal_rep_name,
        "legalRepIdNumber": company.legal_rep_id_number,
        "legalRepPhone": "15214051400",
        "contactName": "张三",
        "contactPhone": "15214051401",
        "contactTitle": "总经理",
        "contactEmail": "zhangsan@example.com",
    }


async def upload_document(
    gateway: Gateway, token: str, kind: str, name: str, content: bytes, content_type: str
) -> dict[str, Any]:
    response = await upload(
        gateway,
        UPLOAD,
        {"kind": kind, "file": None},
        {"file": (name, content, content_type)},
        token,
    )
    body = response.json()
    assert "errors" not in body, body
    return body["data"]["certificationDocumentUpload"]  # type: ignore[no-any-return]


async def submitted_certification(gateway: Gateway, token: str, company: EnterpriseRecord) -> None:
    saved = await gateway.gql(SAVE, {"input": certification_form(company)}, token=token)
    assert saved["certificationSave"]["userErrors"] == [], saved
    await upload_document(gateway, token, "BUSINESS_LICENCE", "licence.jpg", jpeg(), "image/jpeg")
    await upload_document(gateway, token, "AUTHORISATION_LETTER", "letter.png", png(), "image/png")
    submitted = (await gateway.gql(SUBMIT, token=token))["certificationSubmit"]
    assert submitted["userErrors"] == [], submitted
