"""The logo and favicon a document names: a file beside the document, or a URL (OMS's own
asset URLs, as an export writes them, are recognised and not fetched)."""

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession

from oms.branding import service as branding
from oms.configuration.document import ImageSource
from oms.core.errors import ProblemError
from oms.integrations import service as integrations

FETCH_SECONDS = 10.0
CONTENT_TYPES = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
}
SUFFIXES = {
    "image/svg+xml": ".svg",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/webp": ".webp",
}
_OWN_ASSET = re.compile(re.escape(branding.ASSET_PATH) + r"([0-9a-f]{64})")


class ImageRefused(ValueError):
    """The image cannot be had, or is not one."""


@dataclass(frozen=True, slots=True)
class Image:
    """An image to show: `content` is None when OMS already has the bytes of `digest`."""

    digest: str
    content_type: str | None = None
    content: bytes | None = None


@dataclass(frozen=True, slots=True)
class ImageLimits:
    max_bytes: int
    allowed_networks: list[str]


def _from_file(name: str, folder: Path | None, limits: ImageLimits) -> Image:
    if folder is None:
        raise ImageRefused("a file is read only by `oms config import`; give a `url` here")
    base = folder.resolve()
    path = (base / name).resolve()
    if not path.is_relative_to(base):
        raise ImageRefused("the file must be in the document's folder or below it")
    content_type = CONTENT_TYPES.get(path.suffix.lower())
    if content_type is None:
        raise ImageRefused(f"the file's name must end in one of {', '.join(CONTENT_TYPES)}")
    try:
        with path.open("rb") as image:
            content = image.read(limits.max_bytes + 1)
    except OSError as error:
        raise ImageRefused(f"cannot read {name}: {error.strerror or error}") from error
    return _checked(content_type, content, limits)


def _checked(content_type: str, content: bytes, limits: ImageLimits) -> Image:
    wrong = branding.image_problem(content_type, content, max_bytes=limits.max_bytes)
    if wrong is not None:
        raise ImageRefused(wrong)
    return Image(hashlib.sha256(content).hexdigest(), content_type, content)


async def _from_url(session: AsyncSession, url: str, limits: ImageLimits) -> Image:
    own = _OWN_ASSET.fullmatch(urlsplit(url).path)
    if own is not None:
        try:
            await branding.asset(session, own.group(1))
            return Image(own.group(1))
        except ProblemError:
            pass  # another OMS's asset: fetch it like any image
    try:
        fetched = await integrations.fetch_file(
            url,
            max_bytes=limits.max_bytes,
            timeout_seconds=FETCH_SECONDS,
            allowed_networks=limits.allowed_networks,
        )
    except ValueError as error:
        raise ImageRefused(str(error)) from error
    return _checked(fetched.content_type, fetched.content, limits)


async def resolve(
    session: AsyncSession, source: ImageSource, folder: Path | None, limits: ImageLimits
) -> Image:
    if source.file is not None:
        return _from_file(source.file, folder, limits)
    assert source.url is not None
    return await _from_url(session, str(source.url), limits)
