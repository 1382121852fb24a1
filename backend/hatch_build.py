"""Puts the built apps into the wheel: `frontend/<app>/dist` becomes `oms/web/<app>`.

An app that is not built is left out (OMS then answers its paths with a 404 saying so);
an editable install serves them from the checkout instead.
"""

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

APPS = ("customer", "admin")


class WebAppsBuildHook(BuildHookInterface):
    PLUGIN_NAME = "web-apps"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        frontend = Path(self.root).parent / "frontend"
        for app in APPS:
            dist = frontend / app / "dist"
            if (dist / "index.html").is_file():
                build_data["force_include"][str(dist)] = f"oms/web/{app}"
