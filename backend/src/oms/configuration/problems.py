"""Problems with a document, each naming where in the document it is (`statuses[2].code`)."""

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from oms.core.errors import field_error

Problem = dict[str, str]


def path_of(parts: Sequence[str | int]) -> str:
    """`("statuses", 2, "code")` as `statuses[2].code`."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text or "(document)"


def problem(parts: Sequence[str | int], message: str, kind: str = "value_error") -> Problem:
    return field_error(path_of(parts), message, type_=kind)


def _without_union_tags(location: Sequence[Any], document: Any) -> list[str | int]:
    """The path of `location` in `document`: pydantic puts a discriminated union's tag
    (`webhook`) into the location, though no member is named so."""
    path: list[str | int] = []
    current = document
    for part in location:
        if (
            isinstance(current, dict)
            and isinstance(part, str)
            and part not in current
            and part in {value for value in current.values() if isinstance(value, str)}
        ):
            continue
        path.append(part if isinstance(part, int) else str(part))
        if isinstance(current, dict):
            current = current.get(part)
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
        else:
            current = None
    return path


def validation_problems(
    error: ValidationError, data: Any, prefix: Sequence[str | int] = ()
) -> list[Problem]:
    found = []
    for item in error.errors():
        message = str(item.get("msg", "invalid")).removeprefix("Value error, ")
        path = [*prefix, *_without_union_tags(item.get("loc", ()), data)]
        found.append(problem(path, message, str(item.get("type", "value_error"))))
    return found
