"""Email templates: the shipped defaults, the ones edited through the API, and rendering
them in Jinja2's sandbox.

A template is three parts (subject, HTML body, plain-text body) under a key: the event's
(`order_created`), the new status's code (`shipped`), the fallback `status_changed`, or any
other key a configuration names. An edited template overrides a shipped one of the same
key. The sandbox refuses access to Python internals (attributes such as `__class__`), and
a template sees only what it is given: the event's data and the branding, never settings.
"""

import sys
import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache, partial
from importlib import resources
from types import FrameType
from typing import Any, Literal, TypeVar

from jinja2 import (
    FunctionLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    select_autoescape,
)
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

Part = Literal["subject", "html", "text"]
PARTS: tuple[Part, ...] = ("subject", "html", "text")
SUFFIX: dict[Part, str] = {"subject": "subject.j2", "html": "html.j2", "text": "txt.j2"}
# Templates the others extend; not a template of its own.
LAYOUTS = frozenset({"base"})


@dataclass(frozen=True, slots=True)
class TemplateParts:
    subject: str
    html: str
    text: str

    def part(self, part: Part) -> str:
        value: str = getattr(self, part)
        return value


@dataclass(frozen=True, slots=True)
class RenderedEmail:
    subject: str
    html: str
    text: str


@dataclass(frozen=True, slots=True)
class TemplateProblem:
    part: Part
    line: int | None
    reason: str


class TemplateRefused(Exception):
    def __init__(self, problems: list[TemplateProblem]) -> None:
        super().__init__("; ".join(problem.reason for problem in problems))
        self.problems = problems


MAX_REPEAT = 10_000
MAX_EXPONENT = 64
RENDER_SECONDS = 2.0
T = TypeVar("T")


class RenderTooSlow(Exception):
    pass


def _within(seconds: float, work: Callable[[], T]) -> T:
    """Run `work`, raising `RenderTooSlow` in it once `seconds` have passed: a template's
    loops are Python code, so a line tracer can stop them (nested loops over large ranges
    would otherwise hold the process)."""
    deadline = time.monotonic() + seconds

    def tracer(frame: FrameType, event: str, arg: object) -> Any:
        if time.monotonic() > deadline:
            raise RenderTooSlow(f"rendering took more than {seconds:g} s")
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        return work()
    finally:
        sys.settrace(previous)


class _BoundedSandbox(ImmutableSandboxedEnvironment):
    """The sandbox, also refusing the two operators that can exhaust memory or CPU in one
    expression: `'x' * 10**9` and `9 ** 9 ** 9`."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > MAX_EXPONENT:
            raise SecurityError(f"an exponent above {MAX_EXPONENT}")
        if operator == "*":
            sizes = [
                abs(count)
                for count, other in ((left, right), (right, left))
                if isinstance(count, int) and isinstance(other, str | list | tuple)
            ]
            if sizes and sizes[0] > MAX_REPEAT:
                raise SecurityError(f"repeating a string or list more than {MAX_REPEAT:,} times")
        return super().call_binop(context, operator, left, right)


def _shipped_files() -> dict[str, str]:
    folder = resources.files("oms.integrations") / "templates" / "email"
    return {item.name: item.read_text("utf-8") for item in folder.iterdir() if item.is_file()}


@cache
def shipped() -> dict[str, TemplateParts]:
    """The templates that come with OMS, by key. A subject is one line: its file's final
    newline is not part of it (an editor's one-line field could not hold it)."""
    files = _shipped_files()
    keys = {name.split(".", 1)[0] for name in files} - LAYOUTS
    return {
        key: TemplateParts(
            files[f"{key}.{SUFFIX['subject']}"].rstrip("\n"),
            files[f"{key}.{SUFFIX['html']}"],
            files[f"{key}.{SUFFIX['text']}"],
        )
        for key in sorted(keys)
    }


def _environment(edited: Mapping[str, TemplateParts]) -> ImmutableSandboxedEnvironment:
    files = _shipped_files()

    def source(name: str) -> tuple[str, str, Callable[[], bool]] | None:
        key, _, suffix = name.partition(".")
        for part, part_suffix in SUFFIX.items():
            if suffix == part_suffix and key in edited:
                return edited[key].part(part), name, lambda: False
        found = files.get(name)
        return (found, name, lambda: True) if found is not None else None

    return _BoundedSandbox(
        loader=FunctionLoader(source),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined,
        keep_trailing_newline=False,
    )


def template_exists(key: str, edited: Mapping[str, TemplateParts]) -> bool:
    return key in edited or key in shipped()


def render(
    key: str, variables: dict[str, Any], edited: Mapping[str, TemplateParts] | None = None
) -> RenderedEmail:
    env = _environment(edited or {})

    def work() -> RenderedEmail:
        subject = env.get_template(f"{key}.{SUFFIX['subject']}").render(variables).strip()
        context = {**variables, "subject": subject}
        html = env.get_template(f"{key}.{SUFFIX['html']}").render(context)
        text = env.get_template(f"{key}.{SUFFIX['text']}").render(variables)
        return RenderedEmail(subject=subject, html=html, text=text)

    return _within(RENDER_SECONDS, work)


def _line_of(error: BaseException, name: str) -> int | None:
    """The template line an error arose on: Jinja puts template frames in the traceback."""
    if isinstance(error, TemplateSyntaxError):
        return error.lineno
    frames = traceback.extract_tb(error.__traceback__)
    lines = [frame.lineno for frame in frames if frame.filename == name]
    return lines[-1] if lines else None


def check(key: str, parts: TemplateParts, variables: dict[str, Any]) -> RenderedEmail:
    """Parse each part, then render the whole against `variables`; every problem found is
    raised at once (`TemplateRefused`), each with its part, line and reason."""
    env = _environment({key: parts})
    problems: list[TemplateProblem] = []
    for part in PARTS:
        try:
            env.parse(parts.part(part), name=f"{key}.{SUFFIX[part]}")
        except TemplateSyntaxError as error:
            problems.append(TemplateProblem(part, error.lineno, error.message or str(error)))
    if problems:
        raise TemplateRefused(problems)
    rendered: dict[Part, str] = {}
    for part in PARTS:
        name = f"{key}.{SUFFIX[part]}"
        context = {**variables, "subject": rendered.get("subject", "")}
        try:
            template = env.get_template(name)  # compiling finds unknown filters and tests
            rendered[part] = _within(RENDER_SECONDS, partial(template.render, context))
        except RenderTooSlow as error:
            problems.append(TemplateProblem(part, _line_of(error, name), str(error)))
        except SecurityError as error:
            reason = f"not allowed in a template: {error}"
            problems.append(TemplateProblem(part, _line_of(error, name), reason))
        except TemplateNotFound as error:
            problems.append(TemplateProblem(part, None, f"no template {error.name!r}"))
        except (
            TemplateError,
            TypeError,
            ValueError,
            ArithmeticError,
            LookupError,
            RecursionError,
        ) as error:
            problems.append(TemplateProblem(part, _line_of(error, name), str(error)))
    if problems:
        raise TemplateRefused(problems)
    return RenderedEmail(
        subject=rendered["subject"].strip(), html=rendered["html"], text=rendered["text"]
    )
