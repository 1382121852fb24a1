"""What is wrong with a document on its own, before OMS's data is looked at: pure
functions over the parsed document and the environment."""

from collections import Counter
from collections.abc import Mapping
from typing import Any

from pydantic import TypeAdapter, ValidationError

from oms.configuration.document import SECRET_REFERENCE, ConfigDocument, WorkerEntry
from oms.configuration.problems import Problem, problem, validation_problems
from oms.integrations import service as integrations
from oms.products import service as products
from oms.workflow import service as workflow

WORKER_CONFIGURATION: TypeAdapter[Any] = TypeAdapter(integrations.WorkerConfigurationCreate)


def _duplicates(section: str, keys: list[Any], what: str, field: str) -> list[Problem]:
    seen: Counter[Any] = Counter()
    found = []
    for index, key in enumerate(keys):
        seen[key] += 1
        if seen[key] == 2:
            found.append(problem([section, index, field], f"{what} {key!r} is listed twice"))
    return found


def workflow_problems(document: ConfigDocument) -> list[Problem]:
    statuses, transitions = document.statuses, document.transitions
    codes = [status.code for status in statuses]
    found = _duplicates("statuses", codes, "the status", "code")
    index_of = {code: index for index, code in reversed(list(enumerate(codes)))}
    initial = [index for index, status in enumerate(statuses) if status.initial]
    if statuses and not initial:
        found.append(problem(["statuses"], "no status is initial: orders could not start"))
    for index in initial[1:]:
        first = statuses[initial[0]].code
        found.append(
            problem(["statuses", index, "initial"], f"only one status is initial, and {first!r} is")
        )
    for index, status in enumerate(statuses):
        if status.initial and status.terminal:
            found.append(
                problem(["statuses", index], "a status cannot be initial and terminal at once")
            )
    found += _duplicates(
        "transitions",
        [(t.from_status, t.to_status) for t in transitions],
        "the transition",
        "to_status",
    )
    for index, transition in enumerate(transitions):
        for end in ("from_status", "to_status"):
            code = getattr(transition, end)
            if code not in index_of:
                found.append(
                    problem(["transitions", index, end], f"there is no status {code!r} above")
                )
        source = index_of.get(transition.from_status)
        if source is not None and statuses[source].terminal:
            found.append(
                problem(
                    ["transitions", index, "from_status"],
                    f"{transition.from_status!r} is terminal: no transition may leave it",
                )
            )
    if found:
        return found  # the graph of a workflow with these problems would only repeat them
    for graph_problem in workflow.graph_problems(
        [workflow.GraphNode(s.code, s.initial, s.terminal) for s in statuses],
        [
            workflow.GraphEdge(t.from_status, t.to_status, frozenset(map(str, t.roles)))
            for t in transitions
        ],
    ):
        where: list[str | int] = ["statuses"]
        if graph_problem.status is not None:
            where.append(index_of[graph_problem.status])
        found.append(problem(where, graph_problem.message, graph_problem.kind.value))
    return found


def category_problems(document: ConfigDocument) -> list[Problem]:
    codes = [category.code for category in document.categories]
    found = _duplicates("categories", codes, "the category", "code")
    for index, category in enumerate(document.categories):
        wrong = products.attribute_schema_problem(category.attribute_schema)
        if wrong is not None:
            found.append(
                problem(["categories", index, *wrong["field"].split(".")], wrong["message"])
            )
    return found


def template_problems(document: ConfigDocument) -> list[Problem]:
    keys = [template.key for template in document.email_templates]
    return _duplicates("email_templates", keys, "the template", "key")


def resolved_worker(
    index: int, entry: WorkerEntry, environment: Mapping[str, str]
) -> tuple[Any, list[Problem]]:
    """The configuration as the integrations module takes it, its `${ENV_VAR}` secrets read
    from `environment` (None when it has problems), and its problems."""
    settings = entry.settings.model_dump(mode="json", exclude_none=True)
    found: list[Problem] = []
    for field in integrations.SECRET_FIELDS:
        reference = settings.get(field)
        if reference is None:
            continue
        match = SECRET_REFERENCE.fullmatch(reference)
        assert match is not None  # the document's type checked it
        value = environment.get(match.group(1))
        if not value:
            found.append(
                problem(
                    ["worker_configurations", index, "settings", field],
                    f"the environment variable {match.group(1)} is not set",
                    "secret_not_set",
                )
            )
        else:
            settings[field] = value
    if found:
        return None, found
    body = {**entry.model_dump(mode="json"), "settings": settings}
    try:
        return WORKER_CONFIGURATION.validate_python(body), []
    except ValidationError as error:
        problems = validation_problems(error, body, ["worker_configurations", index])
        for item in problems:  # never echo a secret's value
            if item["field"].endswith(tuple(f".{field}" for field in integrations.SECRET_FIELDS)):
                item["message"] = (
                    f"the secret read from the environment is not valid: {item['message']}"
                )
        return None, problems


def worker_problems(
    document: ConfigDocument, environment: Mapping[str, str]
) -> tuple[list[Any], list[Problem]]:
    """The worker configurations, secrets resolved, and every problem with them."""
    workers = document.worker_configurations
    found = _duplicates(
        "worker_configurations",
        [(worker.worker_type, worker.name) for worker in workers],
        "the configuration",
        "name",
    )
    statuses = {status.code for status in document.statuses}
    resolved = []
    for index, worker in enumerate(workers):
        for position, code in enumerate(worker.trigger_statuses):
            if code not in statuses:
                found.append(
                    problem(
                        ["worker_configurations", index, "trigger_statuses", position],
                        f"there is no status {code!r} in this document",
                        "unknown_status",
                    )
                )
        body, problems = resolved_worker(index, worker, environment)
        found += problems
        resolved.append(body)
    return resolved, found
