"""Errors of the configuration import."""

from collections.abc import Sequence

from oms.core.errors import ProblemError


class UnsupportedDocumentType(ProblemError):
    status, slug, title = 415, "unsupported-document-type", "Unsupported Media Type"

    def __init__(self, content_type: str, supported: Sequence[str]) -> None:
        super().__init__(
            f"A configuration document is sent as {', '.join(supported)}, not"
            f" {content_type or 'without a Content-Type'}.",
            supported=list(supported),
        )
