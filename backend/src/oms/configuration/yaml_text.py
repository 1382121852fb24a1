"""Reading and writing the document as YAML, with bounds: a document is at most
`MAX_DOCUMENT_BYTES` long and `MAX_DEPTH` deep, and may not use aliases (which is how a
few lines of YAML expand into gigabytes)."""

import math
from typing import Any

import yaml

MAX_DOCUMENT_BYTES = 1024 * 1024
MAX_DEPTH = 32


class NotADocument(ValueError):
    """The text is not a YAML document OMS reads."""


class _BoundedLoader(yaml.SafeLoader):
    """Plain data only (`safe_load`), refusing aliases and nesting deeper than `MAX_DEPTH`."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def _line(self) -> int:
        event: yaml.Event = self.peek_event()  # type: ignore[no-untyped-call]
        return 0 if event.start_mark is None else int(event.start_mark.line) + 1

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            raise NotADocument(f"line {self._line()}: aliases (*name) are not allowed")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise NotADocument(f"line {self._line()}: nested deeper than {MAX_DEPTH} levels")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _plain_data(value: Any, path: str = "") -> None:
    """Refuse what JSON (or PostgreSQL) cannot hold: timestamps, binary, sets, non-string
    keys, NaN, and the NUL character."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise NotADocument(f"{path or 'the document'}: the key {key!r} is not a string")
            _plain_data(key, path)
            _plain_data(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _plain_data(item, f"{path}[{index}]")
    elif isinstance(value, str) and "\x00" in value:
        raise NotADocument(f"{path or 'the document'}: the NUL character is not allowed")
    elif isinstance(value, float) and not math.isfinite(value):
        raise NotADocument(f"{path}: {value} is not a number JSON can hold")
    elif value is not None and not isinstance(value, str | int | float | bool):
        kind = type(value).__name__
        raise NotADocument(f"{path}: a {kind} is not plain data; quote it to make it a string")


def load(text: str | bytes) -> Any:
    """The data of one YAML (or JSON) document; raises `NotADocument` saying why not."""
    size = len(text.encode() if isinstance(text, str) else text)
    if size > MAX_DOCUMENT_BYTES:
        raise NotADocument(f"the document is larger than {MAX_DOCUMENT_BYTES:,} bytes")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as error:
            raise NotADocument("the document is not UTF-8 text") from error
    loader = _BoundedLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise NotADocument(f"{where}{error.problem or error}") from error
    except yaml.YAMLError as error:
        raise NotADocument(str(error)) from error
    finally:
        loader.dispose()
    _plain_data(data)
    return data


class _Dumper(yaml.SafeDumper):
    """Multi-line strings (templates) as literal blocks, so the document reads well."""


def _string(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _string)


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
