"""Secret values: redacted when printed, revealed on request."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

T = TypeVar("T")

REDACTED = "[secret]"
"""What a secret prints as, everywhere, until it is revealed."""


class Secret(Generic[T]):
    """A value the environment marks secret.

    ``str()``, ``repr()``, f-strings, ``format()`` and logging print ``[secret]``; ``reveal()``
    returns the plaintext. ``json.dumps(value, default=str)`` writes ``"[secret]"``.
    """

    __slots__ = ("__value",)

    def __init__(self, value: T) -> None:
        self.__value = value

    def reveal(self) -> T:
        """The plaintext (nested secrets stay wrapped; :func:`reveal` unwraps them all)."""
        return self.__value

    def __str__(self) -> str:
        return REDACTED

    def __repr__(self) -> str:
        return REDACTED

    def __format__(self, spec: str) -> str:
        return format(REDACTED, spec)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other.__value == self.__value

    def __hash__(self) -> int:
        return hash((Secret, REDACTED))

    def __reduce__(self) -> Any:
        # Pickling would copy the plaintext somewhere it is no longer marked: refuse it.
        raise TypeError("a Secret cannot be pickled; reveal() it explicitly")


def reveal(value: Any) -> Any:
    """A copy of ``value`` with every :class:`Secret` in it replaced by its plaintext, at any depth."""
    if isinstance(value, Secret):
        return reveal(value.reveal())
    if isinstance(value, list):
        return [reveal(v) for v in value]
    if isinstance(value, dict):
        return {k: reveal(v) for k, v in value.items()}
    return value


def is_secret(value: object) -> bool:
    """Whether ``value`` is a :class:`Secret`."""
    return isinstance(value, Secret)
