"""Every module's SQLAlchemy models, imported so `Base.metadata` knows all tables."""

import importlib

MODEL_MODULES: tuple[str, ...] = (
    "oms.auth.models",
    "oms.branding.models",
    "oms.core.audit",
    "oms.core.idempotency",
    "oms.outbox.models",
    "oms.integrations.models",
    "oms.products.models",
    "oms.workflow.models",
    "oms.orders.models",
)


def import_all_models() -> None:
    for name in MODEL_MODULES:
        importlib.import_module(name)
