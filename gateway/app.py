"""The ASGI application: wiring only."""

from __future__ import annotations

import functools
import gc
import hashlib
import hmac
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route, WebSocketRoute

from gateway.cards import card_verifier, simulated_institution_signers
from gateway.database import create_engine, session_factory
from gateway.graphiql import PLAYGROUND, render_page
from gateway.graphql_http import GraphQLHttp
from gateway.logs import RequestIdMiddleware, configure_logging
from gateway.operations import Documents, PublicErrors
from gateway.outbox import Dispatcher
from gateway.persisted import PersistedQueries
from gateway.scheduler import Schedule, Scheduler
from gateway.settings import Settings, load_settings
from gateway.webhooks import institution_webhook, licence_webhook, signed_webhook
from gateway.websocket import SubscriptionView
from integrations.banks import BankSimulator, SimulatorRules
from integrations.broker import EventBroker, InProcessBroker, RedisBroker
from integrations.credit import CreditSource, HttpCreditSource, SimulatedCreditSource
from integrations.identity import (
    EID_WEBHOOK,
    FaceVerifier,
    HttpFaceVerifier,
    HttpIdentityVerifier,
    IdentityVerifier,
    SimulatedFaceVerifier,
    SimulatedIdentityVerifier,
)
from integrations.institutions import DeliveryFaults, InstitutionDirectory
from integrations.insurers import InsurerRules, InsurerSimulator
from integrations.messaging import HttpMessageSender, MessageSender, OutboxSender
from integrations.profile_sync import HttpProfileSyncer, ProfileSyncer, SimulatedProfileSyncer
from integrations.registry import (
    LICENCE_WEBHOOK,
    CommerceRegistry,
    ElectronicLicence,
    HttpCommerceRegistry,
    HttpElectronicLicence,
    HttpMarketRegistry,
    MarketRegistry,
    SimulatedElectronicLicence,
    SimulatedRegistry,
)
from integrations.wechat import HttpWeChatLogin, SimulatedWeChatLogin, WeChatLogin
from resolvers.core.clock import Clock
from resolvers.core.context import Policy, Services
from resolvers.core.passwords import PasswordHashing
from resolvers.insurance import quotas as tariff_quotas
from resolvers.marketplace import certification
from resolvers.marketplace import orders as marketplace_orders
from schema import build_schema
from schema.limits import check_limits

# Allocations before a young collection: CPython's default 700 costs a collection per few
# hundred frames sent; this costs one per ~tens of thousands of objects.
GC_THRESHOLD_GEN0 = 50_000
# The simulators' datasets in the data directory (written by the demo data).
CREDIT_DATASET = "credit-records.json"
IDENTITY_DATASET = "identity-records.json"
REGISTRY_DATASET = "registry-records.json"


def licence_secret(secret_key: str) -> bytes:
    """The key the e-licence service signs its callbacks with (derived; one per deployment)."""
    return hmac.new(secret_key.encode(), b"e-licence", hashlib.sha256).digest()


def eid_secret(secret_key: str) -> bytes:
    """The key the eID (face verification) service signs its callbacks with."""
    return hmac.new(secret_key.encode(), b"eid", hashlib.sha256).digest()


def registers(
    settings: Settings,
) -> tuple[MarketRegistry, CommerceRegistry, ElectronicLicence]:
    """The market regulator, the commerce ministry and the e-licence service: HTTP adapters
    where configured, else simulators sharing one dataset."""
    simulated = SimulatedRegistry(settings.data_dir / REGISTRY_DATASET)
    market: MarketRegistry = (
        HttpMarketRegistry(settings.registry_url, settings.secret_key)
        if settings.registry_url
        else simulated
    )
    commerce: CommerceRegistry = (
        HttpCommerceRegistry(settings.commerce_url, settings.secret_key)
        if settings.commerce_url
        else simulated
    )
    licence: ElectronicLicence = (
        HttpElectronicLicence(
            settings.licence_url, settings.secret_key, settings.licence_callback_url
        )
        if settings.licence_url
        else SimulatedElectronicLicence(simulated, licence_secret(settings.secret_key))
    )
    return market, commerce, licence


def build_services(settings: Settings) -> Services:
    engine = create_engine(settings)
    broker: EventBroker = (
        RedisBroker(settings.redis_url, settings.redis_prefix)
        if settings.redis_url
        else InProcessBroker()
    )
    sender: MessageSender
    if settings.sms_http_url:
        sender = HttpMessageSender(settings.sms_http_url, settings.secret_key)
    else:
        sender = OutboxSender()
    syncer: ProfileSyncer = (
        HttpProfileSyncer(settings.profile_sync_url, settings.secret_key)
        if settings.profile_sync_url
        else SimulatedProfileSyncer()
    )
    credit: CreditSource = (
        HttpCreditSource(settings.credit_url, settings.secret_key)
        if settings.credit_url
        else SimulatedCreditSource(settings.data_dir / CREDIT_DATASET)
    )
    simulated_identity = SimulatedIdentityVerifier(settings.data_dir / IDENTITY_DATASET)
    identity: IdentityVerifier = (
        HttpIdentityVerifier(settings.identity_url, settings.secret_key)
        if settings.identity_url
        else simulated_identity
    )
    face: FaceVerifier = (
        HttpFaceVerifier(settings.eid_url, settings.secret_key, settings.eid_callback_url)
        if settings.eid_url
        else SimulatedFaceVerifier(simulated_identity, eid_secret(settings.secret_key))
    )
    wechat: WeChatLogin = (
        HttpWeChatLogin(settings.wechat_app_id, settings.wechat_app_secret)
        if settings.wechat_app_id
        else SimulatedWeChatLogin()
    )
    market, commerce, licence = registers(settings)
    return Services(
        sessionmaker=session_factory(engine),
        clock=Clock(),
        passwords=PasswordHashing(settings.password_time_cost, settings.password_memory_kib),
        sender=sender,
        broker=broker,
        profile_syncer=syncer,
        card_verifier=card_verifier(settings),
        # Embedded: every bank and insurer is simulated. Production configures HTTP adapters.
        institutions=simulated_institutions(
            settings.secret_key.encode(),
            not settings.is_production,
            DeliveryFaults(
                refused=DeliveryFaults.parse(settings.simulated_refusals),
                unavailable=DeliveryFaults.parse(settings.simulated_outages),
            ),
        ),
        credit=credit,
        identity=identity,
        registry=market,
        commerce=commerce,
        licence=licence,
        wechat=wechat,
        face=face,
        secret_key=settings.secret_key.encode(),
        policy=Policy(
            session_ttl_seconds=settings.session_ttl_seconds,
            login_max_failures=settings.login_max_failures,
            login_lock_seconds=settings.login_lock_seconds,
            code_resend_seconds=settings.code_resend_seconds,
        ),
        development=settings.development_view,
    )


def simulated_institutions(
    master_secret: bytes, simulate: bool, faults: DeliveryFaults | None = None
) -> InstitutionDirectory:
    """Banks and insurers by code; with ``simulate``, every unconfigured one is a simulator
    (refusing or failing the deliveries ``faults`` names)."""
    bank_rules, insurer_rules = SimulatorRules(), InsurerRules()
    faults = faults or DeliveryFaults()
    return InstitutionDirectory(
        master_secret,
        {
            "BANK": lambda code, secret, callback, signer: BankSimulator(
                code, secret, bank_rules, callback=callback, signer=signer, faults=faults
            ),
            "INSURER": lambda code, secret, callback, signer: InsurerSimulator(
                code, secret, insurer_rules, callback=callback, signer=signer, faults=faults
            ),
        },
        simulate=simulate,
        faults=faults,
    )


def create_app(settings: Settings | None = None, services: Services | None = None) -> Starlette:
    settings = settings or load_settings()
    settings.check()
    services = services or build_services(settings)
    documents = Documents(
        functools.partial(
            check_limits,
            max_depth=settings.max_depth,
            max_cost=settings.max_cost,
            max_aliases=settings.max_aliases,
        ),
        max_document_bytes=settings.max_document_bytes,
    )
    schema = build_schema(
        development=settings.development_view,
        extensions=[documents.extension, PublicErrors],
    )
    documents.bind(schema._schema)
    persisted = PersistedQueries.from_folder(PLAYGROUND)
    http = GraphQLHttp(
        schema,
        services,
        documents,
        max_request_bytes=settings.max_request_bytes,
        max_upload_bytes=settings.max_upload_bytes,
        max_upload_file_bytes=settings.max_upload_file_bytes,
        render_ide=render_page if settings.graphiql else None,
        persisted=persisted,
    )
    engine = services.sessionmaker.kw["bind"]

    async def healthz(_: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def readyz(_: Request) -> JSONResponse:
        checks = {"database": await _database_ready(engine), "broker": await services.broker.ping()}
        ready = all(checks.values())
        return JSONResponse(
            {"status": "ready" if ready else "unavailable", "checks": checks}, 200 if ready else 503
        )

    if not settings.is_production:
        services.institutions.signer = simulated_institution_signers(settings)
    dispatcher = Dispatcher(services)
    services.outbox_signal = dispatcher.signal
    scheduler = Scheduler(
        services,
        [
            Schedule(
                "quota-expiry", tariff_quotas.expire_due, settings.quota_expiry_interval_seconds
            ),
            Schedule(
                "credit-monitoring",
                marketplace_orders.monitor,
                settings.credit_monitoring_interval_seconds,
            ),
        ],
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await services.broker.start()
        # Simulated banks answer through the same signed webhook a real bank calls.
        loopback = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://gateway"
        )

        async def callback(path: str, body: bytes, headers: dict[str, str]) -> int:
            return (await loopback.post(path, content=body, headers=headers)).status_code

        services.institutions.callback = callback
        if isinstance(services.licence, SimulatedElectronicLicence):
            services.licence.callback = callback
        if isinstance(services.face, SimulatedFaceVerifier):
            services.face.callback = callback
        await dispatcher.start()
        await scheduler.start()
        settle_garbage_collector()
        try:
            yield
        finally:
            await scheduler.stop()
            await dispatcher.stop()
            await services.institutions.drain()
            if isinstance(services.licence, SimulatedElectronicLicence):
                await services.licence.drain()
            if isinstance(services.face, SimulatedFaceVerifier):
                await services.face.drain()
            await loopback.aclose()
            await services.broker.close()
            await engine.dispose()

    middleware = [Middleware(RequestIdMiddleware)]
    if settings.allowed_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.allowed_origins),
                allow_methods=["GET", "POST"],
                allow_headers=[
                    "authorization",
                    "content-type",
                    "accept",
                    "accept-language",
                    "x-request-id",
                ],
            )
        )
    subscriptions = SubscriptionView(schema, services, documents)

    async def metrics(_: Request) -> PlainTextResponse:
        """Prometheus text format: what this replica's subscriptions cost."""
        shared = subscriptions.shared
        lines = [
            f"gateway_shared_subscription_groups {len(shared.groups)}",
            f"gateway_shared_subscribers {shared.subscriber_count}",
            f"gateway_broker_local_subscriptions {services.broker.local_subscriptions}",
            f"gateway_session_watched_accounts {len(subscriptions.session_watch.accounts)}",
            f"gateway_session_watched_sockets {subscriptions.session_watch.sockets}",
        ]
        return PlainTextResponse("\n".join(lines) + "\n")

    app = Starlette(
        routes=[
            Route("/graphql", http.__call__, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
            WebSocketRoute("/graphql", subscriptions),
            Route(
                "/webhooks/banks/{code}", institution_webhook(services, "BANK"), methods=["POST"]
            ),
            Route(
                "/webhooks/insurers/{code}",
                institution_webhook(services, "INSURER"),
                methods=["POST"],
            ),
            Route(
                LICENCE_WEBHOOK,
                licence_webhook(services, licence_secret(settings.secret_key)),
                methods=["POST"],
            ),
            Route(
                EID_WEBHOOK,
                signed_webhook(
                    services, "EID", eid_secret(settings.secret_key), certification.face_decided
                ),
                methods=["POST"],
            ),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics),
        ],
        middleware=middleware,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.services = services
    app.state.schema = schema
    app.state.dispatcher = dispatcher
    app.state.scheduler = scheduler
    app.state.persisted = persisted
    return app


def settle_garbage_collector() -> None:
    """Move what start-up built out of the collector's sight and collect less often.

    With 1,000 live subscriptions, full collections over every long-lived object paused the
    server for 0.35-0.45 s (PERFORMANCE-NOTES §1.6); frozen start-up objects and a higher
    first-generation threshold keep status pushes under their 250 ms p99 (docs/benchmarks.md).
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD_GEN0, 20, 20)


async def _database_ready(engine: object) -> bool:
    try:
        async with engine.connect() as connection:  # type: ignore[attr-defined]
            await connection.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


def app_factory() -> Starlette:
    """For ``uvicorn --factory gateway.app:app_factory``."""
    settings = load_settings()
    configure_logging(settings.log_level)
    return create_app(settings)
