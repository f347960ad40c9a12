"""Error codes of accounts: registration, sessions, operators and settings."""

from __future__ import annotations

from resolvers.core.errors import ErrorCode, register


@register
class AccountErrorCode(ErrorCode):
    PASSWORD_REUSED = (
        "PASSWORD_REUSED",
        "新密码不能与原密码相同",
        "The new password must differ from the old one",
    )
    WRONG_PASSWORD = "WRONG_PASSWORD", "原密码不正确", "The current password is wrong"
    EMAIL_VERIFICATION_NOT_ALLOWED = (
        "EMAIL_VERIFICATION_NOT_ALLOWED",
        "仅护照、港澳台通行证或外国人居留证用户可使用邮箱验证",
        "Email verification is only for passports, HK/Macao/Taiwan permits and foreigners'"
        " residence permits",
    )
    ADMIN_EXISTS = (
        "ADMIN_EXISTS",
        "该企业已有管理员账号",
        "This enterprise already has an admin account",
    )
    OPERATOR_IDENTITY_TAKEN = (
        "OPERATOR_IDENTITY_TAKEN",
        "本企业已有相同证件类型和证件号码的操作员",
        "An operator with this ID type and number already exists in the enterprise",
    )
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS", "用户名或密码错误", "Wrong username or password"
    ACCOUNT_LOCKED = (
        "ACCOUNT_LOCKED",
        "密码错误次数过多，账号已锁定，请{minutes}分钟后再试",
        "Too many wrong passwords; the account is locked for {minutes} minutes",
    )
    ACCOUNT_NOT_ACTIVATED = (
        "ACCOUNT_NOT_ACTIVATED",
        "账号未激活，请使用卡介质登录后激活",
        "The account is not activated; log in with the card and activate it",
    )
    ACCOUNT_DISABLED = "ACCOUNT_DISABLED", "账号已停用", "The account is disabled"
    PHONE_LOGIN_TAKEN = (
        "PHONE_LOGIN_TAKEN",
        "该账号对应的手机号已开启手机号登录！",
        "Phone login is already on for this mobile number on another account",
    )
    MOBILE_REQUIRED = "MOBILE_REQUIRED", "请先绑定手机号", "Bind a mobile number first"
    EMPLOYER_TOO_MANY_CHANGES = (
        "EMPLOYER_TOO_MANY_CHANGES",
        "企业名称、统一社会信用代码、组织机构代码一次只能修改其中一项或两项",
        "Change at most two of enterprise name, USCC and organisation code at a time",
    )
    REGISTRATION_NUMBER_IMMUTABLE = (
        "REGISTRATION_NUMBER_IMMUTABLE",
        "所在国家(地区)注册编号填写后不可修改",
        "The home registration number cannot be changed once set",
    )
    OPERATOR_CARD_BOUND = (
        "OPERATOR_CARD_BOUND",
        "操作员已绑卡，管理员未绑卡时不可修改或删除该操作员",
        "The operator has a bound card; an admin without a bound card cannot change it",
    )
    PROFILE_SYNC_REJECTED = (
        "PROFILE_SYNC_REJECTED",
        "信息同步失败：{reason}",
        "The profile was not synchronised: {reason}",
    )
    PROFILE_SYNC_UNAVAILABLE = (
        "PROFILE_SYNC_UNAVAILABLE",
        "信息同步服务暂不可用，请稍后重试",
        "The profile sync service is unavailable; try again later",
    )
    HUNAN_ACCOUNT_FORMAT = (
        "HUNAN_ACCOUNT_FORMAT",
        "登录账号应以字母开头，由4-20位字母、数字或下划线组成",
        "The account starts with a letter: 4-20 letters, digits or underscores",
    )
    HUNAN_PASSWORD_POLICY = (
        "HUNAN_PASSWORD_POLICY",
        "密码应为8-20位，包含字母和数字，可含特殊字符",
        "The password has 8-20 characters with letters and digits (symbols allowed)",
    )
