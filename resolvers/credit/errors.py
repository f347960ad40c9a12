"""Error codes of credit records, risk flags and the whitelist."""

from __future__ import annotations

from resolvers.core.errors import ErrorCode, register


@register
class CreditErrorCode(ErrorCode):
    CUSTOMS_CREDIT_INELIGIBLE = (
        "CUSTOMS_CREDIT_INELIGIBLE",
        "投保人须为海关信用等级一般信用及以上的企业",
        "Only enterprises with a customs credit rating of GENERAL or better may be insured",
    )
    CREDIT_RECORDS_UNAVAILABLE = (
        "CREDIT_RECORDS_UNAVAILABLE",
        "暂时无法查询企业信用记录，请稍后重试",
        "The credit records cannot be read now; try again later",
    )
