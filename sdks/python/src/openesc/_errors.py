"""Typed errors: one class per kind of failure, all of them ConnectErrors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from connectrpc.code import Code
from connectrpc.errors import ConnectError

from openesc.v1.diagnostic_pb2 import Diagnostic, Diagnostics, FieldViolation

if TYPE_CHECKING:
    from collections.abc import Sequence


class OpenEscError(ConnectError):
    """Every failure of an SDK call: a ConnectError (``code``, ``message``, ``details``) of one of
    the subclasses below, chosen by its code. ``diagnostics`` and ``field_violations`` are decoded
    from the details."""

    def __init__(self, code: Code, message: str, details: Sequence[object] = ()) -> None:
        super().__init__(code, message, details)  # type: ignore[arg-type]
        self.diagnostics: list[Diagnostic] = []
        self.field_violations: list[FieldViolation] = []
        for d in self.details:
            if d.type_name == "openesc.v1.Diagnostics":
                self.diagnostics.extend(Diagnostics.FromString(d.message_bytes).diagnostics)
            elif d.type_name == "openesc.v1.FieldViolation":
                self.field_violations.append(FieldViolation.FromString(d.message_bytes))

    def __str__(self) -> str:
        return f"{self.code.value}: {self.message}"


class NotFoundError(OpenEscError):
    """The environment, revision, tag, token or organization does not exist (NOT_FOUND)."""


class PermissionDeniedError(OpenEscError):
    """The caller may not do this (PERMISSION_DENIED)."""


class UnauthenticatedError(OpenEscError):
    """No token, or one that is unknown, expired or revoked (UNAUTHENTICATED)."""


class ConflictError(OpenEscError):
    """It already exists (ALREADY_EXISTS), the base revision is stale (ABORTED), or the state
    forbids the request, such as a deletion-protected environment (FAILED_PRECONDITION)."""


class InvalidError(OpenEscError, ValueError):
    """The input is invalid (INVALID_ARGUMENT), or the environment does not evaluate (any code with
    a Diagnostics detail): see ``diagnostics`` and ``field_violations``."""


class DeadlineExceededError(OpenEscError, TimeoutError):
    """The call's time-out passed (DEADLINE_EXCEEDED). Also a builtin TimeoutError."""


class CallCancelledError(OpenEscError):
    """The call was cancelled (CANCELED). A cancelled asyncio task raises asyncio.CancelledError instead."""


class UnavailableError(OpenEscError):
    """The server could not be reached or is overloaded (UNAVAILABLE, RESOURCE_EXHAUSTED)."""


_BY_CODE: dict[Code, type[OpenEscError]] = {
    Code.NOT_FOUND: NotFoundError,
    Code.PERMISSION_DENIED: PermissionDeniedError,
    Code.UNAUTHENTICATED: UnauthenticatedError,
    Code.ALREADY_EXISTS: ConflictError,
    Code.ABORTED: ConflictError,
    Code.FAILED_PRECONDITION: ConflictError,
    Code.INVALID_ARGUMENT: InvalidError,
    Code.OUT_OF_RANGE: InvalidError,
    Code.DEADLINE_EXCEEDED: DeadlineExceededError,
    Code.CANCELED: CallCancelledError,
    Code.UNAVAILABLE: UnavailableError,
    Code.RESOURCE_EXHAUSTED: UnavailableError,
}


def to_openesc_error(error: ConnectError) -> OpenEscError:
    """The OpenEscError subclass for a ConnectError's code (the original becomes ``__cause__``)."""
    if isinstance(error, OpenEscError):
        return error
    has_diagnostics = any(d.type_name == "openesc.v1.Diagnostics" for d in error.details)
    cls = InvalidError if has_diagnostics else _BY_CODE.get(error.code, OpenEscError)
    out = cls(error.code, error.message, error.details)
    out.__cause__ = error
    return out


def invalid(message: str) -> InvalidError:
    """A client-side InvalidError (a malformed reference or path), sent nowhere."""
    return InvalidError(Code.INVALID_ARGUMENT, message)
