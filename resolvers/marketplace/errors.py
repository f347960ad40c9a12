"""Error codes of the SME financing marketplace, each with its zh-CN and English message."""

from __future__ import annotations

from resolvers.core.errors import ErrorCode, register


@register
class MarketplaceErrorCode(ErrorCode):
    FACE_VERIFICATION_REQUIRED = (
        "FACE_VERIFICATION_REQUIRED",
        "请先完成法定代表人人脸认证",
        "The legal representative's face verification comes first",
    )
    PRODUCT_DISABLED = (
        "PRODUCT_DISABLED",
        "该产品已下架，无法申请",
        "This product is disabled and takes no applications",
    )
    OUTSIDE_PRODUCT_RANGE = (
        "OUTSIDE_PRODUCT_RANGE",
        "申请金额和期限须在产品的{low}至{high}范围内",
        "The request must lie within the product's range, {low} to {high}",
    )
    NOT_CERTIFIED = (
        "NOT_CERTIFIED",
        "企业认证审核通过后才能申请产品",
        "Your enterprise must be certified before applying",
    )
    CERTIFICATION_INCOMPLETE = (
        "CERTIFICATION_INCOMPLETE",
        "请补全认证信息并上传营业执照和企业授权书",
        "Complete the form and upload the licence and the authorisation letter",
    )
    ALREADY_CERTIFIED = "ALREADY_CERTIFIED", "企业已认证", "The enterprise is already certified"
    REGION_EXISTS = "REGION_EXISTS", "该行政区代码已存在", "A region with this code already exists"
    INSTITUTION_EXISTS = (
        "INSTITUTION_EXISTS",
        "该机构代码已存在",
        "An institution with this code already exists",
    )
    AMOUNT_RANGE_INVALID = (
        "AMOUNT_RANGE_INVALID",
        "最低金额不能高于最高金额",
        "The minimum amount cannot exceed the maximum",
    )
    RATE_RANGE_INVALID = (
        "RATE_RANGE_INVALID",
        "利率应大于0且不超过36%，最低利率不能高于最高利率",
        "Rates are above 0 and at most 36 %, the minimum not above the maximum",
    )
    TERM_RANGE_INVALID = (
        "TERM_RANGE_INVALID",
        "期限应为1至360个月，最短期限不能长于最长期限",
        "Terms are 1 to 360 months, the shortest not above the longest",
    )
    REGIONS_REQUIRED = (
        "REGIONS_REQUIRED",
        "请选择产品服务的区域",
        "Choose the regions the product serves",
    )
    GUARANTEE_REQUIRED = (
        "GUARANTEE_REQUIRED",
        "请选择担保方式",
        "Choose at least one guarantee method",
    )
