"""What can go wrong making a seal or signature image; the class says why."""

from __future__ import annotations


class SealImagingError(Exception):
    """The image could not be made."""


class NotAnImage(SealImagingError):
    """Not a JPEG by its content (a renamed PDF, say)."""


class ImageTooLarge(SealImagingError):
    """Too many bytes or pixels."""


class ImageTooSmall(SealImagingError):
    """Too few pixels to be a scan."""


class ResolutionTooLow(SealImagingError):
    """Under 200 dpi for an A4 page."""


class NoSealFound(SealImagingError):
    """No red or blue seal on the page."""


class BothColours(SealImagingError):
    """Red and blue marks at once: which is the seal is unclear."""


class NoSignatureFound(SealImagingError):
    """No signature strokes on the page."""


class SignatureTooLarge(SealImagingError):
    """The strokes cover more than a signature would."""


class FontMissing(SealImagingError):
    """No CJK font is installed to draw a standard seal."""
