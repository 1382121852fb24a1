"""The workflow rules, as pure functions: no database."""

import pytest

from oms.workflow.engine import Transition, allowed_targets, check_transition
from oms.workflow.errors import TransitionNotAllowed

STAFF = frozenset({"admin", "manager"})
EVERYONE = STAFF | {"customer"}

DEMO = [
    Transition("new", "confirmed", STAFF),
    Transition("new", "cancelled", EVERYONE),
    Transition("confirmed", "processing", STAFF),
    Transition("confirmed", "cancelled", STAFF),
    Transition("processing", "shipped", STAFF),
    Transition("shipped", "delivered", STAFF),
    Transition("delivered", "returned", STAFF),
]


def test_staff_may_confirm_or_cancel_a_new_order() -> None:
    assert allowed_targets("new", {"manager"}, DEMO) == ["confirmed", "cancelled"]


def test_customer_may_only_cancel_a_new_order() -> None:
    assert allowed_targets("new", {"customer"}, DEMO) == ["cancelled"]


def test_customer_cannot_cancel_a_confirmed_order() -> None:
    assert allowed_targets("confirmed", {"customer"}, DEMO) == []
    with pytest.raises(TransitionNotAllowed) as caught:
        check_transition("confirmed", "cancelled", {"customer"}, DEMO)
    assert caught.value.status == 409
    assert caught.value.extra["allowed_targets"] == []


def test_a_refused_move_names_the_allowed_targets() -> None:
    with pytest.raises(TransitionNotAllowed) as caught:
        check_transition("new", "shipped", {"admin"}, DEMO)
    assert caught.value.extra == {
        "current_status": "new",
        "requested_status": "shipped",
        "allowed_targets": ["confirmed", "cancelled"],
    }


def test_nothing_leaves_a_terminal_status() -> None:
    assert allowed_targets("cancelled", EVERYONE, DEMO) == []


def test_no_roles_means_no_moves() -> None:
    assert allowed_targets("new", set(), DEMO) == []


def test_a_move_to_the_same_status_is_refused() -> None:
    with pytest.raises(TransitionNotAllowed):
        check_transition("new", "new", {"admin"}, DEMO)


def test_an_allowed_move_passes() -> None:
    check_transition("delivered", "returned", {"manager"}, DEMO)


def test_duplicate_transitions_give_one_target() -> None:
    doubled = [*DEMO, Transition("new", "cancelled", STAFF)]
    assert allowed_targets("new", {"admin"}, doubled) == ["confirmed", "cancelled"]
