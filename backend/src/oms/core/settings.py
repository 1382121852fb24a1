"""Deployment settings, read from `OMS_*` environment variables and an optional `.env` file."""

import ipaddress
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from oms.core.rate_limits import check_limits


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="OMS_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    database_url: str | None = Field(
        default=None,
        description="PostgreSQL URL; unset means an embedded server in the data dir.",
    )
    data_dir: Path = Field(default=Path(".oms"), description="Where OMS keeps local state.")
    host: str = "127.0.0.1"
    port: int = Field(default=3000, ge=1, le=65535)
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    log_format: Literal["json", "console"] = "json"
    db_pool_size: int = Field(default=10, ge=1, le=500)
    db_max_overflow: int = Field(default=10, ge=0, le=500)
    db_connect_timeout: float = Field(
        default=5.0, gt=0, description="Seconds to open a database connection before giving up."
    )
    db_statement_timeout: float = Field(
        default=15.0,
        gt=0,
        description="Seconds one database statement may take before it is abandoned.",
    )
    db_pool_timeout: float = Field(
        default=5.0, gt=0, description="Seconds a request waits for a free database connection."
    )
    client_header_timeout: float = Field(
        default=10.0, gt=0, description="Seconds a client has to send a request's headers."
    )
    client_body_timeout: float = Field(
        default=30.0, gt=0, description="Seconds a client has to send a request's whole body."
    )
    shutdown_timeout: int = Field(
        default=20, gt=0, description="Seconds in-flight requests get to finish on SIGTERM."
    )
    max_body_bytes: int = Field(
        default=1024 * 1024, ge=1024, description="Largest request body the API reads (bytes)."
    )
    max_image_bytes: int = Field(
        default=512 * 1024,
        ge=1024,
        description="Largest logo or favicon (bytes); at most `max_body_bytes` is ever read.",
    )
    max_json_depth: int = Field(
        default=32,
        ge=2,
        le=256,
        description="Deepest nesting of arrays and objects in a JSON body.",
    )
    max_attribute_schema_bytes: int = Field(
        default=64 * 1024, ge=2, description="Largest category attribute schema (bytes of JSON)."
    )
    max_attributes_bytes: int = Field(
        default=16 * 1024, ge=2, description="Largest attributes of one product (bytes of JSON)."
    )
    web_dir: Path | None = Field(
        default=None,
        description="Where the built apps are: a directory with `customer/` and `admin/`; unset "
        "means those inside the installed package, else `frontend/*/dist` in a checkout.",
    )
    config_file: Path | None = Field(
        default=None,
        description="A configuration document (docs/configuration.md) applied at start-up.",
    )
    public_url: str = Field(
        default="http://localhost:3000",
        description="Where users reach OMS; the issuer of its own tokens.",
    )

    # Identity: OMS's own token issuer ("local") or an external OpenID provider ("oidc").
    auth_mode: Literal["local", "oidc"] = "local"
    jwt_audience: str = "oms-api"
    jwt_algorithms: list[Literal["RS256", "RS384", "RS512", "ES256", "ES384", "PS256"]] = ["RS256"]
    access_token_ttl: int = Field(default=300, ge=30, le=3600, description="Seconds.")
    refresh_token_ttl: int = Field(default=14 * 24 * 3600, ge=300, description="Seconds.")
    registration_enabled: bool = True
    oidc_issuer: str | None = Field(
        default=None,
        validate_default=True,
        description="The OpenID provider's issuer URL (e.g. https://sso.example.com/realms/oms).",
    )
    oidc_audience: str | None = None
    oidc_customer_client_id: str = Field(
        default="oms-customer",
        min_length=1,
        description="The OpenID provider's client id of the customer app (a public client).",
    )
    oidc_admin_client_id: str = Field(
        default="oms-admin",
        min_length=1,
        description="The OpenID provider's client id of the admin app (a public client).",
    )
    password_reset_ttl: int = Field(
        default=3600,
        ge=60,
        le=7 * 24 * 3600,
        description="Seconds a password-reset link works.",
    )
    oidc_roles_claim: str = Field(
        default="realm_access.roles", description="Dotted path to the roles list in a token."
    )
    demo_password: str | None = None
    # Brute-force protection of the built-in login (state in PostgreSQL, shared by replicas).
    # Failures count per account and client address together, so a stranger's wrong
    # passwords never pause the owner's sign-in from elsewhere.
    login_max_failures: int = Field(
        default=5,
        ge=1,
        description="Failed logins for one account from one client address before sign-in "
        "from there pauses.",
    )
    login_max_failures_per_address: int = Field(
        default=30,
        ge=1,
        description="Failed logins from one client address, any accounts, before sign-in "
        "from there pauses.",
    )
    login_failure_window: int = Field(
        default=900, ge=1, description="Seconds within which failures are counted."
    )
    login_backoff_initial: int = Field(
        default=2, ge=1, description="Seconds of the first pause; each further failure doubles it."
    )
    login_backoff_max: int = Field(default=900, ge=1, description="Longest pause (seconds).")
    # Request rate limits, counted per API process (see `oms.core.rate_limits`), as
    # `10/minute` or `10/minute;100/hour`; empty switches one off.
    rate_limit_password_checks_per_address: str = Field(
        default="20/minute",
        description="Requests that check a password (sign-in, password change) per client address.",
    )
    rate_limit_password_checks_per_user: str = Field(
        default="10/minute", description="Password changes per signed-in user."
    )
    rate_limit_password_resets_per_email: str = Field(
        default="5/hour", description="Password-reset requests per email address."
    )
    rate_limit_orders_per_user: str = Field(
        default="60/minute", description="Orders placed per signed-in user."
    )
    rate_limit_orders_per_address: str = Field(
        default="600/minute", description="Orders placed per client address, all users together."
    )
    trusted_proxies: str = Field(
        default="127.0.0.1",
        description="Comma-separated addresses (or `*`) of proxies whose X-Forwarded-For names "
        "the client address.",
    )
    oidc_jwks_min_refresh_interval: float = Field(
        default=30.0,
        ge=0,
        description="Seconds between JWKS refetches caused by an unknown key id.",
    )
    user_state_cache_ttl: float = Field(
        default=10.0,
        ge=0,
        description="Seconds an API process trusts what it read of a user's active flag and "
        "token version, should it miss the notification of a change.",
    )
    oidc_user_cache_ttl: float = Field(
        default=60.0,
        ge=0,
        description="Seconds a token's user is trusted without re-reading the database.",
    )

    @field_validator("oidc_issuer")
    @classmethod
    def _oidc_needs_an_issuer(cls, value: str | None, info: ValidationInfo) -> str | None:
        value = value or None
        if info.data.get("auth_mode") == "oidc" and value is None:
            raise ValueError("required when OMS_AUTH_MODE=oidc")
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError("must be an http(s) URL")
        return value

    # Events: RabbitMQ when `amqp_url` is set, else the embedded PostgreSQL-backed queue.
    amqp_url: str | None = Field(default=None, description="amqp:// URL of RabbitMQ.")
    retry_delays: Annotated[list[float], NoDecode] = Field(
        default=[10.0, 60.0, 300.0],
        description="Seconds before each retry of a failed worker action (comma-separated).",
    )
    queue_visibility_timeout: float = Field(
        default=60.0, gt=0, description="Seconds a taken embedded-queue message stays hidden."
    )
    relay_poll_interval: float = Field(
        default=2.0, gt=0, description="Seconds between outbox polls when no NOTIFY arrives."
    )
    smtp_url: str | None = Field(
        default=None,
        description="smtp://user:pass@host:port?starttls=true or smtps://; unset keeps mail in "
        "the database (sent-mail view).",
    )
    smtp_from: str = "OMS <no-reply@localhost>"
    webhook_allowed_networks: Annotated[list[str], NoDecode] = Field(
        default=[], description="CIDRs webhooks may reach despite being private or loopback."
    )

    # Operations: the relay's and workers' own port, metrics, error monitoring.
    health_port: int = Field(
        default=9000,
        ge=0,
        le=65535,
        description="Port of a relay's or worker's `/health/live`, `/health` and `/metrics` "
        "(on OMS_HOST); 0 switches it off.",
    )
    metrics_token: SecretStr | None = Field(
        default=None,
        description="When set, the API's `GET /metrics` needs `Authorization: Bearer <token>`.",
    )
    sentry_dsn: SecretStr | None = Field(
        default=None, description="Sentry DSN; errors are reported there when set."
    )
    sentry_environment: str = Field(
        default="production",
        min_length=1,
        max_length=64,
        description="The `environment` of what is reported to Sentry.",
    )
    sentry_traces_sample_rate: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="Share of requests and messages traced to Sentry; unset traces none.",
    )

    @field_validator("metrics_token", "sentry_dsn", mode="before")
    @classmethod
    def _blank_secret_is_unset(cls, value: object) -> object:
        return value or None

    @field_validator("sentry_dsn")
    @classmethod
    def _sentry_dsn_is_a_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith(("https://", "http://")):
            raise ValueError("must be an http(s):// Sentry DSN")
        return value

    @field_validator(
        "rate_limit_password_checks_per_address",
        "rate_limit_password_checks_per_user",
        "rate_limit_password_resets_per_email",
        "rate_limit_orders_per_user",
        "rate_limit_orders_per_address",
    )
    @classmethod
    def _rate_limits_parse(cls, value: str) -> str:
        return check_limits(value)

    @field_validator("retry_delays", "webhook_allowed_networks", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("retry_delays")
    @classmethod
    def _delays_are_positive(cls, value: list[float]) -> list[float]:
        if any(delay <= 0 for delay in value):
            raise ValueError("delays must be positive seconds")
        return value

    @field_validator("webhook_allowed_networks")
    @classmethod
    def _networks_are_cidrs(cls, value: list[str]) -> list[str]:
        for item in value:
            ipaddress.ip_network(item, strict=False)
        return value

    @field_validator("amqp_url", "smtp_url")
    @classmethod
    def _blank_is_unset(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("amqp_url")
    @classmethod
    def _amqp_scheme(cls, value: str | None) -> str | None:
        if value and not value.startswith(("amqp://", "amqps://")):
            raise ValueError("must be an amqp:// or amqps:// URL")
        return value

    @field_validator("smtp_url")
    @classmethod
    def _smtp_scheme(cls, value: str | None) -> str | None:
        if value and not value.startswith(("smtp://", "smtps://")):
            raise ValueError("must be an smtp:// or smtps:// URL")
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url_is_postgres(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith(("postgresql://", "postgresql+asyncpg://", "postgres://")):
            raise ValueError("must be a postgresql:// URL")
        return value


@lru_cache
def get_settings() -> Settings:
    return Settings()
