"""Errors of the workflow engine."""

from collections.abc import Sequence

from oms.core.errors import Conflict, NotFound, Unprocessable


class StatusNotFound(NotFound):
    slug = "status-not-found"

    def __init__(self, code: str) -> None:
        super().__init__(f"There is no order status {code!r}.", status_code=code)


class UnknownStatus(Unprocessable):
    """A body names an order status that does not exist (a transition's end, say)."""

    slug = "unknown-status"

    def __init__(self, code: str) -> None:
        super().__init__(f"There is no order status {code!r}.", status_code=code)


class TransitionNotFound(NotFound):
    slug = "transition-not-found"

    def __init__(self) -> None:
        super().__init__("There is no such transition.")


class StatusCodeTaken(Conflict):
    slug = "status-code-taken"

    def __init__(self, code: str) -> None:
        super().__init__(f"An order status {code!r} already exists.", status_code=code)


class TransitionExists(Conflict):
    slug = "transition-exists"

    def __init__(self, from_status: str, to_status: str) -> None:
        super().__init__(
            f"The transition {from_status!r} → {to_status!r} already exists.",
            from_status=from_status,
            to_status=to_status,
        )


class StatusInUse(Conflict):
    slug = "status-in-use"

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(f"The order status {code!r} is in use: {reason}.", status_code=code)


class TerminalStatusHasNoExit(Conflict):
    slug = "terminal-status"

    def __init__(self, code: str) -> None:
        super().__init__(
            f"The order status {code!r} is terminal: no transition may leave it.",
            status_code=code,
        )


class InitialStatusRequired(Conflict):
    slug = "initial-status-required"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)


class WorkflowLimitReached(Conflict):
    """Statuses and transitions are listed unpaged, so there may only be so many."""

    slug = "workflow-limit-reached"

    def __init__(self, what: str, limit: int) -> None:
        super().__init__(
            f"A workflow has at most {limit} {what}; delete one before adding another.",
            limit=limit,
        )


class InitialStatusChanged(Conflict):
    """Two requests made different statuses initial at once; the database kept one."""

    slug = "initial-status-changed"

    def __init__(self) -> None:
        super().__init__("Another initial status was set at the same time; try again.")


class WorkflowNotConfigured(Conflict):
    slug = "workflow-not-configured"

    def __init__(self) -> None:
        super().__init__("No initial order status is configured; an admin must create one.")


class TransitionNotAllowed(Conflict):
    """The caller may not move an order from `current` to `requested`; `allowed_targets`
    lists where they may move it instead."""

    slug = "transition-not-allowed"

    def __init__(self, current: str, requested: str, allowed_targets: Sequence[str]) -> None:
        allowed = ", ".join(allowed_targets) or "none"
        super().__init__(
            f"An order in status {current!r} cannot be moved to {requested!r} by you;"
            f" allowed targets: {allowed}.",
            current_status=current,
            requested_status=requested,
            allowed_targets=list(allowed_targets),
        )
