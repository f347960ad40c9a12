"""Synthetic scans of A4 pages for seal and signature extraction, with the truth mask.

Warm paper with low-frequency texture and noise, rows of black text (some under the seal), a
seal printed in translucent ink at a known place, the whole page rotated a little, JPEG 85.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from integrations.seal_imaging import Colour, Kind, Shape, StandardSeal
from integrations.seal_imaging.standard import INK, render_alpha

A4_MM = (210.0, 297.0)


@dataclass
class Scan:
    jpeg: bytes
    truth: NDArray[np.bool_]
    dpi: int


def _page(dpi: int, rng: np.random.Generator) -> NDArray[np.float32]:
    width, height = (round(mm / 25.4 * dpi) for mm in A4_MM)
    page = np.empty((height, width, 3), np.float32)
    page[...] = (235, 242, 245)  # BGR of warm paper
    texture = cv2.resize(
        rng.normal(0, 6, (height // 64 + 1, width // 64 + 1)).astype(np.float32), (width, height)
    )
    page += texture[..., None]
    scale = dpi / 300
    text = np.zeros((height, width), np.uint8)
    for row, y in enumerate(range(int(300 * scale), height - int(200 * scale), int(90 * scale))):
        cv2.putText(
            text,
            f"Line {row} of the declaration, goods, quantities, values and remarks 0123456789",
            (int(120 * scale), y),
            cv2.FONT_HERSHEY_SIMPLEX,
            1.1 * scale,
            255,
            max(1, int(2 * scale)),
            cv2.LINE_AA,
        )
    a = text.astype(np.float32)[..., None] / 255
    return page * (1 - a) + 30 * a


def _finish(
    page: NDArray[np.float32], truth: NDArray[np.float32], rng: np.random.Generator, rotation: float
) -> tuple[bytes, NDArray[np.bool_]]:
    page += rng.normal(0, 4, page.shape).astype(np.float32)
    height, width = page.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), rotation, 1.0)
    page = cv2.warpAffine(page, matrix, (width, height), borderValue=(235, 242, 245))
    truth = cv2.warpAffine(truth, matrix, (width, height))
    ok, encoded = cv2.imencode(
        ".jpg", np.clip(page, 0, 255).astype(np.uint8), [cv2.IMWRITE_JPEG_QUALITY, 85]
    )
    assert ok
    return encoded.tobytes(), truth > 0.25


def seal_scan(
    dpi: int = 300,
    colour: Colour = Colour.RED,
    second: Colour | None = None,
    seed: int = 1,
    rotation: float = 1.5,
    with_seal: bool = True,
) -> Scan:
    rng = np.random.default_rng(seed)
    page = _page(dpi, rng)
    truth = np.zeros(page.shape[:2], np.float32)
    stamps = [colour, second] if second else [colour]
    if with_seal:
        for index, ink_colour in enumerate(stamps):
            alpha = render_alpha(
                StandardSeal(
                    "辽宁港通进出口有限公司", Kind.COMPANY, Shape.ROUND, ink_colour, dpi=dpi
                )
            )
            a = alpha.astype(np.float32) / 255 * 0.85
            top = page.shape[0] // 2 - alpha.shape[0] // 2 + index * alpha.shape[0] * 2
            left = page.shape[1] // 2 - alpha.shape[1] // 2
            region = page[top : top + alpha.shape[0], left : left + alpha.shape[1]]
            red, green, blue = INK[ink_colour]
            ink = np.array([blue, green, red], np.float32)
            # Multiplicative ink: darker where black text lies under the seal.
            region[...] = region * (1 - a[..., None]) + (region / 255 * ink) * a[..., None]
            if index == 0:
                truth[top : top + alpha.shape[0], left : left + alpha.shape[1]] = a
    jpeg, mask = _finish(page, truth, rng, rotation)
    return Scan(jpeg, mask, dpi)


def signature_scan(
    dpi: int = 300, width_mm: float = 30.0, seed: int = 2, with_signature: bool = True
) -> Scan:
    rng = np.random.default_rng(seed)
    width, height = (round(mm / 25.4 * dpi) for mm in A4_MM)
    page = np.empty((height, width, 3), np.float32)
    page[...] = (235, 242, 245)
    truth = np.zeros((height, width), np.float32)
    if with_signature:
        px = dpi / 25.4
        cx, cy = width / 2, height / 2
        xs = np.linspace(-width_mm / 2, width_mm / 2, 60)
        ys = 6 * np.sin(xs / 3.0) + rng.normal(0, 1.5, xs.size)
        points = np.stack([cx + xs * px, cy + ys * px], axis=1).astype(np.int32)
        stroke = np.zeros((height, width), np.uint8)
        cv2.polylines(stroke, [points], False, 255, max(2, int(0.5 * px)), cv2.LINE_AA)
        a = stroke.astype(np.float32) / 255
        page = page * (1 - a[..., None]) + np.array([25, 20, 20], np.float32) * a[..., None]
        truth = a
    jpeg, mask = _finish(page, truth, rng, 0.5)
    return Scan(jpeg, mask, dpi)


def iou(truth: NDArray[np.bool_], mask: NDArray[np.uint8], box: tuple[int, int, int, int]) -> float:
    found = np.zeros_like(truth)
    x, y, w, h = box
    found[y : y + h, x : x + w] = mask > 127
    union = np.logical_or(found, truth).sum()
    return float(np.logical_and(found, truth).sum() / union) if union else 0.0
