"""The workflow rules as pure functions over plain data: no database, no framework.

A transition may be performed by a caller holding at least one of its roles. The service
loads the transitions and passes them here; these functions decide.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from oms.workflow.errors import TransitionNotAllowed


@dataclass(frozen=True, slots=True)
class Transition:
    from_status: str
    to_status: str
    roles: frozenset[str]


def allowed_targets(
    current: str, roles: Iterable[str], transitions: Iterable[Transition]
) -> list[str]:
    """The statuses a caller with `roles` may move an order in `current` to, in the order
    the transitions are given, without duplicates."""
    held = frozenset(roles)
    targets: list[str] = []
    for transition in transitions:
        if (
            transition.from_status == current
            and transition.roles & held
            and transition.to_status not in targets
        ):
            targets.append(transition.to_status)
    return targets


def check_transition(
    current: str, target: str, roles: Iterable[str], transitions: Iterable[Transition]
) -> None:
    """Raise `TransitionNotAllowed` (naming the allowed targets) unless the move is allowed."""
    allowed = allowed_targets(current, roles, transitions)
    if target not in allowed:
        raise TransitionNotAllowed(current, target, allowed)
