"""Errors the API shows to clients, with stable codes and zh-CN / English messages.

Two kinds:

- :class:`UserErrors` are expected business failures (bad USCC, wrong state, used code).
  Mutations return them as ``userErrors { code field message }`` after rolling back.
- :class:`ClientFault` subclasses are the caller's fault at the protocol level (not logged in,
  not allowed, bad argument). They become top-level GraphQL errors with ``extensions.code``.

Everything else is a bug or an outage: masked for the client, logged with the request ID.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, Self, TypeVar

Locale = Literal["zh-CN", "en"]
E = TypeVar("E", bound="ErrorCode")


class ErrorCode(StrEnum):
    """Base of every domain's error codes. A member reads ``NAME = "NAME", zh-CN, English``;
    a message may name parameters (``{seconds}``) that the problem supplies."""

    zh: str
    en: str

    def __new__(cls, value: str, zh: str, en: str) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.zh = zh
        member.en = en
        return member

    def message(self, locale: Locale, **params: object) -> str:
        template = self.en if locale == "en" else self.zh
        return template.format(**params) if params else template


_OWNERS: dict[str, type[ErrorCode]] = {}


def register(codes: type[E]) -> type[E]:
    """Record a domain's codes; a code with no message or with two owners is refused at import."""
    for code in codes:
        owner = _OWNERS.setdefault(code.value, codes)
        if owner is not codes:
            raise ValueError(
                f"{code.value} is owned by {owner.__qualname__} and {codes.__qualname__}"
            )
        if not (code.zh.strip() and code.en.strip()):
            raise ValueError(f"{code.value} lacks a zh-CN or an English message")
    return codes


def registered() -> dict[str, type[ErrorCode]]:
    """Every registered code with the enum that owns it."""
    return dict(_OWNERS)


@register
class CommonErrorCode(ErrorCode):
    """Codes every domain uses: field checks, identifiers, look-ups and state."""

    REQUIRED = "REQUIRED", "此项为必填项", "This field is required"
    TOO_LONG = "TOO_LONG", "长度不能超过{max}个字符", "Must be at most {max} characters"
    INVALID_FORMAT = "INVALID_FORMAT", "格式不正确", "Invalid format"
    EMPTY = "EMPTY", "此项为必填项", "This field is required"
    USCC_LENGTH = "USCC_LENGTH", "统一社会信用代码应为18位", "The USCC must have 18 characters"
    USCC_CHARSET = (
        "USCC_CHARSET",
        "统一社会信用代码含有不允许的字符(I、O、Z、S、V不可使用)",
        "The USCC contains characters that are not allowed (I, O, Z, S and V are never used)",
    )
    USCC_DEPT = (
        "USCC_DEPT",
        "统一社会信用代码的登记管理部门代码不存在",
        "The USCC's registration department code does not exist",
    )
    USCC_CATEGORY = (
        "USCC_CATEGORY",
        "统一社会信用代码的机构类别代码不正确",
        "The USCC's organisation category does not match its department",
    )
    USCC_REGION_FORMAT = (
        "USCC_REGION_FORMAT",
        "统一社会信用代码的行政区划码应为6位数字",
        "The USCC's administrative division must be 6 digits",
    )
    USCC_ORG_PART_CHECK = (
        "USCC_ORG_PART_CHECK",
        "统一社会信用代码第9-17位(主体标识码)校验不通过",
        "Positions 9-17 of the USCC (the organisation code) fail their check",
    )
    USCC_CHECK = "USCC_CHECK", "统一社会信用代码校验位不正确", "The USCC's check character is wrong"
    ORG_LENGTH = "ORG_LENGTH", "组织机构代码应为9位", "The organisation code must have 9 characters"
    ORG_CHARSET = (
        "ORG_CHARSET",
        "组织机构代码只能包含数字和大写字母",
        "The organisation code may contain only digits and capital letters",
    )
    ORG_CHECK = (
        "ORG_CHECK",
        "组织机构代码校验位不正确",
        "The organisation code's check character is wrong",
    )
    ORG_USCC_MISMATCH = (
        "ORG_USCC_MISMATCH",
        "组织机构代码应与统一社会信用代码第9-17位一致",
        "The organisation code must equal positions 9-17 of the USCC",
    )
    ID_LENGTH = "ID_LENGTH", "身份证号码应为18位", "A resident ID number has 18 characters"
    ID_CHARSET = (
        "ID_CHARSET",
        "身份证号码前17位应为数字，最后一位为数字或X",
        "A resident ID number is 17 digits followed by a digit or X",
    )
    ID_REGION = "ID_REGION", "身份证号码地区码不正确", "The ID number's region code is wrong"
    ID_BIRTHDATE_INVALID = (
        "ID_BIRTHDATE_INVALID",
        "身份证号码中的出生日期不存在",
        "The birth date in the ID number does not exist",
    )
    ID_BIRTHDATE_FUTURE = (
        "ID_BIRTHDATE_FUTURE",
        "身份证号码中的出生日期晚于今天",
        "The birth date in the ID number is in the future",
    )
    ID_BIRTHDATE_TOO_OLD = (
        "ID_BIRTHDATE_TOO_OLD",
        "身份证号码中的出生日期早于1900年",
        "The birth date in the ID number is before 1900",
    )
    ID_CHECK = "ID_CHECK", "身份证号码校验位不正确", "The ID number's check character is wrong"
    MOBILE_LENGTH = "MOBILE_LENGTH", "手机号码应为11位", "A mobile number has 11 digits"
    MOBILE_CHARSET = (
        "MOBILE_CHARSET",
        "手机号码只能包含数字",
        "A mobile number contains only digits",
    )
    MOBILE_PREFIX = "MOBILE_PREFIX", "手机号码格式不正确", "This is not a mainland mobile number"
    EMAIL_FORMAT = "EMAIL_FORMAT", "邮箱格式不正确", "Invalid email address"
    DATE_FORMAT = "DATE_FORMAT", "日期格式应为YYYYMMDD", "Dates are written YYYYMMDD"
    DATE_RANGE = (
        "DATE_RANGE",
        "结束日期应晚于起始日期(长期有效请填写8个0)",
        "The end date must follow the start date (00000000 means long-term)",
    )
    PASSPORT_FORMAT = (
        "PASSPORT_FORMAT",
        "证件号码应为5-20位字母或数字",
        "The document number must be 5-20 letters or digits",
    )
    USERNAME_FORMAT = (
        "USERNAME_FORMAT",
        "用户名应为6-18位英文字母或字母与数字的组合",
        "The username must be 6-18 letters, or letters and digits",
    )
    USERNAME_TAKEN = "USERNAME_TAKEN", "该用户名已被注册", "This username is already taken"
    PASSWORD_POLICY = (
        "PASSWORD_POLICY",
        "密码应为8-16位大写字母、小写字母、数字和符号中任意三种及以上的组合",
        "The password must be 8-16 characters using at least three of: capitals, lower-case"
        " letters, digits, symbols",
    )
    PASSWORD_MISMATCH = "PASSWORD_MISMATCH", "两次输入的密码不一致", "The passwords do not match"
    CONSENT_REQUIRED = (
        "CONSENT_REQUIRED",
        "请阅读并同意用户注册协议",
        "Please read and accept the service agreement",
    )
    CAPTCHA_INVALID = (
        "CAPTCHA_INVALID",
        "图片验证码错误或已失效，请刷新后重试",
        "The image code is wrong or has expired; load a new one",
    )
    CODE_INVALID = "CODE_INVALID", "验证码错误", "The verification code is wrong"
    CODE_EXPIRED = (
        "CODE_EXPIRED",
        "验证码已失效，请重新获取",
        "The verification code has expired or was used; request a new one",
    )
    CODE_RESEND_TOO_SOON = (
        "CODE_RESEND_TOO_SOON",
        "请{seconds}秒后再获取验证码",
        "Please wait {seconds} seconds before requesting another code",
    )
    CODE_LIMIT_REACHED = (
        "CODE_LIMIT_REACHED",
        "获取验证码次数过多，请稍后再试",
        "Too many codes were requested; try again later",
    )
    ENTERPRISE_EXISTS = (
        "ENTERPRISE_EXISTS",
        "该企业已注册，一家企业只能注册一个管理员账号",
        "This enterprise is already registered; an enterprise has one admin account",
    )
    NOT_FOUND = "NOT_FOUND", "记录不存在", "Not found"
    NO_CHANGE = "NO_CHANGE", "没有需要修改的内容", "Nothing to change"
    CONFIRMATION_REQUIRED = "CONFIRMATION_REQUIRED", "请确认此操作", "Please confirm this action"
    IDENTITY_MISMATCH = (
        "IDENTITY_MISMATCH",
        "证件信息与账号预留信息不一致",
        "The ID does not match the one on the account",
    )
    NOT_REQUIRED = "NOT_REQUIRED", "当前无需此操作", "This step is not needed now"
    COUNTRY_UNKNOWN = "COUNTRY_UNKNOWN", "国家(地区)代码不存在", "Unknown country or region code"
    MESSAGE_NOT_DELIVERED = (
        "MESSAGE_NOT_DELIVERED",
        "验证码发送失败，请稍后重试",
        "The code could not be delivered; try again later",
    )
    CARD_CERTIFICATE_REJECTED = (
        "CARD_CERTIFICATE_REJECTED",
        "卡证书校验未通过（{reason}）",
        "The card's certificate was rejected ({reason})",
    )
    CARD_SIGNATURE_INVALID = (
        "CARD_SIGNATURE_INVALID",
        "卡介质签名验证失败",
        "The card's signature does not match the challenge",
    )
    CARD_ENTERPRISE_MISMATCH = (
        "CARD_ENTERPRISE_MISMATCH",
        "该卡不属于本企业",
        "This card belongs to another enterprise",
    )
    USER_BINDING_REQUIRED = (
        "USER_BINDING_REQUIRED",
        "汇入汇款和汇出汇款必须先与该银行签约用户绑定",
        "Remittances need a signed user binding with this bank first",
    )
    INVALID_TRANSITION = (
        "INVALID_TRANSITION",
        "当前状态不允许此操作",
        "Not allowed in the current status",
    )
    AMOUNT_INVALID = (
        "AMOUNT_INVALID",
        "金额应大于0且不超过100亿元，最多两位小数",
        "The amount must be above 0 and at most 10 billion yuan, in fen",
    )
    CUSTOMS_UNKNOWN = "CUSTOMS_UNKNOWN", "请选择正确的海关", "Choose a customs office from the list"
    CARD_CHARSET = "CARD_CHARSET", "银行卡号只能包含数字", "A card number contains only digits"
    CARD_LENGTH = "CARD_LENGTH", "银行卡号应为16-19位", "A card number has 16 to 19 digits"
    CARD_LUHN = (
        "CARD_LUHN",
        "银行卡号校验不通过，请核对",
        "The card number fails its check; please re-check it",
    )
    VERIFICATION_FAILED = (
        "VERIFICATION_FAILED",
        "信息验证未通过，请核对后重新输入",
        "The details could not be verified; check them and try again",
    )
    METHOD_NOT_AVAILABLE = (
        "METHOD_NOT_AVAILABLE",
        "该账号类型不支持此验证方式",
        "This account kind cannot use this method",
    )
    LEGAL_REP_MISMATCH = (
        "LEGAL_REP_MISMATCH",
        "企业信息填写有误，建议您到“国家企业信用信息公示平台”核对本企业信息后重新提交，或点击“提交人工审核”进入人工审核",
        "The enterprise details do not match the register; check them on the national enterprise"
        " credit system, or submit them for manual review",
    )
    IDENTITY_SERVICE_UNAVAILABLE = (
        "IDENTITY_SERVICE_UNAVAILABLE",
        "实名认证服务暂不可用，请稍后重试",
        "The identity service is unavailable; try again later",
    )
    REGISTRY_UNAVAILABLE = (
        "REGISTRY_UNAVAILABLE",
        "登记机关服务暂不可用，请稍后重试",
        "The register is unavailable; try again later",
    )
    ENTERPRISE_NOT_IN_REGISTRY = (
        "ENTERPRISE_NOT_IN_REGISTRY",
        "市场监管部门无此企业的登记信息",
        "The market regulator has no record of this enterprise",
    )
    FILE_TOO_LARGE = "FILE_TOO_LARGE", "文件大小不超过{max}M", "A file may be at most {max} MB"
    FILE_TYPE = (
        "FILE_TYPE",
        "文件格式应为jpg、png、jpeg、bmp",
        "Files must be JPG, PNG, JPEG or BMP images",
    )
    FILE_TYPE_PDF = (
        "FILE_TYPE_PDF",
        "文件格式应为jpg、jpeg、png、bmp或pdf",
        "Files must be JPG, JPEG, PNG, BMP images or PDF",
    )


@dataclass(frozen=True, slots=True)
class Problem:
    """One user error before localisation: a code, the input path, message parameters."""

    code: ErrorCode
    field: tuple[str, ...] = ()
    params: dict[str, object] = dataclasses.field(default_factory=dict)

    def message(self, locale: Locale) -> str:
        return self.code.message(locale, **self.params)


class UserErrors(Exception):
    """One or more business-rule failures; nothing of the mutation may be committed."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(", ".join(p.code for p in problems))
        self.problems = list(problems)

    @classmethod
    def one(cls, code: ErrorCode, *field: str, **params: object) -> UserErrors:
        return cls([Problem(code, tuple(field), params)])


class Problems:
    """Collects every problem of an input so the client can show them all at once."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, code: ErrorCode, *field: str, **params: object) -> None:
        self.items.append(Problem(code, tuple(field), params))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    def has(self, *field: str) -> bool:
        return any(p.field == field for p in self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise UserErrors(self.items)


class ClientFault(Exception):
    """A protocol-level error that is the client's fault; shown with ``extensions.code``."""

    code = "BAD_USER_INPUT"
    messages: tuple[str, str] = ("请求参数不正确", "Bad request")

    def __init__(self, reason: str | None = None, locale: Locale = "zh-CN") -> None:
        zh, en = self.messages
        super().__init__(en if locale == "en" else zh)
        self.reason = reason
        # graphql-core copies this onto the located error, on HTTP and WebSocket alike.
        self.extensions: dict[str, object] = {"code": self.code}
        if reason:
            self.extensions["reason"] = reason


class BadUserInput(ClientFault):
    code = "BAD_USER_INPUT"


class Unauthenticated(ClientFault):
    code = "UNAUTHENTICATED"
    messages = ("请先登录", "Please log in")


class Forbidden(ClientFault):
    code = "FORBIDDEN"
    messages = ("无权执行此操作", "You are not allowed to do this")


class PasswordChangeRequired(Forbidden):
    messages = (
        "首次登录请先完成手机验证并修改初始密码",
        "Verify your mobile and change the initial password first",
    )


class TooManyRequests(ClientFault):
    code = "RATE_LIMITED"
    messages = ("请求过于频繁，请稍后再试", "Too many requests; try again later")
