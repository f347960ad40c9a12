"""Error codes of real-name verification, each with its zh-CN and English message."""

from __future__ import annotations

from resolvers.core.errors import ErrorCode, register


@register
class RealNameErrorCode(ErrorCode):
    ID_TYPE_NOT_VERIFIABLE = (
        "ID_TYPE_NOT_VERIFIABLE",
        "该证件类型不支持身份信息认证，请使用银行卡认证",
        "This document type cannot be verified this way; use a bank card",
    )
    BANK_UNAVAILABLE = (
        "BANK_UNAVAILABLE",
        "该银行暂不支持实名认证，请选择其他银行",
        "This bank cannot verify enterprises now; choose another",
    )
    REAL_NAME_REQUIRED = (
        "REAL_NAME_REQUIRED",
        "请先完成实名认证（等级：{level}）",
        "Complete real-name verification first (level {level})",
    )
    VERIFICATION_STEP_INVALID = (
        "VERIFICATION_STEP_INVALID",
        "请按步骤完成认证",
        "Complete the verification's steps in order",
    )
