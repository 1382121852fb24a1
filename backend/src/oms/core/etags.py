"""Entity tags from a version number, and the conditional-request checks (RFC 9110 §13).

OMS's tags are strong (`"3"`): the representation changes only with the version.
"""


def etag(version: int) -> str:
    return f'"{version}"'


def _tags(header: str) -> list[str]:
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def if_match_passes(header: str | None, version: int) -> bool:
    """If-Match uses the strong comparison: a weak tag never matches."""
    if header is None:
        return True
    tags = _tags(header)
    return "*" in tags or etag(version) in tags


def if_none_match_passes(header: str | None, version: int) -> bool:
    """False when the client's copy is current (answer 304); weak comparison."""
    if header is None:
        return True
    tags = [tag.removeprefix("W/") for tag in _tags(header)]
    return not ("*" in tags or etag(version) in tags)
