"""Error monitoring: unexpected errors of the API, the relay and the workers reported to Sentry
when `OMS_SENTRY_DSN` is set (docs/monitoring.md).

Every event carries the release (`oms@<version>`), the environment and the component
(`api`, `relay`, `worker-email`, ...). No personal data leaves: the SDK's own PII is off,
request bodies and local variables are never sent, and `scrub` goes through whatever is
left (messages, breadcrumbs, headers, query strings, extra data) before it is sent.
"""

import logging
import re
import sys
import weakref
from collections.abc import Mapping
from types import TracebackType
from typing import Any

import sentry_sdk
from sentry_sdk.integrations.logging import LoggingIntegration
from sentry_sdk.types import Event, Hint
from sentry_sdk.utils import event_from_exception

from oms import __version__
from oms.core.settings import Settings

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]

FILTERED = "[Filtered]"

# Keys whose values are personal data or secrets wherever they appear (headers, query
# parameters, log fields, extra data), compared without case, `-` and `_`.
SENSITIVE_KEYS = frozenset(
    key.replace("_", "").replace("-", "")
    for key in (
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
        "x-csrf-token",
        "password",
        "new_password",
        "current_password",
        "passwd",
        "secret",
        "token",
        "access_token",
        "refresh_token",
        "id_token",
        "api_key",
        "apikey",
        "dsn",
        "email",
        "customer_email",
        "recipients",
        "full_name",
        "customer_name",
        "name",
        "phone",
        "address",
        "shipping_address",
        "line1",
        "line2",
        "city",
        "postal_code",
        "note",
        "client_address",
        "ip_address",
    )
)
# Keys Sentry itself uses for what is no personal data, kept even though they look like one
# of the above (`name` of the SDK, of an exception's module, of a runtime).
STRUCTURAL_CONTEXTS = frozenset({"sdk", "contexts", "modules", "exception", "threads"})

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # SQLAlchemy puts a statement's bound values into its errors' text.
    (re.compile(r"\[parameters: .*?\](?=\s*(?:\(|$|\n))", re.DOTALL), "[parameters: [Filtered]]"),
    # PostgreSQL names the offending values: `Key (email)=(a@b.example) already exists`.
    (re.compile(r"(Key \([^)]*\))=\((?:[^()]|\([^()]*\))*\)"), r"\1=([Filtered])"),
    (re.compile(r"\b[Bb]earer\s+[A-Za-z0-9._~+/=-]+"), "Bearer [Filtered]"),
    # JSON Web Tokens, and OMS's refresh, reset and webhook secrets.
    (re.compile(r"\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"), "[Filtered]"),
    (re.compile(r"\bwhsec_[A-Za-z0-9+/=]+"), "[Filtered]"),
    # A password in a URL: scheme://user:password@host.
    (re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^:/@\s]*):[^@\s/]+@"), r"\1:[Filtered]@"),
    # Query or form parameters that carry secrets or personal data.
    (
        re.compile(r"(?i)\b(password|passwd|token|secret|code|email|phone|key)=[^&\s\"']*"),
        r"\1=[Filtered]",
    ),
    (re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"), "[email]"),
)


def _sensitive(key: object) -> bool:
    return isinstance(key, str) and key.lower().replace("_", "").replace("-", "") in SENSITIVE_KEYS


def scrub_text(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def scrub(value: Any, *, structural: bool = False) -> Any:
    """`value` with every sensitive key's value replaced and every string scrubbed."""
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, Mapping):
        scrubbed = {}
        for key, item in value.items():
            if _sensitive(key) and not structural:
                scrubbed[key] = FILTERED
            else:
                scrubbed[key] = scrub(item, structural=structural or key in STRUCTURAL_CONTEXTS)
        return scrubbed
    if isinstance(value, list | tuple):
        # Headers arrive as [name, value] pairs in some integrations.
        if len(value) == 2 and _sensitive(value[0]) and not structural:
            return [value[0], FILTERED]
        return [scrub(item, structural=structural) for item in value]
    return value


# Event members that say what sent it, never what happened to whom: left as they are (the
# release `oms@1.2.0` would otherwise read as an email address).
SENDER_MEMBERS = frozenset(
    {
        "release",
        "environment",
        "dist",
        "sdk",
        "modules",
        "platform",
        "event_id",
        "timestamp",
        "level",
        "server_name",
        "type",
    }
)


def _structlog_fields(record: object) -> tuple[str, dict[str, Any]] | None:
    """structlog hands the standard library its event dict: its `event` is the message."""
    if not isinstance(record, logging.LogRecord) or not isinstance(record.msg, Mapping):
        return None
    fields = {key: item for key, item in record.msg.items() if not str(key).startswith("_")}
    fields.pop("exc_info", None)
    message = str(fields.pop("event", ""))
    return message, {
        key: item if isinstance(item, int | float | bool) or item is None else str(item)
        for key, item in fields.items()
    }


def _logged_exception(record: object) -> ExcInfo | None:
    """The exception a structlog call named (`exc_info=error`, or `log.exception()` inside
    the `except`): structlog keeps it in its event dict, not on the standard record."""
    if not isinstance(record, logging.LogRecord) or not isinstance(record.msg, Mapping):
        return None
    named = record.msg.get("exc_info")
    if isinstance(named, BaseException):
        return type(named), named, named.__traceback__
    if named is True:
        current = sys.exc_info()
        return current if current[1] is not None else None
    return None


# Exceptions already reported through the log line that named them: the web framework's
# integration reports the same exception again when it propagates, and is dropped.
_REPORTED: "weakref.WeakSet[BaseException]" = weakref.WeakSet()


# The broker client logs an error at every reconnection attempt while RabbitMQ is away;
# OMS reconnects by itself and says so in `/health` and `oms_dependency_up`, so these would
# only flood Sentry through an outage.
RECONNECTING_LOGGERS = ("aiormq", "aio_pika")


def before_send(event: Event, hint: Hint) -> Event | None:
    if "log_record" in hint and str(event.get("logger", "")).startswith(RECONNECTING_LOGGERS):
        return None
    raised = hint.get("exc_info")
    if raised and raised[1] is not None and raised[1] in _REPORTED:
        return None
    record = hint.get("log_record")
    structured = _structlog_fields(record)
    if structured is not None:
        message, fields = structured
        event["logentry"] = {"message": message, "formatted": message, "params": []}
        event.setdefault("extra", {}).update(fields)
        logged = _logged_exception(record)
        if logged is not None and "exception" not in event:
            described, _ = event_from_exception(
                logged, client_options=sentry_sdk.get_client().options
            )
            event["exception"] = described["exception"]
            _REPORTED.add(logged[1])
    request = event.get("request")
    if isinstance(request, dict):
        request.pop("cookies", None)
        request.pop("data", None)
    for key, value in list(event.items()):
        if key not in SENDER_MEMBERS:
            event[key] = scrub(value, structural=key in STRUCTURAL_CONTEXTS)  # type: ignore[literal-required]
    return event


def before_breadcrumb(crumb: dict[str, Any], hint: Hint) -> dict[str, Any] | None:
    structured = _structlog_fields(hint.get("log_record"))
    if structured is not None:
        crumb["message"], fields = structured
        crumb["data"] = {**crumb.get("data", {}), **fields}
    scrubbed: dict[str, Any] = scrub(crumb)
    return scrubbed


def start_error_monitoring(settings: Settings, component: str) -> bool:
    """Report errors of this process to Sentry if OMS_SENTRY_DSN is set; True if it is."""
    if settings.sentry_dsn is None:
        return False
    sentry_sdk.init(
        dsn=settings.sentry_dsn.get_secret_value(),
        release=f"oms@{__version__}",
        environment=settings.sentry_environment,
        traces_sample_rate=settings.sentry_traces_sample_rate,
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=before_send,
        before_send_transaction=before_send,
        before_breadcrumb=before_breadcrumb,
        integrations=[LoggingIntegration(level=logging.INFO, event_level=logging.ERROR)],
    )
    sentry_sdk.set_tag("component", component)
    return True
