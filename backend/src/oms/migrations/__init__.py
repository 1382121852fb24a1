"""Alembic migrations of the OMS schema, inside the package so `oms migrate` works anywhere."""
