"""Error codes of the WeChat mini-program, each with its zh-CN and English message."""

from __future__ import annotations

from resolvers.core.errors import ErrorCode, register


@register
class WeChatErrorCode(ErrorCode):
    WECHAT_CODE_INVALID = (
        "WECHAT_CODE_INVALID",
        "微信登录已失效，请重新进入小程序",
        "The WeChat login code is invalid or used; open the mini-program again",
    )
    WECHAT_UNAVAILABLE = (
        "WECHAT_UNAVAILABLE",
        "微信服务繁忙，请稍后重试",
        "WeChat is busy; try again",
    )
    WECHAT_ALREADY_BOUND = (
        "WECHAT_ALREADY_BOUND",
        "该微信已绑定其他账号",
        "This WeChat user is bound to another account",
    )
    BINDING_TICKET_INVALID = (
        "BINDING_TICKET_INVALID",
        "绑定已失效，请重新登录",
        "The binding ticket is expired or forged; log in again",
    )
