"""Error codes of tariff guarantee insurance, each with its zh-CN and English message."""

from __future__ import annotations

from resolvers.core.errors import ErrorCode, register


@register
class InsuranceErrorCode(ErrorCode):
    CREDIT_AUTHORISATION_EXISTS = (
        "CREDIT_AUTHORISATION_EXISTS",
        "已签署该保险公司的企业征信授权书，无需重复签署",
        "A credit-check authorisation with this insurer is already signed or under way",
    )
    CREDIT_AUTHORISATION_REQUIRED = (
        "CREDIT_AUTHORISATION_REQUIRED",
        "本业务需要先去企业征信页面签署该保险公司的企业征信授权书",
        "Sign a credit-check authorisation with this insurer first",
    )
    QUOTA_EXISTS = (
        "QUOTA_EXISTS",
        "一家企业只能有一笔有效额度",
        "The enterprise already has a valid quota",
    )
    QUOTA_NOT_APPROVED = (
        "QUOTA_NOT_APPROVED",
        "该额度尚未批复或已失效",
        "The quota is not approved or no longer valid",
    )
    QUOTA_INCREASE_PENDING = (
        "QUOTA_INCREASE_PENDING",
        "已有额度追加正在审批中",
        "An increase of this quota is waiting for the insurer",
    )
    COVERAGE_EXCEEDS_QUOTA = (
        "COVERAGE_EXCEEDS_QUOTA",
        "本单投保额度不能超过剩余额度{remaining}元",
        "The coverage cannot exceed the remaining quota of {remaining} yuan",
    )
    POLICY_END_BEFORE_START = (
        "POLICY_END_BEFORE_START",
        "保险结束日期不能早于起始日期",
        "The end date cannot be before the start date",
    )
    POLICY_TOO_LONG = "POLICY_TOO_LONG", "保单期限不能超过1年", "A policy lasts at most one year"
    POLICY_START_IN_PAST = (
        "POLICY_START_IN_PAST",
        "保险起始日期不能早于今天",
        "The start date cannot be in the past",
    )
    POLICY_OUTSIDE_QUOTA = (
        "POLICY_OUTSIDE_QUOTA",
        "保险期间应在额度有效期{effective}至{expiry}之内",
        "The policy period must lie within the quota's validity, {effective} to {expiry}",
    )
    CUSTOMS_CODE_FORMAT = (
        "CUSTOMS_CODE_FORMAT",
        "海关十位编码应为10位数字，前4位为企业注册地的地区代码",
        "The customs code has 10 digits, the first four the region of the enterprise's domicile",
    )
    CUSTOMS_CODE_MISMATCH = (
        "CUSTOMS_CODE_MISMATCH",
        "海关十位编码与企业资质中登记的海关编码{registered}不一致",
        "The customs code differs from the one in the enterprise's qualifications, {registered}",
    )
    REGISTERED_CUSTOMS_MISMATCH = (
        "REGISTERED_CUSTOMS_MISMATCH",
        "注册海关应为{expected}",
        "The registered customs must be {expected}",
    )
    THREE_PARTY_AGREEMENT_REQUIRED = (
        "THREE_PARTY_AGREEMENT_REQUIRED",
        "使用关税保证保险服务需先由法人签署三方协议（企业、银行、数据中心）且签约成功："
        "请先在“银行服务-签约管理”中完成三方协议签约",
        "Tariff insurance needs a three-party agreement (enterprise, bank, data center) signed by "
        "the legal person and SIGNED by the bank: sign one under bank services first",
    )
    CREDIT_AUTHORISATION_EXPIRED = (
        "CREDIT_AUTHORISATION_EXPIRED",
        "该保险公司的企业征信授权书已于{expired}到期（有效期一年），请重新签署",
        "The credit-check authorisation with this insurer expired on {expired} (valid for a "
        "year): sign a new one",
    )
    QUOTA_REAPPLY_REQUIRED = (
        "QUOTA_REAPPLY_REQUIRED",
        "额度{number}已失败或已过期，请对该额度使用“重新申请”（tariffQuotaReapply）",
        "Quota {number} failed or expired: re-apply for it (tariffQuotaReapply)",
    )
    PHONE_FORMAT = (
        "PHONE_FORMAT",
        "电话应为11位手机号码或带区号的固定电话（如024-88880000）",
        "A phone is an 11-digit mobile or a landline with its area code (024-88880000)",
    )
    BANK_ACCOUNT_FORMAT = (
        "BANK_ACCOUNT_FORMAT",
        "银行账号应为8至30位数字",
        "A bank account number has 8 to 30 digits",
    )
    PREMIUM_NOT_PAYABLE = (
        "PREMIUM_NOT_PAYABLE",
        "只有已出单且未交费的保单可以在线交费",
        "Only an issued policy whose premium is unpaid can be paid online",
    )
    PREMIUM_PAYMENT_PENDING = (
        "PREMIUM_PAYMENT_PENDING",
        "该保单的交费正在由保险公司处理",
        "The insurer is processing a payment of this policy",
    )
    TAX_NUMBER_FORMAT = (
        "TAX_NUMBER_FORMAT",
        "企业税号应为15、18或20位数字或大写字母",
        "The tax number has 15, 18 or 20 digits or capital letters",
    )
    RATE_INVALID = (
        "RATE_INVALID",
        "费率应大于0且不超过100%",
        "The rate must be above 0 and at most 100 %",
    )
    E_POLICY_INVALID = (
        "E_POLICY_INVALID",
        "电子保单签章无效",
        "The e-policy is not a PDF with a valid signature of the insurer",
    )
