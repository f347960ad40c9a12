"""An insurer in software (TI-4..TI-8): checks credit, approves quotas up to a limit at its rate,
issues policies with its own premium and an e-policy PDF it stamps with its seal and signs,
takes premium payments (refusing one whose amount is not the premium it charged), and shares
claims.

Every answer goes through the signed webhook ``/webhooks/insurers/{code}``, as a real insurer's.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from integrations import documents
from integrations.institutions.base import InstitutionRequest
from integrations.institutions.simulator import SimulatedInstitution
from integrations.seal_imaging import Kind, StandardSeal
from integrations.seal_imaging import render as render_seal

CENT = Decimal("0.01")
PURPOSE_NAMES = {
    "CONSOLIDATED_TAXATION": "汇总征税",
    "TAX_DEADLINE_GUARANTEE": "纳税期限担保",
    "TAX_ELEMENT_GUARANTEE": "征税要素担保",
}
SEAL_MM = 40.0


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
    # Premium payments the insurer refuses, by policy number, with the reason.
    refused_payments: dict[str, str] = field(default_factory=dict)


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
        # The insurer's books: the premium it charged for each policy it issued.
        self.premiums: dict[str, Decimal] = {}

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
            return [self._policy(reference, payload)]
        if request.kind == "PREMIUM_PAY":
            return [self._payment(reference, payload)]
        return []

    def _charge(self, coverage: Decimal, rate: Decimal) -> Decimal:
        return max(premium(coverage, rate), self.rules.minimum_premium)

    def _policy(self, reference: object, payload: dict[str, Any]) -> dict[str, Any]:
        coverage = Decimal(str(payload["coverage"]))
        if coverage > self.rules.policy_limit:
            reason = "单笔保额超出本公司承保上限"
            return _event("POLICY_DECIDED", reference, "REJECTED", reason=reason)
        number = f"1{self.code[:2].encode().hex()}{uuid.uuid4().int % 10**15:015d}"
        charged = self._charge(coverage, Decimal(str(payload["rate"])))
        self.premiums[number] = charged
        return _event(
            "POLICY_DECIDED",
            reference,
            "ISSUED",
            policyNumber=number,
            premium=str(charged),
            collectionAccount=self.collection_account,
            collectionAccountName=f"{payload.get('insurerName', self.code)}收款专户",
        )

    def _payment(self, reference: object, payload: dict[str, Any]) -> dict[str, Any]:
        """在线交费: the amount must be the premium the insurer charged for that policy (from its
        books, or worked out again for a policy issued before a restart)."""
        number = str(payload.get("policyNumber"))
        due = self.premiums.get(number) or self._charge(
            Decimal(str(payload["coverage"])), Decimal(str(payload["rate"]))
        )
        amount = Decimal(str(payload.get("amount")))
        details = {"paymentId": payload.get("paymentId"), "amount": str(amount)}
        refused = self.rules.refused_payments.get(number)
        if refused is None and amount != due:
            refused = f"交费金额{amount:,.2f}元与应缴保费{due:,.2f}元不符"
        if refused is None and payload.get("collectionAccount") != self.collection_account:
            refused = "收款账号不是本公司的收款账号"
        if refused is not None:
            return _event("POLICY_DECIDED", reference, "PREMIUM_REFUSED", reason=refused, **details)
        return _event(
            "POLICY_DECIDED",
            reference,
            "PREMIUM_PAID",
            receiptNumber=f"R{uuid.uuid4().int % 10**18:018d}",
            paidAt=datetime.now(UTC).isoformat(),
            **details,
        )

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
        name = str(request.payload.get("insurerName") or self.code)
        seal = await asyncio.to_thread(insurer_seal, name)
        pdf = documents.render(e_policy(request.payload, event, seal))
        signed = await self.signer(pdf, "Insurer", "保险公司签发电子保单")
        event["ePolicy"] = base64.b64encode(signed).decode()

    async def report_claim(self, claim: dict[str, Any]) -> None:
        """Share a claim with the platform (理赔信息共享, TI-7)."""
        await self.call_back({"eventId": uuid.uuid4().hex, "type": "CLAIM_REPORTED", **claim})


def _event(kind: str, reference: object, decision: str, **details: Any) -> dict[str, Any]:
    return {"type": kind, "reference": reference, "decision": decision, **details}


@lru_cache(maxsize=8)
def insurer_seal(name: str) -> bytes:
    """The insurer's company seal (its name on the arc, the star), red, as a transparent PNG."""
    spec = StandardSeal(unit_text=name, kind=Kind.COMPANY, width_mm=SEAL_MM, height_mm=SEAL_MM)
    return render_seal(spec)


def _percent(value: object) -> str:
    """A rate as the manual shows it: 1.80, never 1.8 or 1.8000 (more places if it has them)."""
    rate = Decimal(str(value)).normalize()
    exponent = rate.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < -2 else 2
    return f"{rate:.{places}f}"


def _customs(payload: dict[str, Any], key: str) -> str:
    return f"{payload.get(key + 'Name', '')}（{payload.get(key, '')}）"


def _invoice(payload: dict[str, Any]) -> tuple[str, ...]:
    kind = str(payload.get("invoiceTypeName") or payload.get("invoiceType") or "")
    if payload.get("invoiceType") == "NONE":
        return (f"发票类型：{kind}",)
    lines = [f"发票类型：{kind}", f"发票抬头：{payload.get('invoiceTitle') or ''}"]
    for key, label in (
        ("taxNumber", "企业税号"),
        ("address", "企业地址"),
        ("bankName", "开户银行"),
        ("bankAccount", "银行账号"),
        ("phone", "联系人电话"),
        ("email", "联系人邮箱"),
    ):
        if payload.get(key):
            lines.append(f"{label}：{payload[key]}")
    return tuple(lines)


def e_policy(
    payload: dict[str, Any], event: dict[str, Any], seal_png: bytes | None = None
) -> documents.Document:
    """电子保单: the policy as issued, with the insurer's seal in the signature block."""
    return documents.Document(
        title="关税保证保险电子保单",
        number=str(event["policyNumber"]),
        number_label="保单编号",
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
                    f"被保险人注册海关：{_customs(payload, 'registeredCustoms')}",
                    f"被保险人通关海关：{_customs(payload, 'clearanceCustoms')}",
                    f"保险期间：{payload.get('startDate')} 至 {payload.get('endDate')}",
                    f"保险金额：人民币{Decimal(str(payload.get('coverage'))):,.2f}元",
                    f"保险费率：{_percent(payload.get('rate'))}%",
                    f"保险费：人民币{Decimal(str(event['premium'])):,.2f}元",
                    f"收款账号：{event['collectionAccount']}（{event['collectionAccountName']}）",
                ),
            ),
            ("发票信息", _invoice(payload)),
            (
                "保险责任",
                (
                    "因投保人破产或拖欠税款导致海关关税损失（含海关税款及其滞纳金）的，保险人依约赔偿。",
                ),
            ),
        ),
        seal_png=seal_png,
        seal_size_mm=SEAL_MM,
        signer_label="保险人（签章）",
    )
