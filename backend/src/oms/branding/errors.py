"""Errors of the branding module."""

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


class UnsupportedImageType(ProblemError):
    status, slug, title = 415, "unsupported-image-type", "Unsupported Media Type"

    def __init__(self, content_type: str, allowed: list[str]) -> None:
        super().__init__(
            f"{content_type or 'No Content-Type'} is not an accepted image type.",
            allowed=allowed,
        )


class ImageTooLarge(ProblemError):
    status, slug, title = 413, "image-too-large", "Content Too Large"

    def __init__(self, limit: int) -> None:
        super().__init__(f"An image may have at most {limit:,} bytes.", limit=limit)


class InvalidImage(ProblemError):
    status, slug, title = 400, "invalid-image", "Invalid image"
