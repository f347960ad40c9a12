"""Error codes of account recovery and manual review, each with its zh-CN and English message."""

from __future__ import annotations

from resolvers.core.errors import ErrorCode, register


@register
class RecoveryErrorCode(ErrorCode):
    FEWER_THAN_TWO_OPERATORS = (
        "FEWER_THAN_TWO_OPERATORS",
        "该企业操作员少于两个，请选择其他认证方式",
        "This enterprise has fewer than two operators; choose another check",
    )
    SAME_OPERATOR_TWICE = (
        "SAME_OPERATOR_TWICE",
        "请输入两个不同操作员的手机号",
        "Give the mobiles of two different operators",
    )
    IDENTITY_INCOMPLETE = "IDENTITY_INCOMPLETE", "身份信息不完整", "Identity information incomplete"
    E_LICENCE_UNSUPPORTED = (
        "E_LICENCE_UNSUPPORTED",
        "电子营业执照验证仅支持统一社会信用代码以9开头的企业管理员",
        "Electronic business licence checks are only for admins of enterprises whose USCC starts"
        " with 9",
    )
    RECOVERY_INVALID = (
        "RECOVERY_INVALID",
        "验证已失效，请重新开始",
        "This recovery has expired or is finished; start again",
    )
    RECOVERY_LIMIT_REACHED = (
        "RECOVERY_LIMIT_REACHED",
        "尝试次数过多，请一小时后再试",
        "Too many attempts; try again in an hour",
    )
    ACCOUNT_NOT_FOUND = "ACCOUNT_NOT_FOUND", "用户名不存在", "No account has this username"
    REVIEW_ALREADY_DECIDED = (
        "REVIEW_ALREADY_DECIDED",
        "该申请已审核，不能重复处理",
        "This request has already been decided",
    )
    REVIEW_ACCOUNT_REQUIRED = (
        "REVIEW_ACCOUNT_REQUIRED",
        "请选择与申请信息一致的账号",
        "Choose the account that matches the request",
    )
