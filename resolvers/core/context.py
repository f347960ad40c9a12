"""What every use case receives: the process's services and the request's context.

The gateway builds one :class:`RequestContext` per HTTP request, and one per subscription
event over WebSocket (a WebSocket connection outlives any loader cache worth keeping).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from integrations.broker import EventBroker
from integrations.card import CertificateVerifier
from integrations.credit import CreditSource
from integrations.identity import FaceVerifier, IdentityVerifier
from integrations.institutions import InstitutionDirectory
from integrations.messaging import MessageSender, OutboxSender
from integrations.profile_sync import ProfileSyncer
from integrations.registry import CommerceRegistry, ElectronicLicence, MarketRegistry
from integrations.wechat import WeChatLogin
from models import Account, Session
from resolvers.core.clock import Clock
from resolvers.core.errors import Locale
from resolvers.core.passwords import PasswordHashing

if TYPE_CHECKING:
    from resolvers.core.loaders import Loaders


@dataclass(frozen=True, slots=True)
class Policy:
    """The tunable rules of the use cases (from settings; tests may tighten them)."""

    session_ttl_seconds: int = 8 * 3600
    login_max_failures: int = 5
    login_lock_seconds: int = 15 * 60
    captcha_ttl_seconds: int = 5 * 60
    captcha_max_per_client: int = 60
    code_ttl_seconds: int = 5 * 60
    code_resend_seconds: int = 60
    code_max_per_hour: int = 5
    code_max_per_day: int = 10
    code_max_per_client_hour: int = 30
    code_max_wrong_attempts: int = 5
    # SW-9, SW-10: starts and checks of username recovery / password reset per account and per
    # client address in an hour (the tenth try on one account is refused).
    recovery_attempts_per_hour: int = 9
    recovery_attempts_per_client_hour: int = 60


@dataclass(slots=True)
class Services:
    """Process-wide collaborators, created once at start-up."""

    sessionmaker: async_sessionmaker[AsyncSession]
    clock: Clock
    passwords: PasswordHashing
    sender: MessageSender
    broker: EventBroker
    profile_syncer: ProfileSyncer
    card_verifier: CertificateVerifier
    # Banks and insurers: HTTP adapters or simulators, by institution code.
    institutions: InstitutionDirectory
    credit: CreditSource
    identity: IdentityVerifier
    registry: MarketRegistry
    commerce: CommerceRegistry
    licence: ElectronicLicence
    wechat: WeChatLogin
    face: FaceVerifier
    secret_key: bytes
    policy: Policy
    development: bool
    # Wakes the outbox dispatcher after a commit that wrote outgoing calls.
    outbox_signal: Callable[[], None] = lambda: None

    @property
    def outbox(self) -> OutboxSender | None:
        return self.sender if isinstance(self.sender, OutboxSender) else None


@dataclass(slots=True)
class Viewer:
    """Who is calling: nobody, or an account with the session it presented."""

    account: Account | None = None
    session: Session | None = None

    @property
    def is_authenticated(self) -> bool:
        return self.account is not None


@dataclass(slots=True)
class RequestContext:
    services: Services
    db: AsyncSession
    viewer: Viewer
    locale: Locale
    loaders: Loaders
    request_id: str
    client_ip: str | None = None
    # Events published only after the mutation's transaction commits.
    pending_events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    # graphql-transport-ws: the payload of connection_init (where the token travels).
    connection_params: dict[str, Any] | None = None

    async def refresh(self) -> None:
        """A fresh database session and loaders: used per event on long-lived WebSockets."""
        from resolvers.core.loaders import Loaders

        await self.db.close()
        self.db = self.services.sessionmaker()
        self.loaders = Loaders(self.db)

    async def close(self) -> None:
        await self.db.close()

    def fork(self) -> RequestContext:
        """The same viewer and locale with a database session of its own: a shared
        subscription runs on this while the subscribers' connections come and go."""
        from resolvers.core.loaders import Loaders

        db = self.services.sessionmaker()
        return RequestContext(
            services=self.services,
            db=db,
            viewer=Viewer(self.viewer.account, self.viewer.session),
            locale=self.locale,
            loaders=Loaders(db),
            request_id=self.request_id,
            client_ip=self.client_ip,
        )

    @property
    def clock(self) -> Clock:
        return self.services.clock

    @property
    def policy(self) -> Policy:
        return self.services.policy
