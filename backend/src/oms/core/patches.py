"""Partial updates (PATCH bodies): the fields sent change, those left out stay.

A field that may not be null is typed `X | None` so that "left out" has a value, yet the
document shows `null` only where a patch may really send it (`NULLABLE`), and a null sent
for any other field is refused naming it.
"""

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator
from pydantic.config import JsonDict

_NULL = {"type": "null"}


def null_only_where_allowed(schema: JsonDict, model: type[BaseModel]) -> None:
    """The document shows `null` only for the fields a patch may set to null."""
    nullable: frozenset[str] = getattr(model, "NULLABLE", frozenset())
    properties = schema.get("properties")
    assert isinstance(properties, dict)
    for name, member in properties.items():
        if name in nullable or not isinstance(member, dict):
            continue
        variants = member.get("anyOf")
        if not isinstance(variants, list) or _NULL not in variants:
            continue
        others = [variant for variant in variants if variant != _NULL]
        del member["anyOf"]
        if "default" in member and member["default"] is None:
            del member["default"]
        only = others[0] if len(others) == 1 else None
        if isinstance(only, dict):
            member.update(only)
        else:
            member["anyOf"] = others


class Patch(BaseModel):
    """A partial update: absent fields stay; `null` only where `NULLABLE` allows it."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=null_only_where_allowed)

    NULLABLE: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*")
    @classmethod
    def _no_null_for_required_fields(cls, value: Any, info: ValidationInfo) -> Any:
        # Defaults are not validated: this sees only a null that was sent.
        if value is None and info.field_name not in cls.NULLABLE:
            raise ValueError("cannot be null; leave it out to keep it")
        return value

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True)
