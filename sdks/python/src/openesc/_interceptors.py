"""The SDK's own interceptors: typed errors, retries of NO_SIDE_EFFECTS calls, the bearer token."""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from connectrpc.code import Code
from connectrpc.errors import ConnectError
from connectrpc.method import IdempotencyLevel

from openesc._errors import to_openesc_error

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from connectrpc.request import RequestContext

# Only these codes say the request did not take effect and may succeed later.
_RETRYABLE = frozenset({Code.UNAVAILABLE, Code.RESOURCE_EXHAUSTED})


@dataclass(frozen=True)
class RetryPolicy:
    """How calls without side effects (``idempotency_level = NO_SIDE_EFFECTS`` in the contract) are
    retried on UNAVAILABLE and RESOURCE_EXHAUSTED. Other calls are never retried: a second
    CreateEnvironment could create twice."""

    max_attempts: int = 3
    """Attempts in total, the first included; 1 turns retries off."""
    initial_backoff: float = 0.1
    """The first wait in seconds, doubled after each attempt, with full jitter."""
    max_backoff: float = 2.0
    """The longest wait in seconds."""

    def backoff(self, attempt: int) -> float:
        return random.uniform(0, min(self.max_backoff, self.initial_backoff * 2 ** (attempt - 1)))

    def should_retry(self, ctx: RequestContext[Any, Any], error: ConnectError, attempt: int) -> bool:
        return (
            attempt < self.max_attempts
            and error.code in _RETRYABLE
            and ctx.method.idempotency_level == IdempotencyLevel.NO_SIDE_EFFECTS
        )


class ErrorsSync:
    """Raises every failure as its OpenEscError subclass."""

    def intercept_unary_sync(self, call_next: Callable[[Any, Any], Any], request: Any, ctx: Any, /) -> Any:
        try:
            return call_next(request, ctx)
        except ConnectError as e:
            raise to_openesc_error(e) from e


class Errors:
    """Raises every failure as its OpenEscError subclass (asyncio)."""

    async def intercept_unary(self, call_next: Callable[[Any, Any], Awaitable[Any]], request: Any, ctx: Any, /) -> Any:
        try:
            return await call_next(request, ctx)
        except ConnectError as e:
            # connectrpc turns the task's cancellation into CANCELED; asyncio code expects CancelledError.
            task = asyncio.current_task()
            if e.code == Code.CANCELED and task is not None and task.cancelling():
                raise asyncio.CancelledError from e
            raise to_openesc_error(e) from e


class RetrySync:
    """Retries unary calls as the policy says."""

    def __init__(self, policy: RetryPolicy) -> None:
        self._policy = policy

    def intercept_unary_sync(self, call_next: Callable[[Any, Any], Any], request: Any, ctx: Any, /) -> Any:
        attempt = 1
        while True:
            try:
                return call_next(request, ctx)
            except ConnectError as e:
                if not self._policy.should_retry(ctx, e, attempt):
                    raise
            time.sleep(self._policy.backoff(attempt))
            attempt += 1


class Retry:
    """Retries unary calls as the policy says (asyncio; cancellation stops the waiting)."""

    def __init__(self, policy: RetryPolicy) -> None:
        self._policy = policy

    async def intercept_unary(self, call_next: Callable[[Any, Any], Awaitable[Any]], request: Any, ctx: Any, /) -> Any:
        attempt = 1
        while True:
            try:
                return await call_next(request, ctx)
            except ConnectError as e:
                if not self._policy.should_retry(ctx, e, attempt):
                    raise
            await asyncio.sleep(self._policy.backoff(attempt))
            attempt += 1


class TokenSync:
    """Sends the bearer token."""

    def __init__(self, token: str) -> None:
        self._header = f"Bearer {token}"

    def intercept_unary_sync(self, call_next: Callable[[Any, Any], Any], request: Any, ctx: Any, /) -> Any:
        ctx.request_headers["authorization"] = self._header
        return call_next(request, ctx)


class Token:
    """Sends the bearer token (asyncio)."""

    def __init__(self, token: str) -> None:
        self._header = f"Bearer {token}"

    async def intercept_unary(self, call_next: Callable[[Any, Any], Awaitable[Any]], request: Any, ctx: Any, /) -> Any:
        ctx.request_headers["authorization"] = self._header
        return await call_next(request, ctx)
