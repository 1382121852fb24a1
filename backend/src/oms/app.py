"""The OMS web application: `create_app()` wires settings, database, routers and error handling."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

from oms import __version__, monitoring
from oms.audit.router import router as audit_router
from oms.auth import router as auth_router
from oms.auth import service as auth
from oms.auth import users_router
from oms.branding.router import router as branding_router
from oms.configuration.router import router as configuration_router
from oms.core import metrics
from oms.core.audit import AuditContextMiddleware
from oms.core.client_timeouts import BodyTimeoutMiddleware
from oms.core.db import create_engine, create_sessionmaker
from oms.core.errors import install_error_handlers
from oms.core.health import database_check
from oms.core.health import router as health_router
from oms.core.idempotency import install_idempotency
from oms.core.metrics import MetricsMiddleware
from oms.core.openapi import install_openapi, operation_id
from oms.core.outage import install_outage_handling, watch_database_recovery
from oms.core.rate_limits import RateLimiter
from oms.core.request_context import RequestContextMiddleware
from oms.core.request_guard import RequestGuardMiddleware
from oms.core.security_headers import SecurityHeadersMiddleware
from oms.core.settings import Settings, get_settings
from oms.core.web_apps import install_web_apps
from oms.dashboard.router import router as dashboard_router
from oms.integrations.router import router as integrations_router
from oms.monitoring import Backlogs
from oms.orders.addresses_router import router as addresses_router
from oms.orders.customers_router import router as customers_router
from oms.orders.notes_router import router as order_notes_router
from oms.orders.router import router as orders_router
from oms.outbox import router as outbox_router
from oms.outbox import service as outbox
from oms.products.router import images_router as product_images_router
from oms.products.router import router as products_router
from oms.workflow.router import router as workflow_router

API_PREFIX = "/api/v1"


def create_app(settings: Settings | None = None, *, database_url: str | None = None) -> FastAPI:
    """Build the app; `database_url` overrides the settings (the embedded server's, say)."""
    settings = settings or get_settings()
    url = database_url or settings.database_url
    if url is None:
        raise ValueError("create_app needs a database URL: set OMS_DATABASE_URL or use `oms run`")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(
            url,
            pool_size=settings.db_pool_size,
            max_overflow=settings.db_max_overflow,
            connect_timeout=settings.db_connect_timeout,
            statement_timeout=settings.db_statement_timeout,
            pool_timeout=settings.db_pool_timeout,
        )
        watch_database_recovery(app, engine)
        metrics.process_started()
        metrics.watch_pool(engine, "api", limit=settings.db_pool_size + settings.db_max_overflow)
        app.state.engine = engine
        app.state.sessions = create_sessionmaker(engine)
        app.state.health_checks = {"database": database_check(engine)}
        app.state.health_checks.update(outbox.health_checks(settings))
        app.state.backlogs = Backlogs(app.state.sessions, settings)
        app.state.keys = auth.KeyStore(app.state.sessions)
        app.state.token_verifier = auth.token_verifier(
            settings, app.state.keys, app.state.sessions, engine.url
        )
        app.state.token_verifier.start()
        app.state.order_events = outbox.OrderEventHub(engine.url, app.state.sessions)
        app.state.order_events.start()
        try:
            yield
        finally:
            await app.state.order_events.close()
            await app.state.token_verifier.aclose()
            await engine.dispose()
            metrics.process_exited()

    app = FastAPI(
        title="OMS",
        version=__version__,
        summary="White-label order management system",
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        lifespan=lifespan,
        generate_unique_id_function=operation_id,
    )
    app.state.settings = settings
    app.state.rate_limiter = RateLimiter()
    install_error_handlers(app)
    install_outage_handling(app)
    install_idempotency(app)
    # Added first, so it runs inside the request context: refusals get a request id and a log line.
    app.add_middleware(
        RequestGuardMiddleware,
        max_body_bytes=settings.max_body_bytes,
        max_json_depth=settings.max_json_depth,
    )
    app.add_middleware(BodyTimeoutMiddleware, seconds=settings.client_body_timeout)
    app.add_middleware(RequestContextMiddleware)
    app.add_middleware(AuditContextMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    # Outermost: every answer is counted, refusals of the middleware above included.
    app.add_middleware(MetricsMiddleware)
    app.include_router(health_router)
    app.include_router(auth_router.well_known_router)
    app.include_router(outbox_router.public_router)
    app.include_router(monitoring.router)
    app.include_router(_api_router())
    install_openapi(app)
    install_web_apps(app, settings)
    return app


def _api_router() -> APIRouter:
    router = APIRouter(prefix=API_PREFIX)
    router.include_router(auth_router.router)
    router.include_router(users_router.router)
    router.include_router(branding_router)
    router.include_router(products_router)
    router.include_router(product_images_router)
    router.include_router(integrations_router)
    router.include_router(workflow_router)
    router.include_router(orders_router)
    router.include_router(order_notes_router)
    router.include_router(addresses_router)
    router.include_router(customers_router)
    router.include_router(audit_router)
    router.include_router(configuration_router)
    router.include_router(dashboard_router)
    return router
