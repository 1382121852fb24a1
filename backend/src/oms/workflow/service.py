"""The workflow module's public interface.

Other modules call `initial_status`, `allowed_targets` and `check_transition`; the rules
themselves live in `oms.workflow.engine`. The rest configures statuses and transitions.
"""

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from oms.auth import service as auth
from oms.core import audit
from oms.core.db_errors import violations_as
from oms.core.errors import Conflict, ProblemError
from oms.workflow import engine, graph, repository
from oms.workflow.errors import (
    InitialStatusChanged,
    InitialStatusRequired,
    StatusCodeTaken,
    StatusInUse,
    StatusNotFound,
    TerminalStatusHasNoExit,
    TransitionExists,
    TransitionNotFound,
    UnknownStatus,
    WorkflowLimitReached,
    WorkflowNotConfigured,
)
from oms.workflow.models import OrderStatus, OrderStatusTransition
from oms.workflow.schemas import (
    CustomerStatusRead,
    GraphProblemRead,
    StatusCode,
    StatusCreate,
    StatusRead,
    StatusUpdate,
    TransitionCreate,
    TransitionRead,
    TransitionUpdate,
    WorkflowGraph,
)

__all__ = [
    "MAX_STATUSES",
    "MAX_TRANSITIONS",
    "GraphEdge",
    "GraphNode",
    "StatusCode",
    "StatusCreate",
    "StatusInfo",
    "StatusRead",
    "StatusUpdate",
    "TransitionCheck",
    "TransitionCreate",
    "TransitionRead",
    "TransitionUpdate",
    "allowed_targets",
    "check_transition",
    "graph_problems",
    "initial_status",
    "status_info",
    "unknown_statuses",
]


# Statuses and transitions are listed unpaged (an admin edits the workflow as a whole), so
# their number is capped when one is created.
MAX_STATUSES = 100
MAX_TRANSITIONS = 1_000


@dataclass(frozen=True, slots=True)
class StatusInfo:
    """What other modules may know of a status."""

    code: str
    name: str
    colour: str
    is_terminal: bool
    releases_stock: bool


@dataclass(frozen=True, slots=True)
class TransitionCheck:
    """An allowed move: where the order is and where it goes."""

    source: StatusInfo
    target: StatusInfo


def _info(row: OrderStatus) -> StatusInfo:
    return StatusInfo(
        code=row.code,
        name=row.name,
        colour=row.colour,
        is_terminal=row.is_terminal,
        releases_stock=row.releases_stock,
    )


def _rule(row: OrderStatusTransition) -> engine.Transition:
    return engine.Transition(row.from_status, row.to_status, frozenset(row.roles))


# --- used by the orders and integrations modules -------------------------------------


async def status_info(session: AsyncSession, code: str) -> StatusInfo | None:
    row = await repository.status(session, code)
    return _info(row) if row is not None else None


async def unknown_statuses(session: AsyncSession, codes: Sequence[str]) -> list[str]:
    """Those of `codes` that are not statuses of the workflow, in the order given."""
    known = {row.code for row in await repository.statuses(session)}
    return [code for code in dict.fromkeys(codes) if code not in known]


async def initial_status(session: AsyncSession) -> StatusInfo:
    row = await repository.initial_status(session)
    if row is None:
        raise WorkflowNotConfigured()
    return _info(row)


async def allowed_targets(
    session: AsyncSession, status: str, principal: auth.Principal
) -> list[StatusInfo]:
    """The statuses `principal` may move an order in `status` to, by position."""
    exits = await repository.exits(session, status)
    allowed = set(engine.allowed_targets(status, principal.roles, (_rule(t) for t, _ in exits)))
    return [_info(target) for _, target in exits if target.code in allowed]


async def check_transition(
    session: AsyncSession, current: str, target: str, principal: auth.Principal
) -> TransitionCheck:
    """Raise `TransitionNotAllowed` (409, naming the allowed targets) unless `principal`
    may move an order from `current` to `target`."""
    exits = await repository.exits(session, current)
    engine.check_transition(current, target, principal.roles, (_rule(t) for t, _ in exits))
    source = await repository.status(session, current)
    if source is None:  # the FK from orders keeps this from happening
        raise StatusNotFound(current)
    destination = next(row for _, row in exits if row.code == target)
    return TransitionCheck(source=_info(source), target=_info(destination))


# --- statuses ---------------------------------------------------------------------------


async def list_statuses(session: AsyncSession) -> list[StatusRead]:
    return [StatusRead.model_validate(row) for row in await repository.statuses(session)]


async def list_customer_statuses(session: AsyncSession) -> list[CustomerStatusRead]:
    return [
        CustomerStatusRead(
            code=row.code,
            name=row.customer_name or row.name,
            description=row.customer_description,
            colour=row.colour,
            is_terminal=row.is_terminal,
            position=row.position,
        )
        for row in await repository.statuses(session)
    ]


GraphNode = graph.Node
GraphEdge = engine.Transition


def graph_problems(
    statuses: Sequence[GraphNode], transitions: Sequence[GraphEdge]
) -> list[graph.GraphProblem]:
    """What would strand an order in this workflow (see `oms.workflow.graph`)."""
    return graph.problems(statuses, transitions, frozenset(str(role) for role in auth.Role))


async def workflow_graph(session: AsyncSession) -> WorkflowGraph:
    statuses = await repository.statuses(session)
    transitions = await repository.transitions(session)
    ids = {(row.from_status, row.to_status): row.id for row in transitions}
    found = graph_problems(
        [graph.Node(row.code, row.is_initial, row.is_terminal) for row in statuses],
        [_rule(row) for row in transitions],
    )
    return WorkflowGraph(
        statuses=[StatusRead.model_validate(row) for row in statuses],
        transitions=[TransitionRead.model_validate(row) for row in transitions],
        problems=[
            GraphProblemRead(
                kind=problem.kind,
                message=problem.message,
                status=problem.status,
                transition_id=ids[problem.transition] if problem.transition else None,
            )
            for problem in found
        ],
    )


async def get_status(session: AsyncSession, code: str) -> StatusRead:
    return StatusRead.model_validate(await _status_row(session, code))


async def _status_row(session: AsyncSession, code: str, *, lock: bool = False) -> OrderStatus:
    row = await repository.status(session, code, lock=lock)
    if row is None:
        raise StatusNotFound(code)
    return row


async def create_status(session: AsyncSession, data: StatusCreate) -> StatusRead:
    await _ensure_below_cap(session, "statuses", repository.count_statuses, MAX_STATUSES)
    if await repository.status(session, data.code) is not None:
        raise StatusCodeTaken(data.code)
    current_initial = await repository.initial_status(session)
    is_initial = data.is_initial or current_initial is None
    if is_initial and data.is_terminal:
        raise _initial_terminal(data.code)
    if is_initial:
        await repository.clear_initial_flag(session, except_code=data.code)
    position = (
        data.position if data.position is not None else await repository.next_position(session)
    )
    row = OrderStatus(
        code=data.code,
        name=data.name,
        customer_name=data.customer_name,
        customer_description=data.customer_description,
        colour=data.colour,
        is_initial=is_initial,
        is_terminal=data.is_terminal,
        releases_stock=data.releases_stock,
        position=position,
    )
    async with violations_as(session, _status_refusals(data.code)):
        await repository.add(session, row)
    created = StatusRead.model_validate(row)
    audit.record(
        session, action="status.created", entity="status", entity_id=row.code, after=created
    )
    return created


async def update_status(session: AsyncSession, code: str, data: StatusUpdate) -> StatusRead:
    row = await _status_row(session, code, lock=True)
    before = StatusRead.model_validate(row)
    changes = data.model_dump(exclude_unset=True)
    for field in (
        "code",
        "name",
        "colour",
        "is_initial",
        "is_terminal",
        "releases_stock",
        "position",
    ):
        if field in changes and changes[field] is None:
            del changes[field]  # null means "leave as is" for these non-nullable fields
    new_code = changes.pop("code", code)
    is_initial = changes.get("is_initial", row.is_initial)
    is_terminal = changes.get("is_terminal", row.is_terminal)
    if row.is_initial and not is_initial:
        raise InitialStatusRequired(
            f"{code!r} is the initial status; make another status initial instead."
        )
    if is_initial and is_terminal:
        raise _initial_terminal(code)
    if is_terminal and not row.is_terminal:
        leaving = [
            t for t in await repository.transitions(session, touching=code) if t.from_status == code
        ]
        if leaving:
            raise TerminalStatusHasNoExit(code)
    if new_code != code:
        await _ensure_code_unused(session, code)
        if await repository.status(session, new_code) is not None:
            raise StatusCodeTaken(new_code)

    async with violations_as(session, _status_refusals(code, new_code=new_code)):
        # Orders refer to the code ON UPDATE RESTRICT: renaming one in use fails here.
        row.code = new_code
        await session.flush()
        if is_initial and not row.is_initial:
            await repository.clear_initial_flag(session, except_code=row.code)
        for field, value in changes.items():
            setattr(row, field, value)
        await session.flush()
    after = StatusRead.model_validate(row)
    audit.record(
        session,
        action="status.updated",
        entity="status",
        entity_id=row.code,
        before=before,
        after=after,
    )
    return after


async def delete_status(session: AsyncSession, code: str) -> None:
    row = await _status_row(session, code, lock=True)
    await _ensure_not_in_transitions(session, code)
    if row.is_initial and len(await repository.statuses(session)) > 1:
        raise InitialStatusRequired(
            f"{code!r} is the initial status; make another status initial before deleting it."
        )
    before = StatusRead.model_validate(row)
    async with violations_as(session, _status_refusals(code)):
        await repository.delete(session, row)
    audit.record(session, action="status.deleted", entity="status", entity_id=code, before=before)


async def _ensure_code_unused(session: AsyncSession, code: str) -> None:
    await _ensure_not_in_transitions(session, code)


async def _ensure_not_in_transitions(session: AsyncSession, code: str) -> None:
    if await repository.transitions(session, touching=code):
        raise StatusInUse(code, "transitions lead to or from it")


async def _ensure_below_cap(
    session: AsyncSession, what: str, count: Callable[[AsyncSession], Awaitable[int]], cap: int
) -> None:
    """Refuse adding one more of `what` at the cap; the lock, held to the end of the
    transaction, keeps two concurrent creations from both passing the count."""
    await repository.lock_workflow_size(session, what)
    if await count(session) >= cap:
        raise WorkflowLimitReached(what, cap)


def _initial_terminal(code: str) -> Conflict:
    return Conflict(
        f"{code!r} cannot be both initial and terminal: orders would never move.",
        slug="initial-terminal",
    )


def _status_refusals(code: str, *, new_code: str | None = None) -> dict[str, ProblemError]:
    """What the database's refusal of a write to the status `code` (renamed to `new_code`)
    means."""
    in_use = StatusInUse(code, "orders or transitions refer to it")
    return {
        "pk_order_statuses": StatusCodeTaken(new_code or code),
        "uq_order_statuses_initial": InitialStatusChanged(),
        "fk_orders_status_order_statuses": in_use,
        "fk_order_status_transitions_from_status_order_statuses": in_use,
        "fk_order_status_transitions_to_status_order_statuses": in_use,
    }


# --- transitions ------------------------------------------------------------------------


async def list_transitions(
    session: AsyncSession, status: str | None = None
) -> list[TransitionRead]:
    rows = await repository.transitions(session, touching=status)
    return [TransitionRead.model_validate(row) for row in rows]


async def get_transition(session: AsyncSession, transition_id: uuid.UUID) -> TransitionRead:
    return TransitionRead.model_validate(await _transition_row(session, transition_id))


async def _transition_row(session: AsyncSession, transition_id: uuid.UUID) -> OrderStatusTransition:
    row = await repository.transition(session, transition_id)
    if row is None:
        raise TransitionNotFound()
    return row


async def create_transition(session: AsyncSession, data: TransitionCreate) -> TransitionRead:
    await _ensure_below_cap(session, "transitions", repository.count_transitions, MAX_TRANSITIONS)
    # Locking the source serialises this with a concurrent "make it terminal".
    source = await repository.status(session, data.from_status, lock=True)
    for code, known in ((data.from_status, source), (data.to_status, None)):
        if known is None and await repository.status(session, code) is None:
            raise UnknownStatus(code)
    assert source is not None
    if source.is_terminal:
        raise TerminalStatusHasNoExit(source.code)
    if await repository.transition_between(session, data.from_status, data.to_status):
        raise TransitionExists(data.from_status, data.to_status)
    row = OrderStatusTransition(
        from_status=data.from_status,
        to_status=data.to_status,
        roles=sorted(role.value for role in set(data.roles)),
    )
    async with violations_as(
        session,
        {
            "uq_order_status_transitions_from_status_to_status": TransitionExists(
                data.from_status, data.to_status
            ),
            # The target is not locked: it may be deleted meanwhile.
            "fk_order_status_transitions_to_status_order_statuses": UnknownStatus(data.to_status),
        },
    ):
        await repository.add(session, row)
    created = TransitionRead.model_validate(row)
    audit.record(
        session, action="transition.created", entity="transition", entity_id=row.id, after=created
    )
    return created


async def update_transition(
    session: AsyncSession, transition_id: uuid.UUID, data: TransitionUpdate
) -> TransitionRead:
    row = await _transition_row(session, transition_id)
    before = TransitionRead.model_validate(row)
    row.roles = sorted(role.value for role in set(data.roles))
    await session.flush()
    after = TransitionRead.model_validate(row)
    audit.record(
        session,
        action="transition.updated",
        entity="transition",
        entity_id=row.id,
        before=before,
        after=after,
    )
    return after


async def delete_transition(session: AsyncSession, transition_id: uuid.UUID) -> None:
    row = await _transition_row(session, transition_id)
    before = TransitionRead.model_validate(row)
    await repository.delete(session, row)
    audit.record(
        session, action="transition.deleted", entity="transition", entity_id=row.id, before=before
    )
