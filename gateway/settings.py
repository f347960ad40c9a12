"""Settings read from environment variables, with safe defaults for the embedded mode.

The embedded mode (``GATEWAY_ENV=embedded``, the default) runs on a SQLite file, the
in-process broker and the simulators, and exposes the development view. Production
(``GATEWAY_ENV=production``) refuses to start while any secret still has its default value.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

Environment = Literal["embedded", "production"]

DEFAULT_SECRET_KEY = "embedded-development-secret-change-me"
DEFAULT_DATA_DIR = Path(".data")


class SettingsError(RuntimeError):
    """The configuration cannot be used (for example, default secrets in production)."""


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(value: str | None, default: int) -> int:
    return int(value) if value not in (None, "") else default


@dataclass(frozen=True, slots=True)
class Settings:
    environment: Environment = "embedded"
    data_dir: Path = DEFAULT_DATA_DIR
    database_url: str = ""
    redis_url: str = ""
    redis_prefix: str = "gateway:events:"
    secret_key: str = DEFAULT_SECRET_KEY
    host: str = "127.0.0.1"
    port: int = 8000
    graphiql: bool = True
    log_level: str = "INFO"
    # Embedded mode: deliveries the simulated banks and insurers refuse (final) or cannot take
    # (retried), as CODE:KIND lists (``BOC:LOAN_SUBMIT,PAIC:*``), to produce the give-up paths.
    simulated_refusals: str = ""
    simulated_outages: str = ""
    session_ttl_seconds: int = 8 * 3600
    max_document_bytes: int = 20_000
    # Bodies (docs/architecture.md, "Connection and body limits"): a JSON body of /graphql and
    # of the webhooks; a multipart upload in all, and each file in it (the largest file any
    # field takes: a seal scan, 20 MiB; smaller per-field limits are the resolvers').
    max_request_bytes: int = 1_000_000
    max_upload_bytes: int = 21 * 1024 * 1024
    max_upload_file_bytes: int = 20 * 1024 * 1024
    # Connections (gateway/server.py): a request head must be complete within this many seconds
    # and bytes; a kept-alive connection idle this long after a response is closed; past
    # ``max_connections`` open connections (WebSockets included) requests get 503 (0: no limit).
    header_timeout_seconds: float = 10.0
    max_head_bytes: int = 64 * 1024
    keep_alive_timeout_seconds: int = 5
    max_connections: int = 0
    max_depth: int = 12
    max_cost: int = 50_000
    max_aliases: int = 30
    sms_http_url: str = ""
    profile_sync_url: str = ""
    credit_url: str = ""
    identity_url: str = ""
    registry_url: str = ""
    commerce_url: str = ""
    licence_url: str = ""
    # Where the e-licence service calls back (the gateway's public address + /webhooks/e-licence).
    licence_callback_url: str = ""
    # HN-5: the mini-program's credentials and the eID (face verification) service.
    wechat_app_id: str = ""
    wechat_app_secret: str = ""
    eid_url: str = ""
    eid_callback_url: str = ""
    # How often the quota-expiry job looks for quotas past their expiry date.
    quota_expiry_interval_seconds: float = 300.0
    # How often the risk monitor refreshes the credit records of open orders' applicants.
    credit_monitoring_interval_seconds: float = 3600.0
    card_trust_roots: str = ""
    card_crl: str = ""
    password_time_cost: int = 2
    password_memory_kib: int = 19_456
    login_max_failures: int = 5
    login_lock_seconds: int = 15 * 60
    # The SMS provider's interval between two messages to one number (Alibaba 60 s, Tencent 30 s).
    code_resend_seconds: int = 60
    allowed_origins: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def development_view(self) -> bool:
        """The development view (sent messages, open captchas) exists only when embedded."""
        return not self.is_production

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'gateway.sqlite3').resolve()}"

    @property
    def is_sqlite(self) -> bool:
        return self.effective_database_url.startswith("sqlite")

    def with_overrides(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

    def check(self) -> None:
        """Refuse configurations that must never run."""
        if self.is_production:
            if self.secret_key == DEFAULT_SECRET_KEY or len(self.secret_key) < 32:
                raise SettingsError(
                    "GATEWAY_SECRET_KEY must be set to a random value of at least 32 characters "
                    "in production"
                )
            if not self.database_url:
                raise SettingsError("DATABASE_URL must be set in production")
            if not self.card_trust_roots:
                raise SettingsError(
                    "GATEWAY_CARD_TRUST_ROOTS must name the card issuer's CA certificates "
                    "in production"
                )


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    environment = env.get("GATEWAY_ENV", "embedded")
    if environment not in ("embedded", "production"):
        raise SettingsError(f"GATEWAY_ENV must be 'embedded' or 'production', not {environment!r}")
    production = environment == "production"
    origins = tuple(o for o in env.get("GATEWAY_ALLOWED_ORIGINS", "").split(",") if o)
    return Settings(
        environment=environment,  # type: ignore[arg-type]
        data_dir=Path(env.get("GATEWAY_DATA_DIR", str(DEFAULT_DATA_DIR))),
        database_url=env.get("DATABASE_URL", ""),
        redis_url=env.get("REDIS_URL", ""),
        redis_prefix=env.get("GATEWAY_REDIS_PREFIX", "gateway:events:"),
        secret_key=env.get("GATEWAY_SECRET_KEY", DEFAULT_SECRET_KEY),
        host=env.get("HOST", "127.0.0.1"),
        port=_int(env.get("PORT"), 8000),
        graphiql=_bool(env.get("GATEWAY_GRAPHIQL"), not production),
        log_level=env.get("GATEWAY_LOG_LEVEL", "INFO"),
        simulated_refusals=env.get("GATEWAY_SIMULATED_REFUSALS", ""),
        simulated_outages=env.get("GATEWAY_SIMULATED_OUTAGES", ""),
        session_ttl_seconds=_int(env.get("GATEWAY_SESSION_TTL"), 8 * 3600),
        max_request_bytes=_int(env.get("GATEWAY_MAX_REQUEST_BYTES"), 1_000_000),
        max_upload_bytes=_int(env.get("GATEWAY_MAX_UPLOAD_BYTES"), 21 * 1024 * 1024),
        max_upload_file_bytes=_int(env.get("GATEWAY_MAX_UPLOAD_FILE_BYTES"), 20 * 1024 * 1024),
        header_timeout_seconds=float(env.get("GATEWAY_HEADER_TIMEOUT") or 10.0),
        max_head_bytes=_int(env.get("GATEWAY_MAX_HEAD_BYTES"), 64 * 1024),
        keep_alive_timeout_seconds=_int(env.get("GATEWAY_KEEP_ALIVE_TIMEOUT"), 5),
        max_connections=_int(env.get("GATEWAY_MAX_CONNECTIONS"), 0),
        sms_http_url=env.get("GATEWAY_SMS_URL", ""),
        profile_sync_url=env.get("GATEWAY_PROFILE_SYNC_URL", ""),
        credit_url=env.get("GATEWAY_CREDIT_URL", ""),
        identity_url=env.get("GATEWAY_IDENTITY_URL", ""),
        registry_url=env.get("GATEWAY_REGISTRY_URL", ""),
        commerce_url=env.get("GATEWAY_COMMERCE_URL", ""),
        licence_url=env.get("GATEWAY_LICENCE_URL", ""),
        licence_callback_url=env.get("GATEWAY_LICENCE_CALLBACK_URL", ""),
        wechat_app_id=env.get("GATEWAY_WECHAT_APP_ID", ""),
        wechat_app_secret=env.get("GATEWAY_WECHAT_APP_SECRET", ""),
        eid_url=env.get("GATEWAY_EID_URL", ""),
        eid_callback_url=env.get("GATEWAY_EID_CALLBACK_URL", ""),
        quota_expiry_interval_seconds=float(env.get("GATEWAY_QUOTA_EXPIRY_INTERVAL", "300")),
        credit_monitoring_interval_seconds=float(
            env.get("GATEWAY_CREDIT_MONITORING_INTERVAL", "3600")
        ),
        card_trust_roots=env.get("GATEWAY_CARD_TRUST_ROOTS", ""),
        card_crl=env.get("GATEWAY_CARD_CRL", ""),
        password_time_cost=_int(env.get("GATEWAY_PASSWORD_TIME_COST"), 2),
        code_resend_seconds=_int(env.get("GATEWAY_CODE_RESEND_SECONDS"), 60),
        password_memory_kib=_int(env.get("GATEWAY_PASSWORD_MEMORY_KIB"), 19_456),
        allowed_origins=origins,
    )
