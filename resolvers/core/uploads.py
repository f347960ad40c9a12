"""Uploads checked by content, size and name before they are kept.

Manual reviews take jpg, png, jpeg and bmp images of at most 4 MB (manual 004); Hunan's
certification documents also take PDF (manual 002). The file name's extension must be an allowed
one and the bytes must really be that: an image Pillow parses and verifies as JPEG, PNG or BMP,
or a PDF whose trailer a PDF reader parses. A PDF or an executable renamed ``.png`` is refused
whatever its name says.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import Any

from PIL import Image, UnidentifiedImageError
from pyhanko.pdf_utils.reader import PdfFileReader

from resolvers.core.errors import CommonErrorCode, Problems

MAX_BYTES = 4 * 1024 * 1024
EXTENSIONS = frozenset({"jpg", "jpeg", "png", "bmp"})
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "BMP": "image/bmp"}
PDF = "application/pdf"


@dataclass(frozen=True, slots=True)
class UploadedFile:
    kind: Any  # what the file is for: an UploadKind or a CertificationDocumentKind
    file_name: str
    content: bytes


@dataclass(frozen=True, slots=True)
class CheckedFile:
    kind: Any
    file_name: str
    content_type: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def check_file(
    upload: UploadedFile,
    problems: Problems,
    *field: str,
    max_bytes: int = MAX_BYTES,
    allow_pdf: bool = False,
) -> CheckedFile | None:
    if len(upload.content) > max_bytes:
        problems.add(CommonErrorCode.FILE_TOO_LARGE, *field, max=max_bytes // (1024 * 1024))
        return None
    name = upload.file_name
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if allow_pdf and extension == "pdf":
        content_type = PDF if is_pdf(upload.content) else None
    else:
        image_format = _format(upload.content) if extension in EXTENSIONS else None
        content_type = FORMATS.get(image_format or "")
    if content_type is None:
        problems.add(
            CommonErrorCode.FILE_TYPE_PDF if allow_pdf else CommonErrorCode.FILE_TYPE, *field
        )
        return None
    return CheckedFile(upload.kind, name[-200:], content_type, upload.content)


def _format(content: bytes) -> str | None:
    """The image format the bytes really are, after a full structural check."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        # A decompression bomb (a small file declaring billions of pixels) is no photo of a
        # document either.
        return None
    return image_format


def is_pdf(content: bytes) -> bool:
    """A PDF a reader can open: the header, the end marker and a parsable trailer."""
    if not content.startswith(b"%PDF-") or b"%%EOF" not in content[-2048:]:
        return False
    try:
        PdfFileReader(io.BytesIO(content), strict=False).root  # noqa: B018 - parses the trailer
    except Exception:
        return False
    return True
