"""A bank in software: enterprises verified by bank key, agreements signed or refused by
function, loans accepted then approved or
rejected against a limit, a SIGNED agreement counter-signed with the bank's key."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from integrations.institutions.base import InstitutionRequest
from integrations.institutions.simulator import SimulatedInstitution


@dataclass
class SimulatorRules:
    """How the simulated banks decide (tests and the demo may change them)."""

    delay_seconds: float = 0.3
    refused_functions: dict[str, str] = field(
        default_factory=lambda: {"GUARANTEE": "本行暂未开通线上保函业务"}
    )
    loan_limit: Decimal = Decimal("5000000")
    # Enterprise verification by bank key (SW-9, SW-18): these USCCs hold no account here.
    no_account_usccs: set[str] = field(default_factory=set)


def _answer(
    kind: str, request: InstitutionRequest, decision: str, reason: str | None = None
) -> dict[str, Any]:
    return {
        "type": kind,
        "reference": request.payload.get("reference"),
        "decision": decision,
        "reason": reason,
    }


class BankSimulator(SimulatedInstitution):
    webhook_kind = "banks"

    def __init__(self, code: str, secret: bytes, rules: SimulatorRules, **kwargs: Any) -> None:
        super().__init__(code, secret, **kwargs)
        self.rules = rules

    @property
    def delay_seconds(self) -> float:
        return self.rules.delay_seconds

    def decide(self, request: InstitutionRequest) -> list[dict[str, Any]]:
        if request.kind == "ENTERPRISE_VERIFY":
            if request.payload.get("uscc") in self.rules.no_account_usccs:
                reason = "未在本行开立对公结算账户"
                return [_answer("ENTERPRISE_VERIFIED", request, "FAILED", reason)]
            return [_answer("ENTERPRISE_VERIFIED", request, "VERIFIED")]
        if request.kind == "AGREEMENT_TERMINATE":
            return [_answer("AGREEMENT_DECIDED", request, "TERMINATED")]
        if request.kind == "LOAN_SUBMIT":
            accepted = _answer("LOAN_DECIDED", request, "ACCEPTED")
            if Decimal(str(request.payload.get("amount", "0"))) > self.rules.loan_limit:
                return [accepted, _answer("LOAN_DECIDED", request, "REJECTED", "超出本行授信额度")]
            return [accepted, _answer("LOAN_DECIDED", request, "APPROVED")]
        if request.kind != "AGREEMENT_SUBMIT":
            return []
        for function in request.payload.get("functions", []):
            if function in self.rules.refused_functions:
                reason = self.rules.refused_functions[function]
                return [_answer("AGREEMENT_DECIDED", request, "FAILED", reason)]
        return [_answer("AGREEMENT_DECIDED", request, "SIGNED")]

    async def complete(self, request: InstitutionRequest, event: dict[str, Any]) -> None:
        """A SIGNED agreement comes back with the bank's counter-signature."""
        document = request.payload.get("document")
        if event["decision"] == "SIGNED" and document and self.signer is not None:
            pdf = await self.signer(base64.b64decode(str(document)), "Bank", "银行确认")
            event["counterSignedDocument"] = base64.b64encode(pdf).decode()
