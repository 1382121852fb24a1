"""What a browser test checks on a page: no serious accessibility violation (axe-core), and a
full-page screenshot a person can look at."""

import re
from pathlib import Path
from typing import Any

from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Page

from tests.database import BACKEND_DIR

SCREENSHOTS = BACKEND_DIR / "test-output" / "screenshots"
FAILING_IMPACTS = frozenset({"serious", "critical"})
_axe = Axe()


def _describe(violation: dict[str, Any]) -> str:
    lines = [f"- {violation['id']} ({violation['impact']}): {violation['help']}"]
    lines.append(f"  {violation['helpUrl']}")
    for node in violation["nodes"]:
        lines.append(f"  at {', '.join(map(str, node['target']))}: {node['html'][:200]}")
        lines.extend(f"    {node['failureSummary']}".splitlines()[:6])
    return "\n".join(lines)


async def check_accessibility(page: Page, *, context: str | None = None) -> None:
    """Fails on any serious or critical axe-core violation of the page (or `context`, a
    CSS selector), naming each one, where and how to fix it."""
    results = await _axe.run(page, context=context)
    failing = [v for v in results.response["violations"] if v["impact"] in FAILING_IMPACTS]
    if failing:
        report = "\n".join(_describe(violation) for violation in failing)
        raise AssertionError(
            f"{len(failing)} serious or critical accessibility violation(s) on {page.url}:\n"
            f"{report}"
        )


async def screenshot(page: Page, name: str) -> Path:
    """The whole page as `test-output/screenshots/<name>.png`."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    await page.screenshot(path=str(path), full_page=True)
    return path
