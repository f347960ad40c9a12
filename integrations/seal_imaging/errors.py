"""What can go wrong making a seal or signature image."""

from __future__ import annotations


class SealImagingError(Exception):
    """The image could not be made; ``code`` says why."""

    code = "IMAGE_INVALID"


class NotAnImage(SealImagingError):
    code = "NOT_AN_IMAGE"


class ImageTooLarge(SealImagingError):
    code = "IMAGE_TOO_LARGE"


class ImageTooSmall(SealImagingError):
    code = "IMAGE_TOO_SMALL"


class ResolutionTooLow(SealImagingError):
    code = "RESOLUTION_TOO_LOW"


class NoSealFound(SealImagingError):
    code = "NO_SEAL_FOUND"


class BothColours(SealImagingError):
    code = "BOTH_COLOURS"


class NoSignatureFound(SealImagingError):
    code = "NO_SIGNATURE_FOUND"


class SignatureTooLarge(SealImagingError):
    code = "SIGNATURE_TOO_LARGE"


class FontMissing(SealImagingError):
    code = "FONT_MISSING"
