"""Error codes of identity checks, each with its zh-CN and English message."""

from __future__ import annotations

from resolvers.core.errors import ErrorCode, register


@register
class IdentityErrorCode(ErrorCode):
    ID_NAME_MISMATCH = (
        "ID_NAME_MISMATCH",
        "姓名与证件号码不一致",
        "The name and the ID number do not match",
    )
    ID_NOT_FOUND = (
        "ID_NOT_FOUND",
        "身份信息认证不通过：证件号码不存在",
        "No person holds this document number",
    )
    ID_VALIDITY_MISMATCH = (
        "ID_VALIDITY_MISMATCH",
        "证件有效期与证件登记信息不一致",
        "The validity dates differ from the document on record",
    )
    BANK_CARD_MISMATCH = (
        "BANK_CARD_MISMATCH",
        "银行卡认证不通过，请核对卡号、姓名、证件号码和银行预留手机号",
        "The bank card check failed; check the card number, name, ID and the card's mobile",
    )
