"""Product attributes: category schemas, validation against them, and attribute filters.

Pure functions over plain data (no database), so the rules are tested on their own.
"""

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
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


class AttributeChecker:
    """`attribute_errors` for many products of one category: the schema's validator is built
    once, which is most of the cost of checking one product."""

    def __init__(self, category_code: str, schema: Mapping[str, Any]) -> None:
        self.category_code = category_code
        self._validator = _validator(schema, formats=True)

    def errors(self, attributes: Mapping[str, Any]) -> list[dict[str, str]]:
        """What is wrong with `attributes`: `[{field, message}]`, empty if valid; raises
        `UnusableAttributeSchema` when the schema cannot be applied to them."""
        found: dict[str, str] = {}
        try:
            for error in self._validator.iter_errors(attributes):
                for field, message in _field_errors(error):
                    found.setdefault(field, message)
        except Unresolvable as error:
            raise UnusableAttributeSchema(self.category_code, str(error)) from error
        except RecursionError as error:  # a cycle only some values reach
            raise UnusableAttributeSchema(self.category_code, "a `$ref` loops") from error
        return [{"field": field, "message": found[field]} for field in sorted(found)]

    def accepts(self, attributes: Mapping[str, Any]) -> bool:
        """Whether `attributes` are valid: quicker than `errors`, which finds every error."""
        try:
            return bool(self._validator.is_valid(attributes))
        except Unresolvable as error:
            raise UnusableAttributeSchema(self.category_code, str(error)) from error
        except RecursionError as error:
            raise UnusableAttributeSchema(self.category_code, "a `$ref` loops") from error


def attribute_errors(
    category_code: str, schema: Mapping[str, Any], attributes: Mapping[str, Any]
) -> list[dict[str, str]]:
    """What is wrong with `attributes` under `schema`: `[{field, message}]`, empty if valid.

    Each error names the attribute (`attributes.width_cm`), also for a missing required one.
    """
    return AttributeChecker(category_code, schema).errors(attributes)


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


# The `attributes` query parameter: a JSON object checked against the category's schema.

ATTRIBUTE_QUERY = "attributes"
MAX_ATTRIBUTE_QUERY_LENGTH = 2000
_SCALAR_TYPES = {"string": (str,), "boolean": (bool,), "number": (int, Decimal), "integer": (int,)}


@dataclass(frozen=True, slots=True)
class AttributeRange:
    """`min <= attributes[name] <= max` for a number attribute (either bound may be open)."""

    name: str
    min: Decimal | None
    max: Decimal | None


@dataclass(frozen=True, slots=True)
class AttributeQuery:
    """Containment groups (each must match, by containing any of its documents) and ranges."""

    groups: list[list[str]]
    ranges: list[AttributeRange]


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _parse_query(text: str) -> dict[str, Any]:
    if len(text) > MAX_ATTRIBUTE_QUERY_LENGTH:
        raise InvalidAttributeFilter(
            ATTRIBUTE_QUERY, f"at most {MAX_ATTRIBUTE_QUERY_LENGTH} characters"
        )
    try:
        parsed = json.loads(text, parse_float=Decimal, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as error:
        raise InvalidAttributeFilter(ATTRIBUTE_QUERY, "is not valid JSON") from error
    if not isinstance(parsed, dict):
        raise InvalidAttributeFilter(ATTRIBUTE_QUERY, "must be a JSON object")
    if len(parsed) > MAX_ATTRIBUTE_FILTERS:
        raise InvalidAttributeFilter(ATTRIBUTE_QUERY, f"at most {MAX_ATTRIBUTE_FILTERS} attributes")
    return parsed


def _json_type(value: Any) -> str | None:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, Decimal):
        return "integer" if value == value.to_integral_value() else "number"
    if isinstance(value, str):
        return "string"
    return None


def _declared_types(property_schema: Any) -> set[str] | None:
    """The JSON types a property may have, from its `type` or its `enum` / `const`; None when
    the schema says nothing of them."""
    if not isinstance(property_schema, Mapping):
        return None
    declared = property_schema.get("type")
    if isinstance(declared, str):
        return {declared}
    if isinstance(declared, list):
        return {kind for kind in declared if isinstance(kind, str)}
    values = property_schema.get("enum")
    if "const" in property_schema:
        values = [property_schema["const"]]
    if isinstance(values, list):
        return {kind for value in values if (kind := _json_type(value)) is not None}
    return None


def _fits(value: Any, types: set[str] | None) -> bool:
    kind = _json_type(value)
    if kind is None:
        return False
    if types is None:
        return True
    return kind in types or (kind == "integer" and "number" in types)


def _value_json(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)
    return json.dumps(value)


def _type_names(types: set[str] | None) -> str:
    return " or ".join(sorted(types)) if types else "a string, number or boolean"


def _number_bound(name: str, bounds: Mapping[str, Any], key: str) -> Decimal | None:
    value = bounds.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise InvalidAttributeFilter(f"{ATTRIBUTE_QUERY}.{name}", f"`{key}` must be a number")
    return Decimal(value)


def _range(name: str, bounds: Mapping[str, Any], types: set[str] | None) -> AttributeRange:
    field = f"{ATTRIBUTE_QUERY}.{name}"
    if not types or not types & {"number", "integer"}:
        raise InvalidAttributeFilter(field, "a range (`min`, `max`) needs a number attribute")
    if not bounds or set(bounds) - {"min", "max"}:
        raise InvalidAttributeFilter(field, 'a range is `{"min": n, "max": n}`')
    low, high = _number_bound(name, bounds, "min"), _number_bound(name, bounds, "max")
    if low is None and high is None:
        raise InvalidAttributeFilter(field, "a range needs `min`, `max` or both")
    return AttributeRange(name, low, high)


def attribute_query(text: str, schema: Mapping[str, Any]) -> AttributeQuery:
    """The `attributes` query parameter (`{"color": "red", "material": ["oak", "pine"],
    "width_cm": {"min": 40, "max": 90}}`) checked against the category's `schema`: each
    name must be one of its `properties`, each value of the type the schema gives it.

    Values become JSONB containment documents, compared exactly (numbers are spliced in as
    JSON writes them); ranges become typed comparisons. Raises `InvalidAttributeFilter`
    naming `attributes.<name>` (or `attributes` for a malformed whole).
    """
    properties = schema.get("properties")
    declared: Mapping[str, Any] = properties if isinstance(properties, Mapping) else {}
    groups: list[list[str]] = []
    ranges: list[AttributeRange] = []
    values = 0
    for name, wanted in _parse_query(text).items():
        field = f"{ATTRIBUTE_QUERY}.{name}"
        if name not in declared:
            raise InvalidAttributeFilter(field, "the category's schema has no such attribute")
        types = _declared_types(declared[name])
        if types is not None and not types & set(_SCALAR_TYPES):
            raise InvalidAttributeFilter(field, f"cannot filter on a {_type_names(types)}")
        if isinstance(wanted, dict):
            ranges.append(_range(name, wanted, types))
            continue
        alternatives = wanted if isinstance(wanted, list) else [wanted]
        if not alternatives:
            raise InvalidAttributeFilter(field, "give at least one value")
        values += len(alternatives)
        if values > MAX_ATTRIBUTE_FILTERS * 2:
            raise InvalidAttributeFilter(field, f"at most {MAX_ATTRIBUTE_FILTERS * 2} values")
        for value in alternatives:
            if not _fits(value, types):
                raise InvalidAttributeFilter(field, f"must be {_type_names(types)}")
        groups.append([_nest([name], _value_json(value)) for value in alternatives])
    return AttributeQuery(groups, ranges)
