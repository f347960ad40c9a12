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
from typing import Literal

Locale = Literal["zh-CN", "en"]


class UserErrorCode(StrEnum):
    REQUIRED = "REQUIRED"
    TOO_LONG = "TOO_LONG"
    INVALID_FORMAT = "INVALID_FORMAT"
    EMPTY = "EMPTY"
    USCC_LENGTH = "USCC_LENGTH"
    USCC_CHARSET = "USCC_CHARSET"
    USCC_DEPT = "USCC_DEPT"
    USCC_CATEGORY = "USCC_CATEGORY"
    USCC_REGION_FORMAT = "USCC_REGION_FORMAT"
    USCC_ORG_PART_CHECK = "USCC_ORG_PART_CHECK"
    USCC_CHECK = "USCC_CHECK"
    ORG_LENGTH = "ORG_LENGTH"
    ORG_CHARSET = "ORG_CHARSET"
    ORG_CHECK = "ORG_CHECK"
    ORG_USCC_MISMATCH = "ORG_USCC_MISMATCH"
    ID_LENGTH = "ID_LENGTH"
    ID_CHARSET = "ID_CHARSET"
    ID_REGION = "ID_REGION"
    ID_BIRTHDATE_INVALID = "ID_BIRTHDATE_INVALID"
    ID_BIRTHDATE_FUTURE = "ID_BIRTHDATE_FUTURE"
    ID_BIRTHDATE_TOO_OLD = "ID_BIRTHDATE_TOO_OLD"
    ID_CHECK = "ID_CHECK"
    MOBILE_LENGTH = "MOBILE_LENGTH"
    MOBILE_CHARSET = "MOBILE_CHARSET"
    MOBILE_PREFIX = "MOBILE_PREFIX"
    EMAIL_FORMAT = "EMAIL_FORMAT"
    DATE_FORMAT = "DATE_FORMAT"
    DATE_RANGE = "DATE_RANGE"
    PASSPORT_FORMAT = "PASSPORT_FORMAT"
    USERNAME_FORMAT = "USERNAME_FORMAT"
    USERNAME_TAKEN = "USERNAME_TAKEN"
    PASSWORD_POLICY = "PASSWORD_POLICY"
    PASSWORD_MISMATCH = "PASSWORD_MISMATCH"
    PASSWORD_REUSED = "PASSWORD_REUSED"
    WRONG_PASSWORD = "WRONG_PASSWORD"
    CONSENT_REQUIRED = "CONSENT_REQUIRED"
    CAPTCHA_INVALID = "CAPTCHA_INVALID"
    CODE_INVALID = "CODE_INVALID"
    CODE_EXPIRED = "CODE_EXPIRED"
    CODE_RESEND_TOO_SOON = "CODE_RESEND_TOO_SOON"
    CODE_LIMIT_REACHED = "CODE_LIMIT_REACHED"
    EMAIL_VERIFICATION_NOT_ALLOWED = "EMAIL_VERIFICATION_NOT_ALLOWED"
    ENTERPRISE_EXISTS = "ENTERPRISE_EXISTS"
    ADMIN_EXISTS = "ADMIN_EXISTS"
    OPERATOR_IDENTITY_TAKEN = "OPERATOR_IDENTITY_TAKEN"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    ACCOUNT_LOCKED = "ACCOUNT_LOCKED"
    ACCOUNT_NOT_ACTIVATED = "ACCOUNT_NOT_ACTIVATED"
    ACCOUNT_DISABLED = "ACCOUNT_DISABLED"
    NOT_FOUND = "NOT_FOUND"
    PHONE_LOGIN_TAKEN = "PHONE_LOGIN_TAKEN"
    MOBILE_REQUIRED = "MOBILE_REQUIRED"
    NO_CHANGE = "NO_CHANGE"
    EMPLOYER_TOO_MANY_CHANGES = "EMPLOYER_TOO_MANY_CHANGES"
    REGISTRATION_NUMBER_IMMUTABLE = "REGISTRATION_NUMBER_IMMUTABLE"
    CONFIRMATION_REQUIRED = "CONFIRMATION_REQUIRED"
    OPERATOR_CARD_BOUND = "OPERATOR_CARD_BOUND"
    IDENTITY_MISMATCH = "IDENTITY_MISMATCH"
    NOT_REQUIRED = "NOT_REQUIRED"
    COUNTRY_UNKNOWN = "COUNTRY_UNKNOWN"
    MESSAGE_NOT_DELIVERED = "MESSAGE_NOT_DELIVERED"
    PROFILE_SYNC_REJECTED = "PROFILE_SYNC_REJECTED"
    CHALLENGE_INVALID = "CHALLENGE_INVALID"
    CARD_CERTIFICATE_REJECTED = "CARD_CERTIFICATE_REJECTED"
    CARD_SIGNATURE_INVALID = "CARD_SIGNATURE_INVALID"
    CARD_ENTERPRISE_MISMATCH = "CARD_ENTERPRISE_MISMATCH"
    CARD_KIND_MISMATCH = "CARD_KIND_MISMATCH"
    CARD_ALREADY_BOUND = "CARD_ALREADY_BOUND"
    UNIT_TEXT_TOO_LONG = "UNIT_TEXT_TOO_LONG"
    SIZE_OUT_OF_RANGE = "SIZE_OUT_OF_RANGE"
    HOLDER_NOT_ELIGIBLE = "HOLDER_NOT_ELIGIBLE"
    VALIDITY_OUTSIDE_CERTIFICATE = "VALIDITY_OUTSIDE_CERTIFICATE"
    SEAL_NOT_DISABLED = "SEAL_NOT_DISABLED"
    NOT_AN_IMAGE = "NOT_AN_IMAGE"
    IMAGE_TOO_LARGE = "IMAGE_TOO_LARGE"
    IMAGE_TOO_SMALL = "IMAGE_TOO_SMALL"
    RESOLUTION_TOO_LOW = "RESOLUTION_TOO_LOW"
    NO_SEAL_FOUND = "NO_SEAL_FOUND"
    BOTH_COLOURS = "BOTH_COLOURS"
    NO_SIGNATURE_FOUND = "NO_SIGNATURE_FOUND"
    SIGNATURE_TOO_LARGE = "SIGNATURE_TOO_LARGE"
    SEAL_NOT_ENABLED = "SEAL_NOT_ENABLED"
    SEAL_NOT_SIGNERS = "SEAL_NOT_SIGNERS"
    FUNCTION_ALREADY_SIGNED = "FUNCTION_ALREADY_SIGNED"
    USER_BINDING_REQUIRED = "USER_BINDING_REQUIRED"
    SIGNING_SESSION_INVALID = "SIGNING_SESSION_INVALID"
    AGREEMENT_NOT_SIGNED = "AGREEMENT_NOT_SIGNED"
    INVALID_TRANSITION = "INVALID_TRANSITION"
    AMOUNT_INVALID = "AMOUNT_INVALID"
    TERM_INVALID = "TERM_INVALID"
    FINANCING_AGREEMENT_REQUIRED = "FINANCING_AGREEMENT_REQUIRED"
    COUNTER_SIGNATURE_INVALID = "COUNTER_SIGNATURE_INVALID"
    PROFILE_SYNC_UNAVAILABLE = "PROFILE_SYNC_UNAVAILABLE"
    CREDIT_AUTHORISATION_EXISTS = "CREDIT_AUTHORISATION_EXISTS"
    CREDIT_AUTHORISATION_REQUIRED = "CREDIT_AUTHORISATION_REQUIRED"
    CUSTOMS_CREDIT_INELIGIBLE = "CUSTOMS_CREDIT_INELIGIBLE"
    CREDIT_RECORDS_UNAVAILABLE = "CREDIT_RECORDS_UNAVAILABLE"
    QUOTA_EXISTS = "QUOTA_EXISTS"
    QUOTA_NOT_APPROVED = "QUOTA_NOT_APPROVED"
    QUOTA_INCREASE_PENDING = "QUOTA_INCREASE_PENDING"
    COVERAGE_EXCEEDS_QUOTA = "COVERAGE_EXCEEDS_QUOTA"
    POLICY_END_BEFORE_START = "POLICY_END_BEFORE_START"
    POLICY_TOO_LONG = "POLICY_TOO_LONG"
    POLICY_START_IN_PAST = "POLICY_START_IN_PAST"
    POLICY_OUTSIDE_QUOTA = "POLICY_OUTSIDE_QUOTA"
    CUSTOMS_UNKNOWN = "CUSTOMS_UNKNOWN"
    CUSTOMS_CODE_FORMAT = "CUSTOMS_CODE_FORMAT"
    TAX_NUMBER_FORMAT = "TAX_NUMBER_FORMAT"
    RATE_INVALID = "RATE_INVALID"
    E_POLICY_INVALID = "E_POLICY_INVALID"
    CARD_CHARSET = "CARD_CHARSET"
    CARD_LENGTH = "CARD_LENGTH"
    CARD_LUHN = "CARD_LUHN"
    VERIFICATION_FAILED = "VERIFICATION_FAILED"
    FEWER_THAN_TWO_OPERATORS = "FEWER_THAN_TWO_OPERATORS"
    SAME_OPERATOR_TWICE = "SAME_OPERATOR_TWICE"
    IDENTITY_INCOMPLETE = "IDENTITY_INCOMPLETE"
    METHOD_NOT_AVAILABLE = "METHOD_NOT_AVAILABLE"
    E_LICENCE_UNSUPPORTED = "E_LICENCE_UNSUPPORTED"
    LEGAL_REP_MISMATCH = "LEGAL_REP_MISMATCH"
    RECOVERY_INVALID = "RECOVERY_INVALID"
    RECOVERY_LIMIT_REACHED = "RECOVERY_LIMIT_REACHED"
    ACCOUNT_NOT_FOUND = "ACCOUNT_NOT_FOUND"
    ID_NAME_MISMATCH = "ID_NAME_MISMATCH"
    ID_NOT_FOUND = "ID_NOT_FOUND"
    ID_VALIDITY_MISMATCH = "ID_VALIDITY_MISMATCH"
    BANK_CARD_MISMATCH = "BANK_CARD_MISMATCH"
    ID_TYPE_NOT_VERIFIABLE = "ID_TYPE_NOT_VERIFIABLE"
    IDENTITY_SERVICE_UNAVAILABLE = "IDENTITY_SERVICE_UNAVAILABLE"
    REGISTRY_UNAVAILABLE = "REGISTRY_UNAVAILABLE"
    ENTERPRISE_NOT_IN_REGISTRY = "ENTERPRISE_NOT_IN_REGISTRY"
    BANK_UNAVAILABLE = "BANK_UNAVAILABLE"
    REVIEW_ALREADY_DECIDED = "REVIEW_ALREADY_DECIDED"
    REVIEW_ACCOUNT_REQUIRED = "REVIEW_ACCOUNT_REQUIRED"
    FILE_TOO_LARGE = "FILE_TOO_LARGE"
    FILE_TYPE = "FILE_TYPE"
    REAL_NAME_REQUIRED = "REAL_NAME_REQUIRED"
    VERIFICATION_STEP_INVALID = "VERIFICATION_STEP_INVALID"
    FACE_VERIFICATION_REQUIRED = "FACE_VERIFICATION_REQUIRED"
    WECHAT_CODE_INVALID = "WECHAT_CODE_INVALID"
    WECHAT_UNAVAILABLE = "WECHAT_UNAVAILABLE"
    WECHAT_ALREADY_BOUND = "WECHAT_ALREADY_BOUND"
    BINDING_TICKET_INVALID = "BINDING_TICKET_INVALID"
    PRODUCT_DISABLED = "PRODUCT_DISABLED"
    OUTSIDE_PRODUCT_RANGE = "OUTSIDE_PRODUCT_RANGE"
    FILE_TYPE_PDF = "FILE_TYPE_PDF"
    NOT_CERTIFIED = "NOT_CERTIFIED"
    CERTIFICATION_INCOMPLETE = "CERTIFICATION_INCOMPLETE"
    ALREADY_CERTIFIED = "ALREADY_CERTIFIED"
    HUNAN_ACCOUNT_FORMAT = "HUNAN_ACCOUNT_FORMAT"
    HUNAN_PASSWORD_POLICY = "HUNAN_PASSWORD_POLICY"
    REGION_EXISTS = "REGION_EXISTS"
    INSTITUTION_EXISTS = "INSTITUTION_EXISTS"
    AMOUNT_RANGE_INVALID = "AMOUNT_RANGE_INVALID"
    RATE_RANGE_INVALID = "RATE_RANGE_INVALID"
    TERM_RANGE_INVALID = "TERM_RANGE_INVALID"
    REGIONS_REQUIRED = "REGIONS_REQUIRED"
    GUARANTEE_REQUIRED = "GUARANTEE_REQUIRED"


_MESSAGES: dict[UserErrorCode, tuple[str, str]] = {
    UserErrorCode.REQUIRED: ("此项为必填项", "This field is required"),
    UserErrorCode.TOO_LONG: ("长度不能超过{max}个字符", "Must be at most {max} characters"),
    UserErrorCode.INVALID_FORMAT: ("格式不正确", "Invalid format"),
    UserErrorCode.EMPTY: ("此项为必填项", "This field is required"),
    UserErrorCode.USCC_LENGTH: ("统一社会信用代码应为18位", "The USCC must have 18 characters"),
    UserErrorCode.USCC_CHARSET: (
        "统一社会信用代码含有不允许的字符(I、O、Z、S、V不可使用)",
        "The USCC contains characters that are not allowed (I, O, Z, S and V are never used)",
    ),
    UserErrorCode.USCC_DEPT: (
        "统一社会信用代码的登记管理部门代码不存在",
        "The USCC's registration department code does not exist",
    ),
    UserErrorCode.USCC_CATEGORY: (
        "统一社会信用代码的机构类别代码不正确",
        "The USCC's organisation category does not match its department",
    ),
    UserErrorCode.USCC_REGION_FORMAT: (
        "统一社会信用代码的行政区划码应为6位数字",
        "The USCC's administrative division must be 6 digits",
    ),
    UserErrorCode.USCC_ORG_PART_CHECK: (
        "统一社会信用代码第9-17位(主体标识码)校验不通过",
        "Positions 9-17 of the USCC (the organisation code) fail their check",
    ),
    UserErrorCode.USCC_CHECK: (
        "统一社会信用代码校验位不正确",
        "The USCC's check character is wrong",
    ),
    UserErrorCode.ORG_LENGTH: (
        "组织机构代码应为9位",
        "The organisation code must have 9 characters",
    ),
    UserErrorCode.ORG_CHARSET: (
        "组织机构代码只能包含数字和大写字母",
        "The organisation code may contain only digits and capital letters",
    ),
    UserErrorCode.ORG_CHECK: (
        "组织机构代码校验位不正确",
        "The organisation code's check character is wrong",
    ),
    UserErrorCode.ORG_USCC_MISMATCH: (
        "组织机构代码应与统一社会信用代码第9-17位一致",
        "The organisation code must equal positions 9-17 of the USCC",
    ),
    UserErrorCode.ID_LENGTH: ("身份证号码应为18位", "A resident ID number has 18 characters"),
    UserErrorCode.ID_CHARSET: (
        "身份证号码前17位应为数字，最后一位为数字或X",
        "A resident ID number is 17 digits followed by a digit or X",
    ),
    UserErrorCode.ID_REGION: ("身份证号码地区码不正确", "The ID number's region code is wrong"),
    UserErrorCode.ID_BIRTHDATE_INVALID: (
        "身份证号码中的出生日期不存在",
        "The birth date in the ID number does not exist",
    ),
    UserErrorCode.ID_BIRTHDATE_FUTURE: (
        "身份证号码中的出生日期晚于今天",
        "The birth date in the ID number is in the future",
    ),
    UserErrorCode.ID_BIRTHDATE_TOO_OLD: (
        "身份证号码中的出生日期早于1900年",
        "The birth date in the ID number is before 1900",
    ),
    UserErrorCode.ID_CHECK: ("身份证号码校验位不正确", "The ID number's check character is wrong"),
    UserErrorCode.MOBILE_LENGTH: ("手机号码应为11位", "A mobile number has 11 digits"),
    UserErrorCode.MOBILE_CHARSET: ("手机号码只能包含数字", "A mobile number contains only digits"),
    UserErrorCode.MOBILE_PREFIX: ("手机号码格式不正确", "This is not a mainland mobile number"),
    UserErrorCode.EMAIL_FORMAT: ("邮箱格式不正确", "Invalid email address"),
    UserErrorCode.DATE_FORMAT: (
        "日期格式应为YYYYMMDD",
        "Dates are written YYYYMMDD",
    ),
    UserErrorCode.DATE_RANGE: (
        "结束日期应晚于起始日期(长期有效请填写8个0)",
        "The end date must follow the start date (00000000 means long-term)",
    ),
    UserErrorCode.PASSPORT_FORMAT: (
        "证件号码应为5-20位字母或数字",
        "The document number must be 5-20 letters or digits",
    ),
    UserErrorCode.USERNAME_FORMAT: (
        "用户名应为6-18位英文字母或字母与数字的组合",
        "The username must be 6-18 letters, or letters and digits",
    ),
    UserErrorCode.USERNAME_TAKEN: ("该用户名已被注册", "This username is already taken"),
    UserErrorCode.PASSWORD_POLICY: (
        "密码应为8-16位大写字母、小写字母、数字和符号中任意三种及以上的组合",
        "The password must be 8-16 characters using at least three of: capitals, "
        "lower-case letters, digits, symbols",
    ),
    UserErrorCode.PASSWORD_MISMATCH: ("两次输入的密码不一致", "The passwords do not match"),
    UserErrorCode.PASSWORD_REUSED: (
        "新密码不能与原密码相同",
        "The new password must differ from the old one",
    ),
    UserErrorCode.WRONG_PASSWORD: ("原密码不正确", "The current password is wrong"),
    UserErrorCode.CONSENT_REQUIRED: (
        "请阅读并同意用户注册协议",
        "Please read and accept the service agreement",
    ),
    UserErrorCode.CAPTCHA_INVALID: (
        "图片验证码错误或已失效，请刷新后重试",
        "The image code is wrong or has expired; load a new one",
    ),
    UserErrorCode.CODE_INVALID: ("验证码错误", "The verification code is wrong"),
    UserErrorCode.CODE_EXPIRED: (
        "验证码已失效，请重新获取",
        "The verification code has expired or was used; request a new one",
    ),
    UserErrorCode.CODE_RESEND_TOO_SOON: (
        "请{seconds}秒后再获取验证码",
        "Please wait {seconds} seconds before requesting another code",
    ),
    UserErrorCode.CODE_LIMIT_REACHED: (
        "获取验证码次数过多，请稍后再试",
        "Too many codes were requested; try again later",
    ),
    UserErrorCode.EMAIL_VERIFICATION_NOT_ALLOWED: (
        "仅护照、港澳台通行证或外国人居留证用户可使用邮箱验证",
        "Email verification is only for passports, HK/Macao/Taiwan permits and foreigners' "
        "residence permits",
    ),
    UserErrorCode.ENTERPRISE_EXISTS: (
        "该企业已注册，一家企业只能注册一个管理员账号",
        "This enterprise is already registered; an enterprise has one admin account",
    ),
    UserErrorCode.ADMIN_EXISTS: (
        "该企业已有管理员账号",
        "This enterprise already has an admin account",
    ),
    UserErrorCode.OPERATOR_IDENTITY_TAKEN: (
        "本企业已有相同证件类型和证件号码的操作员",
        "An operator with this ID type and number already exists in the enterprise",
    ),
    UserErrorCode.INVALID_CREDENTIALS: (
        "用户名或密码错误",
        "Wrong username or password",
    ),
    UserErrorCode.ACCOUNT_LOCKED: (
        "密码错误次数过多，账号已锁定，请{minutes}分钟后再试",
        "Too many wrong passwords; the account is locked for {minutes} minutes",
    ),
    UserErrorCode.ACCOUNT_NOT_ACTIVATED: (
        "账号未激活，请使用卡介质登录后激活",
        "The account is not activated; log in with the card and activate it",
    ),
    UserErrorCode.ACCOUNT_DISABLED: ("账号已停用", "The account is disabled"),
    UserErrorCode.NOT_FOUND: ("记录不存在", "Not found"),
    UserErrorCode.PHONE_LOGIN_TAKEN: (
        "该账号对应的手机号已开启手机号登录！",
        "Phone login is already on for this mobile number on another account",
    ),
    UserErrorCode.MOBILE_REQUIRED: (
        "请先绑定手机号",
        "Bind a mobile number first",
    ),
    UserErrorCode.NO_CHANGE: ("没有需要修改的内容", "Nothing to change"),
    UserErrorCode.EMPLOYER_TOO_MANY_CHANGES: (
        "企业名称、统一社会信用代码、组织机构代码一次只能修改其中一项或两项",
        "Change at most two of enterprise name, USCC and organisation code at a time",
    ),
    UserErrorCode.REGISTRATION_NUMBER_IMMUTABLE: (
        "所在国家(地区)注册编号填写后不可修改",
        "The home registration number cannot be changed once set",
    ),
    UserErrorCode.CONFIRMATION_REQUIRED: ("请确认此操作", "Please confirm this action"),
    UserErrorCode.OPERATOR_CARD_BOUND: (
        "操作员已绑卡，管理员未绑卡时不可修改或删除该操作员",
        "The operator has a bound card; an admin without a bound card cannot change it",
    ),
    UserErrorCode.IDENTITY_MISMATCH: (
        "证件信息与账号预留信息不一致",
        "The ID does not match the one on the account",
    ),
    UserErrorCode.NOT_REQUIRED: ("当前无需此操作", "This step is not needed now"),
    UserErrorCode.COUNTRY_UNKNOWN: ("国家(地区)代码不存在", "Unknown country or region code"),
    UserErrorCode.CHALLENGE_INVALID: (
        "卡介质验证已失效，请重新获取",
        "The card challenge is used, expired or unknown; request a new one",
    ),
    UserErrorCode.CARD_CERTIFICATE_REJECTED: (
        "卡证书校验未通过（{reason}）",
        "The card's certificate was rejected ({reason})",
    ),
    UserErrorCode.CARD_SIGNATURE_INVALID: (
        "卡介质签名验证失败",
        "The card's signature does not match the challenge",
    ),
    UserErrorCode.CARD_ENTERPRISE_MISMATCH: (
        "该卡不属于本企业",
        "This card belongs to another enterprise",
    ),
    UserErrorCode.CARD_KIND_MISMATCH: (
        "管理员只能绑定法人卡，操作员只能绑定操作员卡",
        "Admins bind legal-person cards; operators bind operator cards",
    ),
    UserErrorCode.CARD_ALREADY_BOUND: (
        "该卡已绑定其他账号",
        "This card is bound to another account",
    ),
    UserErrorCode.UNIT_TEXT_TOO_LONG: (
        "印章所属单位最多{max}个汉字，单位名称超过{max}个字请使用真实印章图片制作印章",
        "The unit text has at most {max} characters; longer names need a scanned seal image",
    ),
    UserErrorCode.SIZE_OUT_OF_RANGE: (
        "尺寸应在{low}至{high}毫米之间",
        "The size must be between {low} and {high} mm",
    ),
    UserErrorCode.HOLDER_NOT_ELIGIBLE: (
        "请选择法人或已绑卡的本企业操作员",
        "Choose the legal representative or a card-bound operator of your enterprise",
    ),
    UserErrorCode.VALIDITY_OUTSIDE_CERTIFICATE: (
        "印章有效期须在使用人证书有效期（{start}至{end}）内",
        "The validity must lie inside the holder's certificate ({start} to {end})",
    ),
    UserErrorCode.SEAL_NOT_DISABLED: (
        "只能删除已停用的印章或签名",
        "Only disabled seals and signatures can be deleted",
    ),
    UserErrorCode.NOT_AN_IMAGE: (
        "请上传JPG/JPEG格式的扫描图片",
        "Upload a scan as a JPG/JPEG image",
    ),
    UserErrorCode.IMAGE_TOO_LARGE: ("图片过大", "The image is too large"),
    UserErrorCode.IMAGE_TOO_SMALL: (
        "图片过小，请上传A4扫描件",
        "The image is too small for an A4 scan",
    ),
    UserErrorCode.RESOLUTION_TOO_LOW: (
        "扫描分辨率过低，请使用600dpi扫描",
        "The scan's resolution is too low; scan at 600 dpi",
    ),
    UserErrorCode.NO_SEAL_FOUND: (
        "未识别到红色或蓝色印章",
        "No red or blue seal was found",
    ),
    UserErrorCode.BOTH_COLOURS: (
        "图片中同时有红色和蓝色印章，请只保留一个",
        "The scan has both a red and a blue seal; keep only one",
    ),
    UserErrorCode.NO_SIGNATURE_FOUND: (
        "未识别到黑色签名",
        "No black-pen signature was found in the middle of the page",
    ),
    UserErrorCode.SIGNATURE_TOO_LARGE: (
        "签名大小请控制在4cm×4cm以内",
        "Keep the signature within 4 x 4 cm",
    ),
    UserErrorCode.SEAL_NOT_ENABLED: ("请选择已启用的印章", "Choose an enabled seal"),
    UserErrorCode.SEAL_NOT_SIGNERS: (
        "请选择签署人本人的印章",
        "Choose a seal held by the signer",
    ),
    UserErrorCode.FUNCTION_ALREADY_SIGNED: (
        "同一银行针对同一功能不能重复签约：{functions}",
        "This bank is already signed, or being signed, for: {functions}",
    ),
    UserErrorCode.USER_BINDING_REQUIRED: (
        "汇入汇款和汇出汇款必须先与该银行签约用户绑定",
        "Remittances need a signed user binding with this bank first",
    ),
    UserErrorCode.SIGNING_SESSION_INVALID: (
        "签署已失效，请重新发起签署",
        "The signing session is used, expired or not yours; start again",
    ),
    UserErrorCode.AGREEMENT_NOT_SIGNED: (
        "仅限签约状态为“签约成功”的协议允许解约",
        "Only agreements with status SIGNED can be terminated",
    ),
    UserErrorCode.INVALID_TRANSITION: ("当前状态不允许此操作", "Not allowed in the current status"),
    UserErrorCode.AMOUNT_INVALID: (
        "金额应大于0且不超过100亿元，最多两位小数",
        "The amount must be above 0 and at most 10 billion yuan, in fen",
    ),
    UserErrorCode.TERM_INVALID: ("期限应为1至{max}个月", "The term must be 1 to {max} months"),
    UserErrorCode.FINANCING_AGREEMENT_REQUIRED: (
        "请先与该银行签约融资申请功能",
        "Sign an agreement covering FINANCING with this bank first",
    ),
    UserErrorCode.COUNTER_SIGNATURE_INVALID: (
        "银行签章无效",
        "The bank's counter-signed document is not the agreement with a valid second signature",
    ),
    UserErrorCode.PROFILE_SYNC_REJECTED: (
        "信息同步失败：{reason}",
        "The profile was not synchronised: {reason}",
    ),
    UserErrorCode.PROFILE_SYNC_UNAVAILABLE: (
        "信息同步服务暂不可用，请稍后重试",
        "The profile sync service is unavailable; try again later",
    ),
    UserErrorCode.MESSAGE_NOT_DELIVERED: (
        "验证码发送失败，请稍后重试",
        "The code could not be delivered; try again later",
    ),
    UserErrorCode.CREDIT_AUTHORISATION_EXISTS: (
        "已签署该保险公司的企业征信授权书，无需重复签署",
        "A credit-check authorisation with this insurer is already signed or under way",
    ),
    UserErrorCode.CREDIT_AUTHORISATION_REQUIRED: (
        "本业务需要先去企业征信页面签署该保险公司的企业征信授权书",
        "Sign a credit-check authorisation with this insurer first",
    ),
    UserErrorCode.CUSTOMS_CREDIT_INELIGIBLE: (
        "投保人须为海关信用等级一般信用及以上的企业",
        "Only enterprises with a customs credit rating of GENERAL or better may be insured",
    ),
    UserErrorCode.CREDIT_RECORDS_UNAVAILABLE: (
        "暂时无法查询企业信用记录，请稍后重试",
        "The credit records cannot be read now; try again later",
    ),
    UserErrorCode.QUOTA_EXISTS: (
        "一家企业只能有一笔有效额度",
        "The enterprise already has a valid quota",
    ),
    UserErrorCode.QUOTA_NOT_APPROVED: (
        "该额度尚未批复或已失效",
        "The quota is not approved or no longer valid",
    ),
    UserErrorCode.QUOTA_INCREASE_PENDING: (
        "已有额度追加正在审批中",
        "An increase of this quota is waiting for the insurer",
    ),
    UserErrorCode.COVERAGE_EXCEEDS_QUOTA: (
        "本单投保额度不能超过剩余额度{remaining}元",
        "The coverage cannot exceed the remaining quota of {remaining} yuan",
    ),
    UserErrorCode.POLICY_END_BEFORE_START: (
        "保险结束日期不能早于起始日期",
        "The end date cannot be before the start date",
    ),
    UserErrorCode.POLICY_TOO_LONG: (
        "保单期限不能超过1年",
        "A policy lasts at most one year",
    ),
    UserErrorCode.POLICY_START_IN_PAST: (
        "保险起始日期不能早于今天",
        "The start date cannot be in the past",
    ),
    UserErrorCode.POLICY_OUTSIDE_QUOTA: (
        "保险期间应在额度有效期{effective}至{expiry}之内",
        "The policy period must lie within the quota's validity, {effective} to {expiry}",
    ),
    UserErrorCode.CUSTOMS_UNKNOWN: (
        "请选择正确的海关",
        "Choose a customs office from the list",
    ),
    UserErrorCode.CUSTOMS_CODE_FORMAT: (
        "海关十位编码应为10位数字或字母",
        "The customs code has 10 letters or digits",
    ),
    UserErrorCode.TAX_NUMBER_FORMAT: (
        "企业税号应为15、18或20位数字或大写字母",
        "The tax number has 15, 18 or 20 digits or capital letters",
    ),
    UserErrorCode.E_POLICY_INVALID: (
        "电子保单签章无效",
        "The e-policy is not a PDF with a valid signature of the insurer",
    ),
    UserErrorCode.RATE_INVALID: (
        "费率应大于0且不超过100%",
        "The rate must be above 0 and at most 100 %",
    ),
    UserErrorCode.CARD_CHARSET: (
        "银行卡号只能包含数字",
        "A card number contains only digits",
    ),
    UserErrorCode.CARD_LENGTH: (
        "银行卡号应为16-19位",
        "A card number has 16 to 19 digits",
    ),
    UserErrorCode.CARD_LUHN: (
        "银行卡号校验不通过，请核对",
        "The card number fails its check; please re-check it",
    ),
    UserErrorCode.VERIFICATION_FAILED: (
        "信息验证未通过，请核对后重新输入",
        "The details could not be verified; check them and try again",
    ),
    UserErrorCode.FEWER_THAN_TWO_OPERATORS: (
        "该企业操作员少于两个，请选择其他认证方式",
        "This enterprise has fewer than two operators; choose another check",
    ),
    UserErrorCode.SAME_OPERATOR_TWICE: (
        "请输入两个不同操作员的手机号",
        "Give the mobiles of two different operators",
    ),
    UserErrorCode.IDENTITY_INCOMPLETE: (
        "身份信息不完整",
        "Identity information incomplete",
    ),
    UserErrorCode.METHOD_NOT_AVAILABLE: (
        "该账号类型不支持此验证方式",
        "This account kind cannot use this method",
    ),
    UserErrorCode.E_LICENCE_UNSUPPORTED: (
        "电子营业执照验证仅支持统一社会信用代码以9开头的企业管理员",
        "Electronic business licence checks are only for admins of enterprises whose USCC "
        "starts with 9",
    ),
    UserErrorCode.LEGAL_REP_MISMATCH: (
        "企业信息填写有误，建议您到“国家企业信用信息公示平台”核对本企业信息后重新提交，"
        "或点击“提交人工审核”进入人工审核",
        "The enterprise details do not match the register; check them on the national "
        "enterprise credit system, or submit them for manual review",
    ),
    UserErrorCode.RECOVERY_INVALID: (
        "验证已失效，请重新开始",
        "This recovery has expired or is finished; start again",
    ),
    UserErrorCode.RECOVERY_LIMIT_REACHED: (
        "尝试次数过多，请一小时后再试",
        "Too many attempts; try again in an hour",
    ),
    UserErrorCode.ACCOUNT_NOT_FOUND: (
        "用户名不存在",
        "No account has this username",
    ),
    UserErrorCode.ID_NAME_MISMATCH: (
        "姓名与证件号码不一致",
        "The name and the ID number do not match",
    ),
    UserErrorCode.ID_NOT_FOUND: (
        "身份信息认证不通过：证件号码不存在",
        "No person holds this document number",
    ),
    UserErrorCode.ID_VALIDITY_MISMATCH: (
        "证件有效期与证件登记信息不一致",
        "The validity dates differ from the document on record",
    ),
    UserErrorCode.BANK_CARD_MISMATCH: (
        "银行卡认证不通过，请核对卡号、姓名、证件号码和银行预留手机号",
        "The bank card check failed; check the card number, name, ID and the card's mobile",
    ),
    UserErrorCode.ID_TYPE_NOT_VERIFIABLE: (
        "该证件类型不支持身份信息认证，请使用银行卡认证",
        "This document type cannot be verified this way; use a bank card",
    ),
    UserErrorCode.IDENTITY_SERVICE_UNAVAILABLE: (
        "实名认证服务暂不可用，请稍后重试",
        "The identity service is unavailable; try again later",
    ),
    UserErrorCode.REGISTRY_UNAVAILABLE: (
        "登记机关服务暂不可用，请稍后重试",
        "The register is unavailable; try again later",
    ),
    UserErrorCode.ENTERPRISE_NOT_IN_REGISTRY: (
        "市场监管部门无此企业的登记信息",
        "The market regulator has no record of this enterprise",
    ),
    UserErrorCode.BANK_UNAVAILABLE: (
        "该银行暂不支持实名认证，请选择其他银行",
        "This bank cannot verify enterprises now; choose another",
    ),
    UserErrorCode.REVIEW_ALREADY_DECIDED: (
        "该申请已审核，不能重复处理",
        "This request has already been decided",
    ),
    UserErrorCode.REVIEW_ACCOUNT_REQUIRED: (
        "请选择与申请信息一致的账号",
        "Choose the account that matches the request",
    ),
    UserErrorCode.FILE_TOO_LARGE: (
        "文件大小不超过{max}M",
        "A file may be at most {max} MB",
    ),
    UserErrorCode.FILE_TYPE: (
        "文件格式应为jpg、png、jpeg、bmp",
        "Files must be JPG, PNG, JPEG or BMP images",
    ),
    UserErrorCode.REAL_NAME_REQUIRED: (
        "请先完成实名认证（等级：{level}）",
        "Complete real-name verification first (level {level})",
    ),
    UserErrorCode.REGION_EXISTS: (
        "该行政区代码已存在",
        "A region with this code already exists",
    ),
    UserErrorCode.INSTITUTION_EXISTS: (
        "该机构代码已存在",
        "An institution with this code already exists",
    ),
    UserErrorCode.AMOUNT_RANGE_INVALID: (
        "最低金额不能高于最高金额",
        "The minimum amount cannot exceed the maximum",
    ),
    UserErrorCode.RATE_RANGE_INVALID: (
        "利率应大于0且不超过36%，最低利率不能高于最高利率",
        "Rates are above 0 and at most 36 %, the minimum not above the maximum",
    ),
    UserErrorCode.TERM_RANGE_INVALID: (
        "期限应为1至360个月，最短期限不能长于最长期限",
        "Terms are 1 to 360 months, the shortest not above the longest",
    ),
    UserErrorCode.REGIONS_REQUIRED: (
        "请选择产品服务的区域",
        "Choose the regions the product serves",
    ),
    UserErrorCode.GUARANTEE_REQUIRED: (
        "请选择担保方式",
        "Choose at least one guarantee method",
    ),
    UserErrorCode.FILE_TYPE_PDF: (
        "文件格式应为jpg、jpeg、png、bmp或pdf",
        "Files must be JPG, JPEG, PNG, BMP images or PDF",
    ),
    UserErrorCode.NOT_CERTIFIED: (
        "企业认证审核通过后才能申请产品",
        "Your enterprise must be certified before applying",
    ),
    UserErrorCode.CERTIFICATION_INCOMPLETE: (
        "请补全认证信息并上传营业执照和企业授权书",
        "Complete the form and upload the licence and the authorisation letter",
    ),
    UserErrorCode.ALREADY_CERTIFIED: (
        "企业已认证",
        "The enterprise is already certified",
    ),
    UserErrorCode.HUNAN_ACCOUNT_FORMAT: (
        "登录账号应以字母开头，由4-20位字母、数字或下划线组成",
        "The account starts with a letter: 4-20 letters, digits or underscores",
    ),
    UserErrorCode.HUNAN_PASSWORD_POLICY: (
        "密码应为8-20位，包含字母和数字，可含特殊字符",
        "The password has 8-20 characters with letters and digits (symbols allowed)",
    ),
    UserErrorCode.PRODUCT_DISABLED: (
        "该产品已下架，无法申请",
        "This product is disabled and takes no applications",
    ),
    UserErrorCode.OUTSIDE_PRODUCT_RANGE: (
        "申请金额和期限须在产品的{low}至{high}范围内",
        "The request must lie within the product's range, {low} to {high}",
    ),
    UserErrorCode.FACE_VERIFICATION_REQUIRED: (
        "请先完成法定代表人人脸认证",
        "The legal representative's face verification comes first",
    ),
    UserErrorCode.WECHAT_CODE_INVALID: (
        "微信登录已失效，请重新进入小程序",
        "The WeChat login code is invalid or used; open the mini-program again",
    ),
    UserErrorCode.WECHAT_UNAVAILABLE: (
        "微信服务繁忙，请稍后重试",
        "WeChat is busy; try again",
    ),
    UserErrorCode.WECHAT_ALREADY_BOUND: (
        "该微信已绑定其他账号",
        "This WeChat user is bound to another account",
    ),
    UserErrorCode.BINDING_TICKET_INVALID: (
        "绑定已失效，请重新登录",
        "The binding ticket is expired or forged; log in again",
    ),
    UserErrorCode.VERIFICATION_STEP_INVALID: (
        "请按步骤完成认证",
        "Complete the verification's steps in order",
    ),
}


def message_for(code: UserErrorCode, locale: Locale, **params: object) -> str:
    zh, en = _MESSAGES[code]
    template = en if locale == "en" else zh
    return template.format(**params) if params else template


@dataclass(frozen=True, slots=True)
class Problem:
    """One user error before localisation: a code, the input path, message parameters."""

    code: UserErrorCode
    field: tuple[str, ...] = ()
    params: dict[str, object] = dataclasses.field(default_factory=dict)

    def message(self, locale: Locale) -> str:
        return message_for(self.code, locale, **self.params)


class UserErrors(Exception):
    """One or more business-rule failures; nothing of the mutation may be committed."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(", ".join(p.code for p in problems))
        self.problems = list(problems)

    @classmethod
    def one(cls, code: UserErrorCode, *field: str, **params: object) -> UserErrors:
        return cls([Problem(code, tuple(field), params)])


class Problems:
    """Collects every problem of an input so the client can show them all at once."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, code: UserErrorCode, *field: str, **params: object) -> None:
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
