"""An insurer in software (TI-4..TI-7): checks credit, approves quotas up to a limit at its rate,
issues policies with its own premium and an e-policy PDF it signs, and shares claims.

Every answer goes through the signed webhook ``/webhooks/insurers/{code}``, as a real insurer's.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from integrations import documents
from integrations.institutions.base import InstitutionRequest
from integrations.institutions.simulator import SimulatedInstitution

CENT = Decimal("0.01")
PURPOSE_NAMES = {
    "CONSOLIDATED_TAXATION": "汇总征税",
    "TAX_DEADLINE_GUARANTEE": "纳税期限担保",
    "TAX_ELEMENT_GUARANTEE": "征税要素担保",
}


@dataclass
class InsurerRules:
    """How the simulated insurers decide (tests and the demo may change them)."""

    delay_seconds: float = 0.3
    quota_limit: Decimal = Decimal("30000000")
    rate_percent: Decimal = Decimal("1.80")
    # The insurer's premium is never below this (its figure is final, TI-6).
    minimum_premium: Decimal = Decimal("200.00")
    policy_limit: Decimal = Decimal("10000000")
    # USCCs whose credit check the insurer refuses, with the reason.
    refused_credit_checks: dict[str, str] = field(default_factory=dict)
    # Overrides the approval's rate (tests send insurers' mistakes such as -1).
    approval_rate: Decimal | None = None
    # How long an approved quota lasts; None: one year.
    quota_validity_days: int | None = None


def premium(coverage: Decimal, rate_percent: Decimal) -> Decimal:
    """Coverage x rate, to the cent (half up)."""
    return (coverage * rate_percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def _today() -> date:
    return (datetime.now(UTC) + timedelta(hours=8)).date()


class InsurerSimulator(SimulatedInstitution):
    webhook_kind = "insurers"

    def __init__(self, code: str, secret: bytes, rules: InsurerRules, **kwargs: Any) -> None:
        super().__init__(code, secret, **kwargs)
        self.rules = rules
        digits = int(hashlib.sha256(code.encode()).hexdigest()[:12], 16) % 10**12
        self.collection_account = f"19{digits:012d}"

    @property
    def delay_seconds(self) -> float:
        return self.rules.delay_seconds

    def decide(self, request: InstitutionRequest) -> list[dict[str, Any]]:
        payload = request.payload
        reference = payload.get("reference")
        if request.kind == "CREDIT_AUTHORISATION_SUBMIT":
            refused = self.rules.refused_credit_checks.get(str(payload.get("enterpriseUscc")))
            decision = "FAILED" if refused else "SUCCEEDED"
            return [_event("CREDIT_AUTHORISATION_DECIDED", reference, decision, reason=refused)]
        if request.kind == "QUOTA_APPLY":
            return self._quota(reference, Decimal(str(payload["requestedAmount"])))
        if request.kind == "QUOTA_INCREASE":
            total = Decimal(str(payload["currentTotal"])) + Decimal(str(payload["increase"]))
            if total > self.rules.quota_limit:
                reason = "追加后额度超出本公司可承保额度"
                return [_event("QUOTA_INCREASE_DECIDED", reference, "FAILED", reason=reason)]
            return [
                _event(
                    "QUOTA_INCREASE_DECIDED",
                    reference,
                    "APPROVED",
                    approvedTotal=str(total),
                    increaseId=payload.get("increaseId"),
                )
            ]
        if request.kind == "POLICY_APPLY":
            coverage = Decimal(str(payload["coverage"]))
            if coverage > self.rules.policy_limit:
                reason = "单笔保额超出本公司承保上限"
                return [_event("POLICY_DECIDED", reference, "REJECTED", reason=reason)]
            rate = Decimal(str(payload["rate"]))
            return [
                _event(
                    "POLICY_DECIDED",
                    reference,
                    "ISSUED",
                    policyNumber=f"1{self.code[:2].encode().hex()}{uuid.uuid4().int % 10**15:015d}",
                    premium=str(max(premium(coverage, rate), self.rules.minimum_premium)),
                    collectionAccount=self.collection_account,
                    collectionAccountName=f"{payload.get('insurerName', self.code)}收款专户",
                )
            ]
        return []

    def _quota(self, reference: object, requested: Decimal) -> list[dict[str, Any]]:
        received = _event("QUOTA_DECIDED", reference, "RECEIVED")
        if requested > self.rules.quota_limit:
            reason = "意向额度超出本公司可承保额度"
            return [received, _event("QUOTA_DECIDED", reference, "FAILED", reason=reason)]
        effective = _today()
        rate = (
            self.rules.approval_rate
            if self.rules.approval_rate is not None
            else self.rules.rate_percent
        )
        approved = _event(
            "QUOTA_DECIDED",
            reference,
            "APPROVED",
            approvedTotal=str(requested),
            rate=str(rate),
            effectiveDate=effective.isoformat(),
            expiryDate=self._expiry(effective).isoformat(),
        )
        return [received, approved]

    def _expiry(self, effective: date) -> date:
        if self.rules.quota_validity_days is not None:
            return effective + timedelta(days=self.rules.quota_validity_days)
        try:
            return effective.replace(year=effective.year + 1)
        except ValueError:  # 29 February
            return effective.replace(year=effective.year + 1, day=28)

    async def complete(self, request: InstitutionRequest, event: dict[str, Any]) -> None:
        """An issued policy comes with its e-policy PDF, signed with the insurer's key."""
        if event.get("decision") != "ISSUED" or self.signer is None:
            return
        pdf = documents.render(_e_policy(request.payload, event))
        signed = await self.signer(pdf, "Insurer", "保险公司签发电子保单")
        event["ePolicy"] = base64.b64encode(signed).decode()

    async def report_claim(self, claim: dict[str, Any]) -> None:
        """Share a claim with the platform (理赔信息共享, TI-7)."""
        await self.call_back({"eventId": uuid.uuid4().hex, "type": "CLAIM_REPORTED", **claim})


def _event(kind: str, reference: object, decision: str, **details: Any) -> dict[str, Any]:
    return {"type": kind, "reference": reference, "decision": decision, **details}


def _e_policy(payload: dict[str, Any], event: dict[str, Any]) -> documents.Document:
    return documents.Document(
        title="关税保证保险电子保单",
        number=str(event["policyNumber"]),
        date=_today().isoformat(),
        parties=(
            documents.Party("保险人", str(payload.get("insurerName", ""))),
            documents.Party(
                "投保人",
                str(payload.get("enterpriseName", "")),
                (f"统一社会信用代码：{payload.get('enterpriseUscc', '')}",),
            ),
            documents.Party(
                "被保险人", f"中华人民共和国海关（{payload.get('registeredCustomsName', '')}）"
            ),
        ),
        sections=(
            (
                "保险信息",
                (
                    f"投保单编号：{payload.get('reference')}",
                    f"保单用途：{PURPOSE_NAMES.get(str(payload.get('purpose')), '')}",
                    f"保险期间：{payload.get('startDate')} 至 {payload.get('endDate')}",
                    f"保险金额：人民币{Decimal(str(payload.get('coverage'))):,.2f}元",
                    f"保险费：人民币{Decimal(str(event['premium'])):,.2f}元",
                    f"收款账号：{event['collectionAccount']}（{event['collectionAccountName']}）",
                ),
            ),
            (
                "保险责任",
                (
                    "因投保人破产或拖欠税款导致海关关税损失（含海关税款及其滞纳金）的，保险人依约赔偿。",
                ),
            ),
        ),
        signer_label="保险人（签章）",
    )
