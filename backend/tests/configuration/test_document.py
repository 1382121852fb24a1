"""The document on its own: YAML read with bounds, the published schema, and every problem
found in it listed at once with its path. No database."""

from pathlib import Path

import pytest

from oms.configuration import checks, yaml_text
from oms.configuration.plan import parse
from oms.configuration.service import schema_json
from oms.core.errors import InvalidFields
from tests.configuration.documents import as_yaml, edited, example, minimal

SCHEMA = Path(__file__).resolve().parents[3] / "docs" / "config.schema.json"


def _problems(text: str) -> dict[str, str]:
    with pytest.raises(InvalidFields) as refused:
        parse(text)
    return {item["field"]: item["message"] for item in refused.value.extra["errors"]}


def test_the_committed_schema_is_what_the_code_generates() -> None:
    assert SCHEMA.read_text() == schema_json(), "run `oms config schema -o docs/config.schema.json`"


@pytest.mark.parametrize("name", ["furniture", "electronics"])
def test_each_example_is_a_valid_document(name: str) -> None:
    document = parse(as_yaml(example(name)))
    assert checks.workflow_problems(document) == []
    assert checks.category_problems(document) == []
    assert checks.template_problems(document) == []


def test_aliases_are_refused_so_a_small_document_cannot_expand() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b]\n"
    with pytest.raises(yaml_text.NotADocument, match="aliases"):
        yaml_text.load(bomb)


def test_deep_nesting_and_large_documents_are_refused() -> None:
    with pytest.raises(yaml_text.NotADocument, match="deeper"):
        yaml_text.load("a: " + "[" * 40 + "]" * 40)
    with pytest.raises(yaml_text.NotADocument, match="larger"):
        yaml_text.load("a: " + "x" * (yaml_text.MAX_DOCUMENT_BYTES + 1))


def test_python_tags_are_refused() -> None:
    with pytest.raises(yaml_text.NotADocument, match="constructor"):
        yaml_text.load("a: !!python/object/apply:os.system [echo hi]")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("a:\n  b: 2024-01-01\n", "a.b: a date is not plain data"),
        ("a: [!!binary aGk=]\n", "a[0]: a bytes is not plain data"),
        ("a: .nan\n", "a: nan is not a number"),
        ("a: {1: x}\n", "a: the key 1 is not a string"),
        ('a: "x\\0y"\n', "a: the NUL character is not allowed"),
    ],
)
def test_only_plain_data_is_read(text: str, reason: str) -> None:
    with pytest.raises(yaml_text.NotADocument) as refused:
        yaml_text.load(text)
    assert str(refused.value).startswith(reason)


def test_not_yaml_is_one_problem_with_its_line() -> None:
    assert _problems("version: 1\nbranding: [\n") == {
        "(document)": "line 3, column 1: expected the node content, but found '<stream end>'"
    }


def test_every_type_problem_is_listed_with_its_path() -> None:
    document = minimal()
    document["statuses"][2]["code"] = "Done!"
    document["transitions"][0]["roles"] = ["wizard"]
    document["worker_configurations"][0]["settings"]["timeout_seconds"] = 0
    del document["categories"]
    found = _problems(as_yaml(document))
    assert set(found) == {
        "statuses[2].code",
        "transitions[0].roles[0]",
        "worker_configurations[0].settings.timeout_seconds",
        "categories",
    }


def test_an_inline_secret_is_refused() -> None:
    document = minimal()
    document["worker_configurations"][0]["settings"]["secret"] = "whsec_c2VjcmV0c2VjcmV0"
    found = _problems(as_yaml(document))
    assert "never inline" in found["worker_configurations[0].settings.secret"]
    assert "c2VjcmV0" not in found["worker_configurations[0].settings.secret"]


def test_an_unset_secret_variable_is_refused_and_a_set_one_read() -> None:
    document = parse(as_yaml(minimal()))
    _, found = checks.worker_problems(document, {})
    assert found[0]["field"] == "worker_configurations[0].settings.secret"
    assert "OMS_TEST_ERP_SECRET is not set" in found[0]["message"]
    workers, found = checks.worker_problems(
        document, {"OMS_TEST_ERP_SECRET": "whsec_" + "QUJD" * 11}
    )
    assert found == []
    assert workers[0].settings.secret == "whsec_" + "QUJD" * 11


def test_a_secret_variable_holding_no_valid_secret_is_refused_without_echoing_it() -> None:
    _, found = checks.worker_problems(parse(as_yaml(minimal())), {"OMS_TEST_ERP_SECRET": "hunter2"})
    assert found[0]["field"] == "worker_configurations[0].settings.secret"
    assert "hunter2" not in found[0]["message"]


def test_workflow_problems_each_name_their_place() -> None:
    document = edited(
        minimal(),
        statuses=[
            {"code": "new", "name": "New"},
            {"code": "lost", "name": "Lost", "terminal": True},
            {"code": "new", "name": "Again"},
        ],
        transitions=[
            {"from_status": "lost", "to_status": "new", "roles": ["admin"]},
            {"from_status": "new", "to_status": "gone", "roles": ["admin"]},
        ],
    )
    document["worker_configurations"][0]["trigger_statuses"] = ["shipped"]
    parsed = parse(as_yaml(document))
    found = {item["field"]: item["message"] for item in checks.workflow_problems(parsed)}
    assert found == {
        "statuses[2].code": "the status 'new' is listed twice",
        "statuses": "no status is initial: orders could not start",
        "transitions[0].from_status": "'lost' is terminal: no transition may leave it",
        "transitions[1].to_status": "there is no status 'gone' above",
    }
    _, workers = checks.worker_problems(parsed, {"OMS_TEST_ERP_SECRET": "whsec_" + "QUJD" * 11})
    assert workers == [
        {
            "field": "worker_configurations[0].trigger_statuses[0]",
            "in": "body",
            "message": "there is no status 'shipped' in this document",
            "type": "unknown_status",
        }
    ]


def test_a_status_no_path_reaches_is_refused() -> None:
    document = minimal()
    document["statuses"].append({"code": "limbo", "name": "Limbo", "terminal": True})
    found = checks.workflow_problems(parse(as_yaml(document)))
    assert [(item["field"], item["type"]) for item in found] == [("statuses[3]", "unreachable")]


def test_an_unusable_attribute_schema_is_refused_at_its_path() -> None:
    document = minimal()
    document["categories"][0]["attribute_schema"] = {"type": "object", "properties": {"x": 3}}
    found = checks.category_problems(parse(as_yaml(document)))
    assert [item["field"] for item in found] == ["categories[0].attribute_schema.properties.x"]
