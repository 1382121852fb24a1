"""What an uploaded logo or favicon must be: a PNG, JPEG or WebP that decodes, or an SVG
document without DTD or entities. Pure: bytes in, a verdict out.

An SVG may still hold scripts; OMS serves every image with a Content-Security-Policy that
forbids them (see the router), so none can run, whether the image is embedded or opened.
"""

import io
import warnings

import defusedxml.ElementTree
from defusedxml import DefusedXmlException
from PIL import Image, UnidentifiedImageError

SVG = "image/svg+xml"
RASTER_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WEBP"}
CONTENT_TYPES = frozenset({*RASTER_FORMATS, SVG})
MAX_PIXELS = 4096 * 4096
SVG_ROOT = "{http://www.w3.org/2000/svg}svg"


class NotAnImage(ValueError):
    """The bytes are not an image of the declared type."""


def check_image(content_type: str, data: bytes) -> None:
    if content_type == SVG:
        _check_svg(data)
    else:
        _check_raster(RASTER_FORMATS[content_type], data)


def _check_raster(expected: str, data: bytes) -> None:
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


def _check_svg(data: bytes) -> None:
    try:
        root = defusedxml.ElementTree.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as error:
        raise NotAnImage("an SVG may not declare a DTD or entities") from error
    except defusedxml.ElementTree.ParseError as error:
        raise NotAnImage(f"not well-formed XML: {error}") from error
    if root.tag != SVG_ROOT:
        raise NotAnImage("the document's root is not an SVG <svg> element")
