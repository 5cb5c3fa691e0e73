"""The asyncio client: the same calls as Client, awaited."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, TypeVar

from pyqwest import Client as HTTPClient
from pyqwest import HTTPTransport, HTTPVersion

from openesc._client import DEFAULT_TIMEOUT, _duration, ms, path_text
from openesc._config import Connection, resolve_connection
from openesc._environment import OpenedEnvironment, opened_environment
from openesc._interceptors import Errors, Retry, RetryPolicy, Token
from openesc._ref import EnvironmentRef, parse_ref
from openesc._values import EscValue, from_value
from openesc.v1.open_connect import OpenServiceClient
from openesc.v1.open_pb2 import OpenEnvironmentRequest, ReadOpenEnvironmentRequest, ResolveEnvironmentRequest

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from datetime import datetime
    from types import TracebackType

    from typing_extensions import Self

S = TypeVar("S")


class AsyncSession:
    """A server-side open session (asyncio)."""

    def __init__(self, client: OpenServiceClient, ref: EnvironmentRef, session_id: str, expire_time: datetime, revision: int) -> None:
        self._client, self._ref = client, ref
        self.id, self.expire_time, self.revision = session_id, expire_time, revision

    async def read(self, path: str | list[str | int] = "", *, timeout: float | None = None) -> EscValue:
        """The value at ``path`` (default: the whole value). Retried: reads have no side effects."""
        res = await self._client.read_open_environment(
            ReadOpenEnvironmentRequest(org=self._ref.org, project=self._ref.project, environment=self._ref.environment, session_id=self.id, path=path_text(path)),
            timeout_ms=ms(timeout),
        )
        return from_value(res.value)


class AsyncClient:
    """The asyncio client; see :class:`openesc.Client` for the arguments. Cancelling the task of a
    call cancels the call (``asyncio.CancelledError``)."""

    def __init__(
        self,
        url: str | None = None,
        token: str | None = None,
        *,
        default_org: str | None = None,
        timeout: float | None = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = RetryPolicy(),
        ca: bytes | str | None = None,
        ca_file: str | os.PathLike[str] | None = None,
        interceptors: Iterable[Any] = (),
        env: Mapping[str, str] | None = None,
    ) -> None:
        self._connection: Connection = resolve_connection(url, token, default_org=default_org, ca=ca, ca_file=ca_file, env=env)
        self._transport = HTTPTransport(tls_ca_cert=self._connection.ca_pem, tls_include_system_certs=True, http_version=HTTPVersion.HTTP1)
        self._http = HTTPClient(self._transport)
        chain: list[Any] = [Errors()]
        if retry is not None:
            chain.append(Retry(retry))
        if self._connection.token is not None:
            chain.append(Token(self._connection.token))
        chain.extend(interceptors)
        self._interceptors = tuple(chain)
        self._timeout_ms = ms(timeout)
        self._services: dict[type[Any], Any] = {}
        self._open = self.service(OpenServiceClient)

    @classmethod
    def from_environment(cls, **options: Any) -> Self:
        """A client configured by ``OPENESC_URL``/``OPENESC_TOKEN`` and the CLI credentials file."""
        return cls(None, None, **options)

    @property
    def url(self) -> str:
        """The server's base URL."""
        return self._connection.url

    def service(self, service_class: type[S]) -> S:
        """The generated asyncio client of any service, such as ``EnvironmentServiceClient``."""
        client = self._services.get(service_class)
        if client is None:
            client = service_class(  # type: ignore[call-arg]
                self._connection.url, interceptors=self._interceptors, http_client=self._http, timeout_ms=self._timeout_ms
            )
            self._services[service_class] = client
        return client

    async def open(self, ref: str | EnvironmentRef, *, timeout: float | None = None) -> OpenedEnvironment:
        """Opens an environment and returns its value and projections, in one call."""
        r = parse_ref(ref, self._connection.default_org)
        res = await self._open.resolve_environment(
            ResolveEnvironmentRequest(org=r.org, project=r.project, environment=r.environment, version=r.version), timeout_ms=ms(timeout)
        )
        return opened_environment(res)

    async def read(self, ref: str | EnvironmentRef, path: str | list[str | int], *, timeout: float | None = None) -> EscValue:
        """Opens an environment and returns the value at one property path."""
        path_text(path)
        session = await self.open_session(ref, duration=60, timeout=timeout)
        return await session.read(path, timeout=timeout)

    async def open_session(self, ref: str | EnvironmentRef, *, duration: float | None = None, timeout: float | None = None) -> AsyncSession:
        """Opens an environment as a session living ``duration`` seconds (1 s to 24 h; default 1 h)."""
        r = parse_ref(ref, self._connection.default_org)
        req = OpenEnvironmentRequest(org=r.org, project=r.project, environment=r.environment, version=r.version)
        if duration is not None:
            req.duration.CopyFrom(_duration(duration))
        res = await self._open.open_environment(req, timeout_ms=ms(timeout))
        return AsyncSession(self._open, r, res.session_id, res.expire_time.ToDatetime(), res.revision)

    async def close(self) -> None:
        """Releases the connections."""
        await self._transport.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        await self.close()
