"""Error codes of seals and signatures, each with its zh-CN and English message."""

from __future__ import annotations

from integrations import seal_imaging
from resolvers.core.errors import ErrorCode, register


@register
class SealErrorCode(ErrorCode):
    UNIT_TEXT_TOO_LONG = (
        "UNIT_TEXT_TOO_LONG",
        "印章所属单位最多{max}个汉字，单位名称超过{max}个字请使用真实印章图片制作印章",
        "The unit text has at most {max} characters; longer names need a scanned seal image",
    )
    SIZE_OUT_OF_RANGE = (
        "SIZE_OUT_OF_RANGE",
        "尺寸应在{low}至{high}毫米之间",
        "The size must be between {low} and {high} mm",
    )
    HOLDER_NOT_ELIGIBLE = (
        "HOLDER_NOT_ELIGIBLE",
        "请选择法人或已绑卡的本企业操作员",
        "Choose the legal representative or a card-bound operator of your enterprise",
    )
    VALIDITY_OUTSIDE_CERTIFICATE = (
        "VALIDITY_OUTSIDE_CERTIFICATE",
        "印章有效期须在使用人证书有效期（{start}至{end}）内",
        "The validity must lie inside the holder's certificate ({start} to {end})",
    )
    SEAL_NOT_DISABLED = (
        "SEAL_NOT_DISABLED",
        "只能删除已停用的印章或签名",
        "Only disabled seals and signatures can be deleted",
    )
    NOT_AN_IMAGE = (
        "NOT_AN_IMAGE",
        "请上传JPG/JPEG格式的扫描图片",
        "Upload a scan as a JPG/JPEG image",
    )
    IMAGE_TOO_LARGE = "IMAGE_TOO_LARGE", "图片过大", "The image is too large"
    IMAGE_TOO_SMALL = (
        "IMAGE_TOO_SMALL",
        "图片过小，请上传A4扫描件",
        "The image is too small for an A4 scan",
    )
    RESOLUTION_TOO_LOW = (
        "RESOLUTION_TOO_LOW",
        "扫描分辨率过低，请使用600dpi扫描",
        "The scan's resolution is too low; scan at 600 dpi",
    )
    NO_SEAL_FOUND = "NO_SEAL_FOUND", "未识别到红色或蓝色印章", "No red or blue seal was found"
    BOTH_COLOURS = (
        "BOTH_COLOURS",
        "图片中同时有红色和蓝色印章，请只保留一个",
        "The scan has both a red and a blue seal; keep only one",
    )
    NO_SIGNATURE_FOUND = (
        "NO_SIGNATURE_FOUND",
        "未识别到黑色签名",
        "No black-pen signature was found in the middle of the page",
    )
    SIGNATURE_TOO_LARGE = (
        "SIGNATURE_TOO_LARGE",
        "签名大小请控制在4cm×4cm以内",
        "Keep the signature within 4 x 4 cm",
    )
    IMAGE_INVALID = (
        "IMAGE_INVALID",
        "图片无法处理，请换一张重试",
        "The image could not be processed; try another one",
    )
    FONT_MISSING = (
        "FONT_MISSING",
        "服务器缺少印章字体，请联系平台管理员",
        "The server lacks the seal font; contact the platform's administrators",
    )


# Why an image could not be made, by the imaging module's exception class (most specific first).
_IMAGING = {
    seal_imaging.NotAnImage: SealErrorCode.NOT_AN_IMAGE,
    seal_imaging.ImageTooLarge: SealErrorCode.IMAGE_TOO_LARGE,
    seal_imaging.ImageTooSmall: SealErrorCode.IMAGE_TOO_SMALL,
    seal_imaging.ResolutionTooLow: SealErrorCode.RESOLUTION_TOO_LOW,
    seal_imaging.NoSealFound: SealErrorCode.NO_SEAL_FOUND,
    seal_imaging.BothColours: SealErrorCode.BOTH_COLOURS,
    seal_imaging.NoSignatureFound: SealErrorCode.NO_SIGNATURE_FOUND,
    seal_imaging.SignatureTooLarge: SealErrorCode.SIGNATURE_TOO_LARGE,
    seal_imaging.FontMissing: SealErrorCode.FONT_MISSING,
}


def imaging_code(error: seal_imaging.SealImagingError) -> SealErrorCode:
    """The code of an imaging failure; an unnamed one is IMAGE_INVALID."""
    for cls in type(error).__mro__:
        if cls in _IMAGING:
            return _IMAGING[cls]
    return SealErrorCode.IMAGE_INVALID
