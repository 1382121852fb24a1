"""Product attributes: category schemas, validation against them, and attribute filters.

Pure functions over plain data (no database), so the rules are tested on their own.
"""

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError, ValidationError
from referencing import Registry
from referencing.exceptions import Unresolvable

from oms.products.errors import (
    DocumentTooLarge,
    InvalidAttributeFilter,
    InvalidAttributes,
    InvalidAttributeSchema,
    UnusableAttributeSchema,
)

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

ATTRIBUTE_FILTER_PREFIX = "attr."
MAX_ATTRIBUTE_FILTERS = 20
MAX_FILTER_VALUE_LENGTH = 200
# A JSON number, exactly as JSON writes it: the token is spliced into the JSON document
# as is, so `?attr.width_cm=80.50` compares numerically without a detour through float.
_JSON_NUMBER = re.compile(r"-?(?:0|[1-9]\d{0,30})(?:\.\d{1,30})?(?:[eE][+-]?\d{1,3})?")
_PATH_SEGMENT = re.compile(r"[A-Za-z0-9_\-]{1,64}")


# No retrieval: a `$ref` OMS cannot resolve within the schema (or the meta-schemas) is
# refused, never fetched from the network.
_OFFLINE = Registry()
# One of each JSON type: what a trial validation runs a referencing subschema against.
_TRIAL_INSTANCES: tuple[Any, ...] = ({}, [], "", 0, 0.5, True, None)


@dataclass(frozen=True, slots=True)
class DocumentLimits:
    """Bytes (of compact UTF-8 JSON) a category's schema and a product's attributes may take."""

    schema_bytes: int
    attributes_bytes: int


def check_size(document: Any, field: str, max_bytes: int) -> None:
    """Raise `DocumentTooLarge` when `document` as compact JSON passes `max_bytes`."""
    size = len(json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode())
    if size > max_bytes:
        raise DocumentTooLarge(field, size, max_bytes)


def _validator(schema: Mapping[str, Any], *, formats: bool = False) -> Draft202012Validator:
    checker = Draft202012Validator.FORMAT_CHECKER if formats else None
    return Draft202012Validator(schema, registry=_OFFLINE, format_checker=checker)


def _referencing_subschemas(schema: Any) -> Iterator[Mapping[str, Any]]:
    pending = [schema]
    while pending:
        node = pending.pop()
        if isinstance(node, Mapping):
            if "$ref" in node or "$dynamicRef" in node:
                yield node
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)


def _path(prefix: str, parts: Iterable[Any]) -> str:
    return ".".join([prefix, *(str(part) for part in parts)])


def check_attribute_schema(schema: Mapping[str, Any]) -> None:
    """Raise `InvalidAttributeSchema` unless `schema` is a usable JSON Schema 2020-12.

    References are resolved lazily, so each subschema holding one is tried against a value
    of every JSON type: a `$ref` OMS cannot load, or one that leads back to itself without
    consuming any of the value (which no validator can finish), is refused now rather than
    when a product is saved.
    """
    dialect = schema.get("$schema")
    if dialect is not None and dialect != SCHEMA_DIALECT:
        raise InvalidAttributeSchema(
            f"`$schema` must be {SCHEMA_DIALECT!r} or absent", "attribute_schema.$schema"
        )
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as error:
        raise InvalidAttributeSchema(
            error.message, _path("attribute_schema", error.absolute_path)
        ) from error
    validator = _validator(schema)
    try:
        for subschema in [schema, *_referencing_subschemas(schema)]:
            trial = validator.evolve(schema=subschema)
            for instance in _TRIAL_INSTANCES:
                list(trial.iter_errors(instance))
    except Unresolvable as error:
        raise InvalidAttributeSchema(
            f"unresolvable reference: {error}", "attribute_schema"
        ) from error
    except RecursionError as error:
        raise InvalidAttributeSchema(
            "a `$ref` leads back to itself without descending into the value",
            "attribute_schema",
        ) from error


def _extra_properties(error: ValidationError) -> list[str]:
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    declared = set(schema.get("properties", {}))
    patterns = [re.compile(pattern) for pattern in schema.get("patternProperties", {})]
    instance = error.instance if isinstance(error.instance, Mapping) else {}
    return sorted(
        name
        for name in instance
        if name not in declared and not any(pattern.search(name) for pattern in patterns)
    )


def _field_errors(error: ValidationError) -> list[tuple[str, str]]:
    at = list(error.absolute_path)
    required = error.validator_value
    if error.validator == "required" and isinstance(error.instance, Mapping):
        assert isinstance(required, list)
        missing = [name for name in required if name not in error.instance]
        return [(_path("attributes", [*at, name]), "is required") for name in missing]
    if error.validator == "additionalProperties":
        extras = _extra_properties(error)
        if extras:
            return [(_path("attributes", [*at, name]), "is not allowed") for name in extras]
    return [(_path("attributes", at), error.message)]


def attribute_errors(
    category_code: str, schema: Mapping[str, Any], attributes: Mapping[str, Any]
) -> list[dict[str, str]]:
    """What is wrong with `attributes` under `schema`: `[{field, message}]`, empty if valid.

    Each error names the attribute (`attributes.width_cm`), also for a missing required one.
    """
    validator = _validator(schema, formats=True)
    found: dict[str, str] = {}
    try:
        for error in validator.iter_errors(attributes):
            for field, message in _field_errors(error):
                found.setdefault(field, message)
    except Unresolvable as error:
        raise UnusableAttributeSchema(category_code, str(error)) from error
    except RecursionError as error:  # a cycle only some values reach
        raise UnusableAttributeSchema(category_code, "a `$ref` loops") from error
    return [{"field": field, "message": found[field]} for field in sorted(found)]


def validate_attributes(
    category_code: str, schema: Mapping[str, Any], attributes: Mapping[str, Any]
) -> None:
    errors = attribute_errors(category_code, schema, attributes)
    if errors:
        raise InvalidAttributes(category_code, errors)


def _candidates(value: str) -> list[str]:
    """The JSON values a query string value may stand for, as JSON text.

    `true`/`false`/`null` and numbers match both the typed value and the same text as a
    string (a SKU-like attribute such as `"model": "2020"` is still found); anything else
    matches only as a string.
    """
    as_string = json.dumps(value)
    if value in ("true", "false", "null") or _JSON_NUMBER.fullmatch(value):
        return [value, as_string]
    return [as_string]


def _nest(path: list[str], value_json: str) -> str:
    document = value_json
    for segment in reversed(path):
        document = "{" + json.dumps(segment) + ":" + document + "}"
    return document


def attribute_filters(params: Iterable[tuple[str, str]]) -> list[list[str]]:
    """`attr.<name>=<value>` query parameters as JSONB containment documents (JSON text).

    The result is a list of groups: every group must match (AND), and a group matches
    when the product's attributes contain any one of its documents (OR). Repeating a
    name (`attr.color=red&attr.color=blue`) gives one group of alternatives. A dotted name
    (`attr.dimensions.width`) reaches into nested objects.
    """
    groups: dict[str, list[str]] = {}
    for name, value in params:
        if not name.startswith(ATTRIBUTE_FILTER_PREFIX):
            continue
        path = name[len(ATTRIBUTE_FILTER_PREFIX) :].split(".")
        if not all(_PATH_SEGMENT.fullmatch(segment) for segment in path):
            raise InvalidAttributeFilter(
                name, "attribute names are letters, digits, `_` and `-`, dot-separated"
            )
        if len(value) > MAX_FILTER_VALUE_LENGTH:
            raise InvalidAttributeFilter(name, f"at most {MAX_FILTER_VALUE_LENGTH} characters")
        alternatives = groups.setdefault(name, [])
        alternatives.extend(_nest(path, candidate) for candidate in _candidates(value))
        if sum(len(group) for group in groups.values()) > MAX_ATTRIBUTE_FILTERS * 2:
            raise InvalidAttributeFilter(name, f"at most {MAX_ATTRIBUTE_FILTERS} values")
    return list(groups.values())
