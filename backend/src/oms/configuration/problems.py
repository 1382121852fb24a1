"""Problems with a document, each naming where in the document it is (`statuses[2].code`)."""

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from oms.core.errors import field_error, without_union_tags

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


def validation_problems(
    error: ValidationError, data: Any, prefix: Sequence[str | int] = ()
) -> list[Problem]:
    found = []
    for item in error.errors():
        message = str(item.get("msg", "invalid")).removeprefix("Value error, ")
        path = [*prefix, *without_union_tags(item.get("loc", ()), data)]
        found.append(problem(path, message, str(item.get("type", "value_error"))))
    return found
