"""Wire values (openesc.v1.Value) as native Python values."""

from __future__ import annotations

from typing import Any, Union

from openesc._secret import Secret
from openesc.v1.value_pb2 import Value

EscValue = Union[None, bool, int, float, str, list["EscValue"], dict[str, "EscValue"], Secret[Any]]
"""An evaluated value: JSON-like data where every value the environment marks secret is a Secret."""


def from_value(value: Value | None) -> EscValue:
    """Converts a wire Value: numbers become int when integral, else float; a secret becomes a
    Secret around its plaintext; a withheld secret (no kind) and an unknown value become None."""
    if value is None:
        return None
    kind = value.WhichOneof("kind")
    plain: EscValue
    if kind == "bool_value":
        plain = value.bool_value
    elif kind == "number_value":
        plain = _number(value.number_value)
    elif kind == "string_value":
        plain = value.string_value
    elif kind == "list_value":
        plain = [from_value(v) for v in value.list_value.values]
    elif kind == "object_value":
        fields = value.object_value.fields
        plain = {k: from_value(fields[k]) for k in sorted(fields)}
    else:
        plain = None
    return Secret(plain) if value.secret else plain


def _number(text: str) -> int | float:
    try:
        return int(text)
    except ValueError:
        return float(text)
