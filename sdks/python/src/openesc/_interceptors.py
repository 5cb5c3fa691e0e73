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
    from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

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
    """Raises every failure as its OpenEscError subclass, for every kind of method."""

    def intercept_unary_sync(self, call_next: Callable[[Any, Any], Any], request: Any, ctx: Any, /) -> Any:
        try:
            return call_next(request, ctx)
        except ConnectError as e:
            raise to_openesc_error(e) from e

    def intercept_client_stream_sync(self, call_next: Callable[[Any, Any], Any], request: Any, ctx: Any, /) -> Any:
        return self.intercept_unary_sync(call_next, request, ctx)

    def intercept_server_stream_sync(self, call_next: Callable[[Any, Any], Iterator[Any]], request: Any, ctx: Any, /) -> Iterator[Any]:
        try:
            yield from call_next(request, ctx)
        except ConnectError as e:
            raise to_openesc_error(e) from e

    def intercept_bidi_stream_sync(self, call_next: Callable[[Any, Any], Iterator[Any]], request: Any, ctx: Any, /) -> Iterator[Any]:
        return self.intercept_server_stream_sync(call_next, request, ctx)


def _typed(e: ConnectError) -> BaseException:
    # connectrpc turns the task's cancellation into CANCELED; asyncio code expects CancelledError.
    task = asyncio.current_task()
    if e.code == Code.CANCELED and task is not None and task.cancelling():
        return asyncio.CancelledError()
    return to_openesc_error(e)


class Errors:
    """Raises every failure as its OpenEscError subclass, for every kind of method (asyncio)."""

    async def intercept_unary(self, call_next: Callable[[Any, Any], Awaitable[Any]], request: Any, ctx: Any, /) -> Any:
        try:
            return await call_next(request, ctx)
        except ConnectError as e:
            raise _typed(e) from e

    async def intercept_client_stream(self, call_next: Callable[[Any, Any], Awaitable[Any]], request: Any, ctx: Any, /) -> Any:
        return await self.intercept_unary(call_next, request, ctx)

    async def intercept_server_stream(self, call_next: Callable[[Any, Any], AsyncIterator[Any]], request: Any, ctx: Any, /) -> AsyncIterator[Any]:
        try:
            async for message in call_next(request, ctx):
                yield message
        except ConnectError as e:
            raise _typed(e) from e

    def intercept_bidi_stream(self, call_next: Callable[[Any, Any], AsyncIterator[Any]], request: Any, ctx: Any, /) -> AsyncIterator[Any]:
        return self.intercept_server_stream(call_next, request, ctx)


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
    """Sends the bearer token, on every kind of method (a metadata interceptor)."""

    def __init__(self, token: str) -> None:
        self._header = f"Bearer {token}"

    def on_start_sync(self, ctx: RequestContext[Any, Any], /) -> None:
        ctx.request_headers["authorization"] = self._header

    def on_end_sync(self, token: None, ctx: RequestContext[Any, Any], error: Exception | None, /) -> None:
        return


class Token:
    """Sends the bearer token, on every kind of method (asyncio metadata interceptor)."""

    def __init__(self, token: str) -> None:
        self._header = f"Bearer {token}"

    async def on_start(self, ctx: RequestContext[Any, Any]) -> None:
        ctx.request_headers["authorization"] = self._header

    async def on_end(self, token: None, ctx: RequestContext[Any, Any], error: Exception | None) -> None:
        return
