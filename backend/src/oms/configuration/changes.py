"""A change an import makes, as JSON for the API and as a readable line for the CLI:
`+ status returned`, `~ status shipped: customer_name "Shipped" -> "On its way"`,
`- transition new -> cancelled`."""

import json
from dataclasses import dataclass
from typing import Any, Literal

Op = Literal["add", "remove", "change"]
SIGNS: dict[Op, str] = {"add": "+", "remove": "-", "change": "~"}
MAX_VALUE_CHARACTERS = 80


@dataclass(frozen=True, slots=True)
class Change:
    op: Op
    kind: str
    """What changes: `status`, `transition`, `category`, `worker`, `template`, `branding`."""
    key: str
    field: str | None = None
    before: Any = None
    after: Any = None

    @property
    def path(self) -> str:
        section = {
            "status": "statuses",
            "transition": "transitions",
            "category": "categories",
            "worker": "worker_configurations",
            "template": "email_templates",
            "branding": "branding",
        }[self.kind]
        parts = [section, self.key] if self.key else [section]
        return ".".join([*parts, self.field] if self.field else parts)

    def line(self) -> str:
        subject = f"{self.kind} {self.key}".rstrip()
        if self.op != "change":
            return f"{SIGNS[self.op]} {subject}"
        return f"~ {subject}: {self.field} {_shown(self.before)} -> {_shown(self.after)}"


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if len(text) > MAX_VALUE_CHARACTERS:
        return text[: MAX_VALUE_CHARACTERS - 1] + "…"
    return text


def field_changes(
    kind: str, key: str, before: dict[str, Any], after: dict[str, Any]
) -> list[Change]:
    """One `change` per member that differs, in the order of `after`."""
    return [
        Change("change", kind, key, name, before.get(name), after.get(name))
        for name in dict.fromkeys([*after, *before])
        if before.get(name) != after.get(name)
    ]
