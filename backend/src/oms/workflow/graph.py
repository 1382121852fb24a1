"""The workflow as a graph, and what is wrong with it: pure, over plain data.

The admin app draws the graph with these problems flagged, and a configuration import is
refused while any remains.
"""

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from oms.workflow.engine import Transition


@dataclass(frozen=True, slots=True)
class Node:
    code: str
    is_initial: bool
    is_terminal: bool


class ProblemKind(enum.StrEnum):
    NO_INITIAL_STATUS = "no_initial_status"
    UNREACHABLE = "unreachable"
    DEAD_END = "dead_end"
    NO_ROLE = "no_role"


@dataclass(frozen=True, slots=True)
class GraphProblem:
    kind: ProblemKind
    message: str
    status: str | None = None
    transition: tuple[str, str] | None = None


def reachable_from(start: str, transitions: Iterable[Transition]) -> set[str]:
    exits: dict[str, list[str]] = {}
    for transition in transitions:
        exits.setdefault(transition.from_status, []).append(transition.to_status)
    seen, frontier = {start}, [start]
    while frontier:
        for target in exits.get(frontier.pop(), ()):
            if target not in seen:
                seen.add(target)
                frontier.append(target)
    return seen


def problems(
    statuses: Sequence[Node], transitions: Sequence[Transition], known_roles: frozenset[str]
) -> list[GraphProblem]:
    """Each problem once, statuses in the given order: a missing initial status, statuses no
    path from it reaches, non-terminal statuses without an exit, transitions no role holds."""
    if not statuses:
        return []
    found: list[GraphProblem] = []
    initial = next((status.code for status in statuses if status.is_initial), None)
    if initial is None:
        found.append(
            GraphProblem(
                ProblemKind.NO_INITIAL_STATUS, "No status is initial: orders cannot start."
            )
        )
    reached = reachable_from(initial, transitions) if initial is not None else set()
    leaving = {transition.from_status for transition in transitions}
    for status in statuses:
        if initial is not None and status.code not in reached:
            found.append(
                GraphProblem(
                    ProblemKind.UNREACHABLE,
                    f"No path from {initial!r} reaches {status.code!r}.",
                    status=status.code,
                )
            )
        if not status.is_terminal and status.code not in leaving:
            found.append(
                GraphProblem(
                    ProblemKind.DEAD_END,
                    f"{status.code!r} is not terminal, yet no transition leaves it.",
                    status=status.code,
                )
            )
    for transition in transitions:
        if not transition.roles & known_roles:
            found.append(
                GraphProblem(
                    ProblemKind.NO_ROLE,
                    f"No role may move an order from {transition.from_status!r}"
                    f" to {transition.to_status!r}.",
                    transition=(transition.from_status, transition.to_status),
                )
            )
    return found
