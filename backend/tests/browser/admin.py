"""What the admin app's browser tests share: signing in to `/admin/` and its navigation."""

import re

from playwright.async_api import Locator, Page, expect

from tests.browser.server import DEMO_PASSWORD


async def sign_in_to_admin(
    page: Page, email: str, password: str = DEMO_PASSWORD, *, path: str = "/admin/"
) -> None:
    """Opens `path` of the admin app, is sent to its sign-in form, signs in and waits for
    the page to be back at `path`."""
    await page.goto(path)
    await page.wait_for_url(re.compile(r"/admin/sign-in"))
    await page.get_by_label(re.compile("^Email")).fill(email)
    await page.get_by_label(re.compile("^Password")).fill(password)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(re.compile(r"/admin(/(?!sign-in)[^?]*)?(\?.*)?$"))


def navigation(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Sections")


async def expect_sections(page: Page, shown: list[str], hidden: list[str]) -> None:
    nav = navigation(page)
    for name in shown:
        await expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    for name in hidden:
        await expect(nav.get_by_role("link", name=name, exact=True)).to_have_count(0)
