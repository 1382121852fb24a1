"""Errors of the branding module (those of an upload that is no image: `oms.core.images`)."""

from oms.core.errors import NotFound, PreconditionFailed, ProblemError


class AssetNotFound(NotFound):
    slug = "asset-not-found"

    def __init__(self) -> None:
        super().__init__("There is no such image.")


class StaleBranding(PreconditionFailed):
    slug = "stale-branding"

    def __init__(self, current_etag: str) -> None:
        super().__init__(
            "The branding changed since you read it (If-Match does not match); read it again.",
            headers={"ETag": current_etag},
            current_etag=current_etag,
        )


class IfMatchRequired(ProblemError):
    status, slug, title = 428, "if-match-required", "Precondition Required"

    def __init__(self) -> None:
        super().__init__("Send the ETag you read as If-Match, so no one's change is lost.")
