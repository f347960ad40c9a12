"""Seal imaging: standard seals, and extraction from synthetic A4 scans measured by IoU
(SW-16, SW-17, LN-7)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from integrations.seal_imaging import (
    BothColours,
    Colour,
    ImageTooLarge,
    ImageTooSmall,
    Kind,
    NoSealFound,
    NoSignatureFound,
    NotAnImage,
    ResolutionTooLow,
    Shape,
    SignatureTooLarge,
    StandardSeal,
    extract_seal,
    extract_signature,
    render,
)
from tests.scans import iou, seal_scan, signature_scan

pytestmark = pytest.mark.req("SW-16", "SW-17", "LN-7")
IOU_BAR = 0.80


def decode(png: bytes) -> np.ndarray:
    image = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_UNCHANGED)
    assert image is not None
    return image


@pytest.mark.parametrize(
    ("kind", "shape", "size_px"),
    [
        (Kind.COMPANY, Shape.ROUND, (500, 500)),
        (Kind.CONTRACT, Shape.OVAL, (476, 358)),
        (Kind.FINANCE, Shape.SQUARE, (299, 299)),
    ],
)
def test_standard_seals_are_transparent_pngs_of_the_standard_size(
    kind: Kind, shape: Shape, size_px: tuple[int, int]
) -> None:
    image = decode(render(StandardSeal("辽宁港通进出口有限公司", kind, shape, Colour.RED)))
    assert image.shape[2] == 4
    assert (image.shape[1], image.shape[0]) == size_px  # mm at 300 dpi, plus a 2-pixel edge
    assert image[0, 0, 3] == 0  # transparent corner
    inked = image[image[..., 3] > 200]
    assert inked.size > 0
    assert set(map(tuple, inked[:, :3])) == {(18, 0, 230)}  # uniform red, BGR


def test_blue_and_english_and_custom_size() -> None:
    image = decode(
        render(
            StandardSeal(
                "测试公司",
                Kind.COMPANY,
                Shape.ROUND,
                Colour.BLUE,
                english_text="Test Company Ltd",
                width_mm=50,
                inner_margin_mm=1.5,
            )
        )
    )
    assert image.shape[:2] == (595, 595)
    assert tuple(image[image[..., 3] > 200][0, :3]) == (204, 51, 0)


@pytest.mark.parametrize(("colour", "seed"), [(Colour.RED, 1), (Colour.BLUE, 2)])
def test_seal_extraction_at_300_dpi_matches_the_truth(colour: Colour, seed: int) -> None:
    scan = seal_scan(300, colour, seed=seed)
    extracted = extract_seal(scan.jpeg)
    assert extracted.colour == colour
    assert extracted.dpi == 300
    assert iou(scan.truth, extracted.mask, extracted.box) >= IOU_BAR
    assert 40 <= extracted.size_mm[0] <= 45


def test_seal_extraction_at_600_dpi_matches_the_truth() -> None:
    scan = seal_scan(600, Colour.RED, seed=3)
    extracted = extract_seal(scan.jpeg)
    assert extracted.dpi == 600
    assert iou(scan.truth, extracted.mask, extracted.box) >= IOU_BAR
    png = decode(extracted.png)
    assert png.shape[2] == 4


def test_scan_problems_each_have_their_error() -> None:
    with pytest.raises(NoSealFound):
        extract_seal(seal_scan(300, with_seal=False).jpeg)
    with pytest.raises(BothColours):
        extract_seal(seal_scan(300, Colour.RED, second=Colour.BLUE).jpeg)
    with pytest.raises(NotAnImage):
        extract_seal(b"%PDF-1.7\n" + b"0" * 1000)
    _, tiny = cv2.imencode(".jpg", np.full((1, 1, 3), 255, np.uint8))
    with pytest.raises(ImageTooSmall):
        extract_seal(tiny.tobytes())
    _, low = cv2.imencode(".jpg", np.full((1169, 827, 3), 255, np.uint8))
    with pytest.raises(ResolutionTooLow):
        extract_seal(low.tobytes())
    with pytest.raises(ImageTooLarge):
        extract_seal(b"\xff\xd8\xff" + b"\x00" * (21 * 1024 * 1024))
    _, png = cv2.imencode(".png", np.full((3508, 2480, 3), 255, np.uint8))
    with pytest.raises(NotAnImage):
        extract_seal(png.tobytes())


def test_signature_extraction_and_its_limits() -> None:
    scan = signature_scan(300, width_mm=30)
    extracted = extract_signature(scan.jpeg)
    assert iou(scan.truth, extracted.mask, extracted.box) >= 0.6
    assert extracted.size_mm[0] <= 35
    with pytest.raises(SignatureTooLarge):
        extract_signature(signature_scan(300, width_mm=80).jpeg)
    with pytest.raises(NoSignatureFound):
        extract_signature(signature_scan(300, with_signature=False).jpeg)
