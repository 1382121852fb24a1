"""What an uploaded image (a logo, a favicon, a product's picture) must be: a PNG, JPEG or
WebP that decodes, or an SVG document without DTD or entities; and how OMS serves them.

An SVG may still hold scripts; OMS serves every image with a Content-Security-Policy that
forbids them (`IMAGE_HEADERS`), so none can run, whether the image is embedded or opened.
"""

import io
import warnings
from collections.abc import Collection
from dataclasses import dataclass

import defusedxml.ElementTree
from defusedxml import DefusedXmlException
from PIL import Image, UnidentifiedImageError

from oms.core.errors import ProblemError

SVG = "image/svg+xml"
RASTER_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WEBP"}
CONTENT_TYPES = frozenset({*RASTER_FORMATS, SVG})
MAX_PIXELS = 4096 * 4096
SVG_ROOT = "{http://www.w3.org/2000/svg}svg"


# Every image is served under a policy that lets no script run, even an SVG's own, opened
# on its own; its URL is its digest, so it may be cached for good.
IMAGE_HEADERS = {
    "Cache-Control": "public, max-age=31536000, immutable",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    "X-Content-Type-Options": "nosniff",
}


class NotAnImage(ValueError):
    """The bytes are not an image of the declared type."""


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


@dataclass(frozen=True, slots=True)
class Size:
    width: int
    height: int


def check_image(content_type: str, data: bytes) -> Size | None:
    """Raise `NotAnImage` unless `data` is an image of `content_type`; a raster image's size
    (None for an SVG)."""
    if content_type == SVG:
        _check_svg(data)
        return None
    return _check_raster(RASTER_FORMATS[content_type], data)


def image_refusal(
    what: str, content_type: str, data: bytes, *, max_bytes: int, allowed: Collection[str]
) -> ProblemError | None:
    """Why `data` cannot be uploaded as `what` (a 415, 413 or 400 problem), if it cannot."""
    if content_type not in allowed:
        return UnsupportedImageType(content_type, sorted(allowed))
    if len(data) > max_bytes:
        return ImageTooLarge(max_bytes)
    try:
        check_image(content_type, data)
    except NotAnImage as error:
        return InvalidImage(f"The {what} is not a valid {content_type} image: {error}.")
    return None


def _check_raster(expected: str, data: bytes) -> Size:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                found, (width, height) = image.format, image.size
                image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise NotAnImage(f"not a readable {expected} image") from error
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        raise NotAnImage("the image has too many pixels") from error
    if found != expected:
        raise NotAnImage(f"the bytes are a {found} image, not {expected}")
    if width * height > MAX_PIXELS:
        raise NotAnImage(f"{width}x{height} pixels is more than {MAX_PIXELS:,}")
    return Size(width, height)


def _check_svg(data: bytes) -> None:
    try:
        root = defusedxml.ElementTree.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as error:
        raise NotAnImage("an SVG may not declare a DTD or entities") from error
    except defusedxml.ElementTree.ParseError as error:
        raise NotAnImage(f"not well-formed XML: {error}") from error
    if root.tag != SVG_ROOT:
        raise NotAnImage("the document's root is not an SVG <svg> element")
