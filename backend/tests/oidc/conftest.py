"""Fixtures of the OpenID Connect tests: a real OpenID provider (`tests.oidc_provider`) and a
real OMS API process trusting it."""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.oidc_provider import Account, running_oidc_provider
from tests.processes import start_api

# Where the customer app would receive the code; nothing needs to listen there.
CUSTOMER_REDIRECT = "http://localhost:5173/auth/callback"
ADMIN_REDIRECT = "http://localhost:5174/admin/auth/callback"
CUSTOMER = Account("cora@example.com", "cora's passphrase 1", ("customer",), "Cora Customer")
ADMIN = Account("ada@example.com", "ada's passphrase 12", ("admin",), "Ada Admin")


@dataclass(frozen=True)
class OidcSetup:
    issuer: str
    api: str


@pytest.fixture
def issuer() -> Iterator[str]:
    with running_oidc_provider([CUSTOMER_REDIRECT, ADMIN_REDIRECT], [CUSTOMER, ADMIN]) as url:
        yield url


@pytest.fixture
def oidc(issuer: str, database_url: str, clean_database: None) -> Iterator[OidcSetup]:
    api, process = start_api(
        database_url,
        OMS_AUTH_MODE="oidc",
        OMS_OIDC_ISSUER=issuer,
        OMS_OIDC_AUDIENCE="oms-api",
        OMS_OIDC_CUSTOMER_CLIENT_ID="oms-customer",
        OMS_OIDC_ADMIN_CLIENT_ID="oms-admin",
    )
    try:
        yield OidcSetup(issuer=issuer, api=api)
    finally:
        process.terminate()
        process.wait(30)
