"""Property paths with the server's grammar, and walking values by them."""

from __future__ import annotations

import re
from typing import Any, Union

from openesc._errors import invalid
from openesc._secret import Secret

PathPart = Union[str, int]

_INDEX = re.compile(r"[0-9]+")
_NAME = re.compile(r'[^.\[\]"]+')

MISSING: Any = object()
"""Returned by :func:`value_at` when the path names nothing."""


def parse_path(text: str) -> list[PathPart]:
    """Parses ``db.password``, ``hosts[0]``, ``a["b.c"]``, ``["x"].y`` (a backslash in a quoted key
    escapes the next character); ``""`` is the root. Raises InvalidError naming the column."""
    out: list[PathPart] = []
    i = 0

    def fail(why: str) -> Exception:
        return invalid(f'invalid property path "{text}": {why} at column {i + 1}')

    while i < len(text):
        c = text[i]
        if c == "[":
            i += 1
            if i < len(text) and text[i] == '"':
                key: list[str] = []
                i += 1
                while i < len(text) and text[i] != '"':
                    if text[i] == "\\" and i + 1 < len(text):
                        i += 1
                    key.append(text[i])
                    i += 1
                if i >= len(text):
                    raise fail("unterminated string")
                i += 1
                out.append("".join(key))
            else:
                m = _INDEX.match(text, i)
                if m is None:
                    raise fail("expected an index or a quoted key")
                out.append(int(m.group(0)))
                i = m.end()
            if i >= len(text) or text[i] != "]":
                raise fail("expected ']'")
            i += 1
        else:
            if c == ".":
                if not out:
                    raise fail("unexpected '.'")
                i += 1
            elif out:
                raise fail("expected '.' or '['")
            m = _NAME.match(text, i)
            if m is None:
                raise fail("expected a property name")
            out.append(m.group(0))
            i = m.end()
    return out


def value_at(root: Any, path: str | list[PathPart]) -> Any:
    """The value at ``path`` inside ``root``, or :data:`MISSING`. Walking through a secret keeps the
    result secret: ``db.password`` inside a secret ``db`` is a Secret."""
    parts = parse_path(path) if isinstance(path, str) else path
    current, secret = root, False
    for part in parts:
        if isinstance(current, Secret):
            secret, current = True, current.reveal()
        if isinstance(part, int):
            if not isinstance(current, list) or part >= len(current):
                return MISSING
            current = current[part]
        else:
            if not isinstance(current, dict) or part not in current:
                return MISSING
            current = current[part]
    return Secret(current) if secret and not isinstance(current, Secret) else current


def format_path(parts: list[PathPart]) -> str:
    """A parsed path back in the server's syntax."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _NAME.fullmatch(part):
            out += part if out == "" else f".{part}"
        else:
            escaped = part.replace("\\", "\\\\").replace('"', '\\"')
            out += f'["{escaped}"]'
    return out
