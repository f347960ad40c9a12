"""Image uploads of manual reviews: checked by content, size and name before they are kept.

The manual allows jpg, png, jpeg and bmp of at most 4 MB. The file name's extension must be one
of those, and the bytes must decode as a JPEG, PNG or BMP image: a PDF or an executable renamed
``.png`` is refused whatever its name says.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from models import UploadKind
from resolvers.errors import Problems, UserErrorCode

MAX_BYTES = 4 * 1024 * 1024
EXTENSIONS = frozenset({"jpg", "jpeg", "png", "bmp"})
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "BMP": "image/bmp"}


@dataclass(frozen=True, slots=True)
class UploadedFile:
    kind: UploadKind
    file_name: str
    content: bytes


@dataclass(frozen=True, slots=True)
class CheckedImage:
    kind: UploadKind
    file_name: str
    content_type: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def check_image(upload: UploadedFile, problems: Problems, *field: str) -> CheckedImage | None:
    if len(upload.content) > MAX_BYTES:
        problems.add(UserErrorCode.FILE_TOO_LARGE, *field, max=MAX_BYTES // (1024 * 1024))
        return None
    extension = upload.file_name.rsplit(".", 1)[-1].lower() if "." in upload.file_name else ""
    image_format = _format(upload.content)
    if extension not in EXTENSIONS or image_format not in FORMATS:
        problems.add(UserErrorCode.FILE_TYPE, *field)
        return None
    return CheckedImage(upload.kind, upload.file_name[-200:], FORMATS[image_format], upload.content)


def _format(content: bytes) -> str | None:
    """The image format the bytes really are, after a full structural check."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return None
    return image_format
