"""Every module's SQLAlchemy models, imported so `Base.metadata` knows all tables."""

import importlib

MODEL_MODULES: tuple[str, ...] = (
    "oms.auth.models",
    "oms.events.models",
    "oms.products.models",
)


def import_all_models() -> None:
    for name in MODEL_MODULES:
        importlib.import_module(name)
