"""The built apps the browser tests run against, gathered in one `OMS_WEB_DIR`.

Once `frontend/` holds the apps' sources, they must be built (`make test` builds them); a
checkout without them serves a minimal stand-in customer app, so the harness itself is
tested: its script runs under the apps' Content-Security-Policy and reads the API.
"""

from pathlib import Path

import pytest

from tests.database import BACKEND_DIR

FRONTEND = BACKEND_DIR.parent / "frontend"
APPS = ("customer", "admin")

STAND_IN_INDEX = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>OMS</title>
    <link rel="icon" href="data:,">
    <script type="module" src="/assets/index-abc123.js"></script>
  </head>
  <body><div id="root"></div></body>
</html>
"""
STAND_IN_SCRIPT = """const root = document.getElementById("root");
const response = await fetch("/api/v1/branding", { headers: { Accept: "application/json" } });
const branding = await response.json();
const main = document.createElement("main");
const heading = document.createElement("h1");
heading.textContent = branding.shop_name;
const note = document.createElement("p");
note.textContent = "Served by OMS.";
main.append(heading, note);
document.title = branding.shop_name;
root.append(main);
"""


def _stand_in_customer_app(directory: Path) -> None:
    (directory / "assets").mkdir(parents=True)
    (directory / "index.html").write_text(STAND_IN_INDEX)
    (directory / "assets" / "index-abc123.js").write_text(STAND_IN_SCRIPT)


def gather_web_apps(web_dir: Path) -> Path:
    """`web_dir` with `customer/` and `admin/` linked to their builds (or the stand-in)."""
    web_dir.mkdir(parents=True, exist_ok=True)
    if not (FRONTEND / "package.json").is_file():
        _stand_in_customer_app(web_dir / "customer")
        return web_dir
    for app in APPS:
        dist = FRONTEND / app / "dist"
        if (dist / "index.html").is_file():
            (web_dir / app).symlink_to(dist, target_is_directory=True)
        elif (FRONTEND / app).is_dir():
            pytest.fail(
                f"the {app} app is not built ({dist} is missing): `make test` builds it, "
                "or run `npm run build` in frontend/",
                pytrace=False,
            )
    return web_dir
