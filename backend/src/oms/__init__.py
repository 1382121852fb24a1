"""OMS, a white-label order management system."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("oms")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"
