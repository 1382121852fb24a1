"""The attribute rules on their own: schema checks, error paths, filter documents."""

import json
from typing import Any

import pytest

from oms.products.attributes import (
    attribute_errors,
    attribute_filters,
    check_attribute_schema,
)
from oms.products.errors import InvalidAttributeFilter, InvalidAttributeSchema

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "material": {"enum": ["oak", "steel"]},
        "width_cm": {"type": "number", "minimum": 1},
        "size": {
            "type": "object",
            "properties": {"depth": {"type": "integer"}},
            "required": ["depth"],
        },
        "tags": {"type": "array", "items": {"type": "string"}},
        "made_on": {"type": "string", "format": "date"},
    },
    "required": ["material", "width_cm"],
    "additionalProperties": False,
}


def test_valid_attributes_have_no_errors() -> None:
    assert attribute_errors("c", SCHEMA, {"material": "oak", "width_cm": 1.5}) == []


def test_each_error_names_the_attribute_path() -> None:
    errors = attribute_errors(
        "c",
        SCHEMA,
        {
            "width_cm": 0,
            "size": {"depth": "deep"},
            "tags": ["ok", 3],
            "extra": 1,
            "made_on": "2026-13-45",
        },
    )

    fields = [error["field"] for error in errors]
    assert fields == [
        "attributes.extra",
        "attributes.made_on",
        "attributes.material",
        "attributes.size.depth",
        "attributes.tags.1",
        "attributes.width_cm",
    ]
    assert (
        dict(zip(fields, [e["message"] for e in errors], strict=True))["attributes.material"]
        == "is required"
    )


def test_a_missing_nested_required_attribute_is_named() -> None:
    errors = attribute_errors("c", SCHEMA, {"material": "oak", "width_cm": 2, "size": {}})

    assert errors == [{"field": "attributes.size.depth", "message": "is required"}]


@pytest.mark.parametrize(
    ("schema", "field"),
    [
        ({"type": "thing"}, "attribute_schema.type"),
        ({"properties": {"a": {"minimum": "one"}}}, "attribute_schema.properties.a.minimum"),
        ({"required": "a"}, "attribute_schema.required"),
        ({"properties": {"a": {"pattern": "("}}}, "attribute_schema.properties.a.pattern"),
    ],
)
def test_invalid_schemas_are_refused_with_their_path(schema: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidAttributeSchema) as raised:
        check_attribute_schema(schema)

    assert raised.value.extra["errors"][0]["field"] == field


def test_a_local_reference_is_fine() -> None:
    check_attribute_schema(
        {"$defs": {"cm": {"type": "number"}}, "properties": {"w": {"$ref": "#/$defs/cm"}}}
    )


def test_filters_become_containment_documents() -> None:
    groups = attribute_filters(
        [
            ("attr.color", "red"),
            ("q", "ignored"),
            ("attr.width_cm", "80.50"),
            ("attr.color", "blue"),
            ("attr.size.depth", "true"),
        ]
    )

    assert [[json.loads(doc) for doc in group] for group in groups] == [
        [{"color": "red"}, {"color": "blue"}],
        [{"width_cm": 80.5}, {"width_cm": "80.50"}],
        [{"size": {"depth": True}}, {"size": {"depth": "true"}}],
    ]
    # The number is spliced in as written, never through a float.
    assert groups[1][0] == '{"width_cm":80.50}'


@pytest.mark.parametrize("value", ["1.", "01", "+1", "0x10", "NaN", "1e", "--1"])
def test_values_that_are_not_json_numbers_match_as_strings(value: str) -> None:
    assert attribute_filters([("attr.a", value)]) == [
        [json.dumps({"a": value}, separators=(",", ":"))]
    ]


@pytest.mark.parametrize("name", ["attr.", "attr.a..b", "attr.a b", 'attr.a"b'])
def test_malformed_filter_names_are_refused(name: str) -> None:
    with pytest.raises(InvalidAttributeFilter):
        attribute_filters([(name, "x")])


def test_too_many_filter_values_are_refused() -> None:
    with pytest.raises(InvalidAttributeFilter):
        attribute_filters([("attr.a", str(number)) for number in range(25)])
