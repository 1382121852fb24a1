"""Debian's Chromium, driven by Playwright: where it is, and how it is started."""

import os
from pathlib import Path

import pytest
from playwright.async_api import ViewportSize

from tests.database import in_ci

CHROMIUM = Path("/usr/bin/chromium")
# Headless and quiet: no GPU, no QUIC, no calls home, no first-run or sync dialogs.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = ViewportSize(width=390, height=844)
DESKTOP = ViewportSize(width=1280, height=800)


def chromium_or_skip() -> Path:
    """The browser; its absence skips the browser tests, saying why, except in CI."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    message = (
        f"{CHROMIUM} is missing: the browser tests drive Debian's Chromium "
        "(apt-get install chromium)"
    )
    if in_ci():
        pytest.fail(f"CI=true and {message}", pytrace=False)
    pytest.skip(message)
