"""Error codes of cards, each with its zh-CN and English message."""

from __future__ import annotations

from resolvers.core.errors import ErrorCode, register


@register
class CardErrorCode(ErrorCode):
    CHALLENGE_INVALID = (
        "CHALLENGE_INVALID",
        "卡介质验证已失效，请重新获取",
        "The card challenge is used, expired or unknown; request a new one",
    )
    CARD_KIND_MISMATCH = (
        "CARD_KIND_MISMATCH",
        "管理员只能绑定法人卡，操作员只能绑定操作员卡",
        "Admins bind legal-person cards; operators bind operator cards",
    )
    CARD_ALREADY_BOUND = (
        "CARD_ALREADY_BOUND",
        "该卡已绑定其他账号",
        "This card is bound to another account",
    )
