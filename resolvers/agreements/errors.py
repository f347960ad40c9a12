"""Error codes of agreements and card signing, each with its zh-CN and English message."""

from __future__ import annotations

from resolvers.core.errors import ErrorCode, register


@register
class AgreementErrorCode(ErrorCode):
    SEAL_NOT_ENABLED = "SEAL_NOT_ENABLED", "请选择已启用的印章", "Choose an enabled seal"
    SEAL_NOT_SIGNERS = (
        "SEAL_NOT_SIGNERS",
        "请选择签署人本人的印章",
        "Choose a seal held by the signer",
    )
    FUNCTION_ALREADY_SIGNED = (
        "FUNCTION_ALREADY_SIGNED",
        "同一银行针对同一功能不能重复签约：{functions}",
        "This bank is already signed, or being signed, for: {functions}",
    )
    SIGNING_SESSION_INVALID = (
        "SIGNING_SESSION_INVALID",
        "签署已失效，请重新发起签署",
        "The signing session is used, expired or not yours; start again",
    )
    AGREEMENT_NOT_SIGNED = (
        "AGREEMENT_NOT_SIGNED",
        "仅限签约状态为“签约成功”的协议允许解约",
        "Only agreements with status SIGNED can be terminated",
    )
    COUNTER_SIGNATURE_INVALID = (
        "COUNTER_SIGNATURE_INVALID",
        "银行签章无效",
        "The bank's counter-signed document is not the agreement with a valid second signature",
    )
