"""Tariff insurance for tests: insurers, a signed credit-check authorisation, quotas, policies."""

from __future__ import annotations

import asyncio
import time
from datetime import date, timedelta
from typing import Any

from models import Institution, InstitutionKind
from tests.agreements import CARD, Signer
from tests.cards import PIN, Cards
from tests.support import Gateway

AUTHORISE = """
mutation($input: CreditAuthorisationSignPrepareInput!) {
  creditAuthorisationSignPrepare(input: $input) { signingSessionId digestToSign previewDataUrl userErrors { code field } }
}"""
AUTHORISE_COMPLETE = """
mutation($input: SigningCompleteInput!) {
  creditAuthorisationSignComplete(input: $input) { creditAuthorisation { id number status } userErrors { code field } }
}"""
AUTHORISATIONS = """
query($filter: CreditAuthorisationFilter) { creditAuthorisations(filter: $filter) { totalCount nodes {
  number status signedAt insurer { code name } document { sha256 dataUrl }
} } }"""
QUOTA_FIELDS = """id number status requestedAmount approvedTotal used reserved remaining rate
  effectiveDate expiryDate submittedAt pendingIncrease insurerReason enterpriseName customsCode
  registeredCustoms { code name } insurer { code }
  viewerCanReapply viewerCanIncrease viewerCanApplyForPolicy
  history { kind status amount totalBefore totalAfter usedBefore usedAfter remainingAfter reference reason }"""
APPLY_QUOTA = (
    "mutation($input: TariffQuotaInput!) { tariffQuotaApply(input: $input) { quota { "
    + QUOTA_FIELDS
    + " } userErrors { code field message } } }"
)
QUOTAS = "query { tariffQuotas { totalCount nodes { " + QUOTA_FIELDS + " } } }"
POLICY_FIELDS = """id applicationNumber policyNumber status purpose startDate endDate coverage rate
  premiumEstimate premium collectionAccount collectionAccountName insurerReason
  registeredCustoms { code name } clearanceCustoms { code name } insurer { code }
  invoice { type title taxNumber bankAccount } ePolicy { sha256 dataUrl } history { status reason }
  quota { remaining used reserved }"""
APPLY_POLICY = (
    "mutation($input: TariffPolicyInput!) { tariffPolicyApply(input: $input) { policy { "
    + POLICY_FIELDS
    + " } userErrors { code field message } } }"
)
POLICIES = (
    "query($filter: TariffPolicyFilter) { tariffPolicies(filter: $filter) { totalCount nodes { "
    + POLICY_FIELDS
    + " } } }"
)


async def add_insurers(gateway: Gateway) -> dict[str, str]:
    async with gateway.services.sessionmaker() as db:
        for code, name in (("PAIC", "中国平安财产保险股份有限公司"), ("BOCI", "中银保险有限公司")):
            db.add(Institution(code=code, name=name, kind=InstitutionKind.INSURER))
        await db.commit()
    nodes = (await gateway.gql("{ institutions(kind: INSURER) { nodes { id code } } }"))[
        "institutions"
    ]["nodes"]
    for simulator_code in ("PAIC", "BOCI"):
        gateway.services.institutions.simulator(
            simulator_code, "INSURER"
        ).rules.delay_seconds = 0.05  # type: ignore[attr-defined]
    return {n["code"]: n["id"] for n in nodes}


async def authorise(
    gateway: Gateway, cards: Cards, signer: Signer, insurer_id: str, card: str = CARD
) -> dict[str, Any]:
    data = {
        "insurerId": insurer_id,
        "sealId": signer.seal_id,
        "certificate": cards.agent.signing_certificate(card),
    }
    prepared = (await gateway.gql(AUTHORISE, {"input": data}, token=signer.token))[
        "creditAuthorisationSignPrepare"
    ]
    assert prepared["userErrors"] == [], prepared
    signature = cards.agent.sign_digest(bytes.fromhex(prepared["digestToSign"]), PIN, card)
    payload = {"signingSessionId": prepared["signingSessionId"], "signature": signature.signature}
    return (await gateway.gql(AUTHORISE_COMPLETE, {"input": payload}, token=signer.token))[  # type: ignore[no-any-return]
        "creditAuthorisationSignComplete"
    ]


def quota_form(insurer_id: str, **changes: Any) -> dict[str, Any]:
    return {
        "insurerId": insurer_id,
        "requestedAmount": "5000000.00",
        "contactName": "旭格操作员5",
        "legalRepName": "赵国臣",
        "address": "辽宁省沈阳市和平区南京北街1号",
        "customsCode": "2101940109",
        "registeredCustoms": "0800",
        "email": "ops@example.cn",
        "contactPhone": "13312340001",
        "legalRepPhone": "13312340002",
        "salespersonNumber": "PA-0012",
        **changes,
    }


def policy_form(quota_id: str, today: date, **changes: Any) -> dict[str, Any]:
    invoice = {
        "type": "ELECTRONIC",
        "address": "辽宁省沈阳市和平区南京北街1号",
        "bankName": "中国银行沈阳分行",
        "email": "finance@example.cn",
        "taxNumber": "91210100MA0TEST01X",
        "phone": "02488880000",
    }
    invoice.update(changes.pop("invoice", {}))
    return {
        "quotaId": quota_id,
        "purpose": "CONSOLIDATED_TAXATION",
        "registeredCustoms": "0800",
        "clearanceCustoms": "0900",
        "startDate": today.isoformat(),
        "endDate": (today + timedelta(days=180)).isoformat(),
        "coverage": "1000000.00",
        "invoice": invoice,
        **changes,
    }


async def wait_until(
    gateway: Gateway, query: str, token: str, pick: Any, status: str, timeout: float = 10
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        found = pick(await gateway.gql(query, token=token))
        if found["status"] == status or time.monotonic() > deadline:
            assert found["status"] == status, found
            return found  # type: ignore[no-any-return]
        await asyncio.sleep(0.05)


async def approved_quota(
    gateway: Gateway, cards: Cards, signer: Signer, insurers: dict[str, str], **changes: Any
) -> dict[str, Any]:
    """A SUCCEEDED authorisation with PAIC and an APPROVED quota of 5,000,000 at 1.8 %."""
    await authorise(gateway, cards, signer, insurers["PAIC"])
    await wait_until(
        gateway,
        AUTHORISATIONS,
        signer.token,
        lambda d: d["creditAuthorisations"]["nodes"][0],
        "SUCCEEDED",
    )
    applied = (
        await gateway.gql(
            APPLY_QUOTA, {"input": quota_form(insurers["PAIC"], **changes)}, token=signer.token
        )
    )["tariffQuotaApply"]
    assert applied["userErrors"] == [], applied
    return await wait_until(
        gateway, QUOTAS, signer.token, lambda d: d["tariffQuotas"]["nodes"][0], "APPROVED"
    )
