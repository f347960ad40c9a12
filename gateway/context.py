"""Builds the request context: database session, loaders, locale and the viewer."""

from __future__ import annotations

from collections.abc import Mapping

from resolvers.accounts import sessions
from resolvers.core.context import RequestContext, Services, Viewer
from resolvers.core.errors import Locale
from resolvers.core.loaders import Loaders


def locale_from(accept_language: str | None) -> Locale:
    """English when the client prefers it (``Accept-Language: en``), Chinese otherwise."""
    best, best_q = "zh-CN", -1.0
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if tag and q > best_q:
            best, best_q = tag.lower(), q
    return "en" if best.startswith("en") else "zh-CN"


def bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


async def build_context(
    services: Services,
    headers: Mapping[str, str],
    client_ip: str | None,
    request_id: str,
    token: str | None = None,
) -> RequestContext:
    """A context for one request; raises ``Unauthenticated`` for a dead bearer token."""
    db = services.sessionmaker()
    ctx = RequestContext(
        services=services,
        db=db,
        viewer=Viewer(),
        locale=locale_from(headers.get("accept-language")),
        loaders=Loaders(db),
        request_id=request_id,
        client_ip=client_ip,
    )
    token = token or bearer_token(headers.get("authorization"))
    if token:
        try:
            ctx.viewer = await sessions.authenticate(ctx, token)
        except BaseException:
            await db.close()
            raise
    return ctx
