"""Error codes of loans, each with its zh-CN and English message."""

from __future__ import annotations

from resolvers.core.errors import ErrorCode, register


@register
class LoanErrorCode(ErrorCode):
    TERM_INVALID = "TERM_INVALID", "期限应为1至{max}个月", "The term must be 1 to {max} months"
    FINANCING_AGREEMENT_REQUIRED = (
        "FINANCING_AGREEMENT_REQUIRED",
        "请先与该银行签约融资申请功能",
        "Sign an agreement covering FINANCING with this bank first",
    )
