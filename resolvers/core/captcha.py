"""Image captchas: a real PNG, single use, short-lived, compared case-insensitively (SW-6)."""

from __future__ import annotations

import base64
import io
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from PIL import Image, ImageDraw, ImageFilter, ImageFont
from sqlalchemy import func
from sqlmodel import col, select, update

from models import Captcha
from resolvers.core.context import RequestContext
from resolvers.core.errors import CommonErrorCode, TooManyRequests, UserErrors

# No 0/O, 1/I/L, 2/Z, 5/S: characters people confuse on a noisy image.
ALPHABET = "346789ABCDEFGHJKMNPQRTUVWXY"
LENGTH = 5
_FONT = ImageFont.load_default(size=34)
CAPTCHA_WINDOW = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class IssuedCaptcha:
    public_id: str
    png: bytes
    expires_at: datetime

    @property
    def data_url(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode()


def render_png(answer: str) -> bytes:
    rng = secrets.SystemRandom()
    image = Image.new("RGB", (160, 56), (242, 244, 248))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        points = [(rng.randint(0, 160), rng.randint(0, 56)) for _ in range(2)]
        draw.line(points, fill=(rng.randint(90, 180),) * 3, width=2)
    for index, char in enumerate(answer):
        glyph = Image.new("RGBA", (40, 48), (0, 0, 0, 0))
        colour = (rng.randint(10, 90), rng.randint(10, 90), rng.randint(60, 150), 255)
        ImageDraw.Draw(glyph).text((6, 2), char, font=_FONT, fill=colour)
        glyph = glyph.rotate(rng.uniform(-25, 25), resample=Image.Resampling.BICUBIC)
        image.paste(glyph, (8 + index * 29, rng.randint(0, 8)), glyph)
    for _ in range(120):
        draw.point((rng.randint(0, 159), rng.randint(0, 55)), fill=(rng.randint(0, 200),) * 3)
    buffer = io.BytesIO()
    image.filter(ImageFilter.SMOOTH).save(buffer, format="PNG")
    return buffer.getvalue()


async def issue(ctx: RequestContext) -> IssuedCaptcha:
    now = ctx.clock.now()
    await _check_rate(ctx, now)
    answer = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    captcha = Captcha(
        public_id=secrets.token_urlsafe(16),
        answer=answer,
        client_ip=ctx.client_ip,
        created_at=now,
        expires_at=now + timedelta(seconds=ctx.policy.captcha_ttl_seconds),
    )
    ctx.db.add(captcha)
    await ctx.db.commit()
    return IssuedCaptcha(captcha.public_id, render_png(answer), captcha.expires_at)


async def _check_rate(ctx: RequestContext, now: datetime) -> None:
    """At most ``captcha_max_per_client`` new captchas per client address in ten minutes."""
    if ctx.client_ip is None:
        return
    recent = (
        await ctx.db.exec(
            select(func.count())
            .select_from(Captcha)
            .where(col(Captcha.client_ip) == ctx.client_ip)
            .where(col(Captcha.created_at) > now - CAPTCHA_WINDOW)
        )
    ).one()
    if recent >= ctx.policy.captcha_max_per_client:
        raise TooManyRequests("CAPTCHA_RATE", ctx.locale)


async def consume(ctx: RequestContext, public_id: str, answer: str, *field: str) -> None:
    """Use up the captcha whatever the answer: a wrong guess cannot be retried."""
    now = ctx.clock.now()
    result = await ctx.db.exec(
        update(Captcha)
        .where(col(Captcha.public_id) == public_id[:32])
        .where(col(Captcha.used_at).is_(None))
        .where(col(Captcha.expires_at) > now)
        .values(used_at=now)
        .returning(col(Captcha.answer))
    )
    row = result.first()
    # The captcha is consumed even when the rest of the mutation fails, so commit now.
    await ctx.db.commit()
    if row is None or not secrets.compare_digest(row[0].encode(), _typed(answer).encode()):
        raise UserErrors.one(CommonErrorCode.CAPTCHA_INVALID, *field)


def _typed(answer: str) -> str:
    """What the user meant: a Chinese IME types full-width letters (ＡＢＣＤＥ), which NFKC makes
    ASCII; the comparison is of bytes, so any other character simply does not match."""
    return unicodedata.normalize("NFKC", answer).strip().upper()[: LENGTH + 1]


async def open_captchas(ctx: RequestContext) -> list[Captcha]:
    """Development view only: the captchas still usable, with their answers."""
    now = ctx.clock.now()
    result = await ctx.db.exec(
        select(Captcha)
        .where(col(Captcha.used_at).is_(None))
        .where(col(Captcha.expires_at) > now)
        .order_by(col(Captcha.id).desc())
        .limit(50)
    )
    return list(result.all())
