"""Seal imaging: standard seals drawn from parameters, seals and signatures taken from scans.

Exceptions::

    SealImagingError            the subclass names the reason
    +-- NotAnImage              not a JPEG by its content (a renamed PDF, say)
    +-- ImageTooLarge           too many bytes or pixels
    +-- ImageTooSmall           too few pixels to be a scan
    +-- ResolutionTooLow        under 200 dpi for an A4 page
    +-- NoSealFound / BothColours
    +-- NoSignatureFound / SignatureTooLarge
    +-- FontMissing             no CJK font installed

Everything here is CPU work: callers run it off the event loop.
"""

from integrations.seal_imaging.errors import (
    BothColours,
    FontMissing,
    ImageTooLarge,
    ImageTooSmall,
    NoSealFound,
    NoSignatureFound,
    NotAnImage,
    ResolutionTooLow,
    SealImagingError,
    SignatureTooLarge,
)
from integrations.seal_imaging.extract import Extracted, check_scan, extract_seal, extract_signature
from integrations.seal_imaging.standard import (
    Colour,
    Kind,
    Shape,
    StandardSeal,
    default_size,
    render,
)

__all__ = [
    "BothColours",
    "Colour",
    "Extracted",
    "FontMissing",
    "ImageTooLarge",
    "ImageTooSmall",
    "Kind",
    "NoSealFound",
    "NoSignatureFound",
    "NotAnImage",
    "ResolutionTooLow",
    "SealImagingError",
    "Shape",
    "SignatureTooLarge",
    "StandardSeal",
    "check_scan",
    "default_size",
    "extract_seal",
    "extract_signature",
    "render",
]
