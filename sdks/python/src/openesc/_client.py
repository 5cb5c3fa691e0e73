"""The synchronous client."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, TypeVar

from google.protobuf.duration_pb2 import Duration
from pyqwest import HTTPVersion, SyncClient, SyncHTTPTransport

from openesc._config import Connection, resolve_connection
from openesc._environment import OpenedEnvironment, opened_environment
from openesc._interceptors import ErrorsSync, RetryPolicy, RetrySync, TokenSync
from openesc._path import format_path, parse_path
from openesc._ref import EnvironmentRef, parse_ref
from openesc._values import EscValue, from_value
from openesc.v1.open_connect import OpenServiceClientSync
from openesc.v1.open_pb2 import OpenEnvironmentRequest, ReadOpenEnvironmentRequest, ResolveEnvironmentRequest

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from datetime import datetime
    from types import TracebackType

    from typing_extensions import Self

S = TypeVar("S")

DEFAULT_TIMEOUT = 30.0
"""Seconds a call may take when the caller gives no time-out."""


def ms(seconds: float | None) -> int | None:
    """Seconds as the whole milliseconds Connect wants; None stays None."""
    return None if seconds is None else max(1, int(seconds * 1000))


def path_text(path: str | list[str | int]) -> str:
    """A path in the server's syntax: a string is checked, a parsed path is printed back."""
    if isinstance(path, str):
        parse_path(path)
        return path
    return format_path(path)


class Session:
    """A server-side open session: read it whole or by path until it expires."""

    def __init__(self, client: OpenServiceClientSync, ref: EnvironmentRef, session_id: str, expire_time: datetime, revision: int) -> None:
        self._client, self._ref = client, ref
        self.id, self.expire_time, self.revision = session_id, expire_time, revision

    def read(self, path: str | list[str | int] = "", *, timeout: float | None = None) -> EscValue:
        """The value at ``path`` (default: the whole value). Retried: reads have no side effects."""
        res = self._client.read_open_environment(
            ReadOpenEnvironmentRequest(org=self._ref.org, project=self._ref.project, environment=self._ref.environment, session_id=self.id, path=path_text(path)),
            timeout_ms=ms(timeout),
        )
        return from_value(res.value)


class Client:
    """A client of one OpenESC server with one token. Every method raises an OpenEscError subclass.

    ``Client(url, token)``, or ``Client()`` / ``Client.from_environment()`` to use ``OPENESC_URL`` and
    ``OPENESC_TOKEN``, then the CLI credentials file (``$OPENESC_HOME`` or ``~/.openesc``). Close it
    (or use ``with``) to release its connections.
    """

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
        """
        Args:
            url: the server (default: OPENESC_URL, then the credentials file's current server).
            token: the API token (default: OPENESC_TOKEN, then the token stored for the server).
            default_org: lets ``project/env`` name an environment (default: the org stored at login).
            timeout: seconds per call, retries included (default 30; None means none).
            retry: retries of calls without side effects; None turns them off.
            ca, ca_file: PEM certificates to trust for https besides the system's.
            interceptors: extra Connect interceptors, run inside the SDK's own.
            env: the variables to read OPENESC_* from (default: os.environ).
        """
        self._connection: Connection = resolve_connection(url, token, default_org=default_org, ca=ca, ca_file=ca_file, env=env)
        self._transport = SyncHTTPTransport(
            tls_ca_cert=self._connection.ca_pem,
            tls_include_system_certs=True,
            # The server answers Connect on HTTP/1.1 (its HTTP/2 path is native gRPC).
            http_version=HTTPVersion.HTTP1,
        )
        self._http = SyncClient(self._transport)
        chain: list[Any] = [ErrorsSync()]
        if retry is not None:
            chain.append(RetrySync(retry))
        if self._connection.token is not None:
            chain.append(TokenSync(self._connection.token))
        chain.extend(interceptors)
        self._interceptors = tuple(chain)
        self._timeout_ms = ms(timeout)
        self._services: dict[type[Any], Any] = {}
        self._open = self.service(OpenServiceClientSync)

    @classmethod
    def from_environment(cls, **options: Any) -> Self:
        """A client configured by ``OPENESC_URL``/``OPENESC_TOKEN`` and the CLI credentials file."""
        return cls(None, None, **options)

    @property
    def url(self) -> str:
        """The server's base URL."""
        return self._connection.url

    def service(self, service_class: type[S]) -> S:
        """The generated client of any service of the contract, such as
        ``EnvironmentServiceClientSync``, with this client's token, time-out, retries and typed errors."""
        client = self._services.get(service_class)
        if client is None:
            client = service_class(  # type: ignore[call-arg]
                self._connection.url, interceptors=self._interceptors, http_client=self._http, timeout_ms=self._timeout_ms
            )
            self._services[service_class] = client
        return client

    def open(self, ref: str | EnvironmentRef, *, timeout: float | None = None) -> OpenedEnvironment:
        """Opens an environment and returns its value and projections, in one call."""
        r = parse_ref(ref, self._connection.default_org)
        res = self._open.resolve_environment(
            ResolveEnvironmentRequest(org=r.org, project=r.project, environment=r.environment, version=r.version), timeout_ms=ms(timeout)
        )
        return opened_environment(res)

    def read(self, ref: str | EnvironmentRef, path: str | list[str | int], *, timeout: float | None = None) -> EscValue:
        """Opens an environment and returns the value at one property path, such as ``db.password``."""
        path_text(path)  # a malformed path fails before anything is opened
        return self.open_session(ref, duration=60, timeout=timeout).read(path, timeout=timeout)

    def open_session(self, ref: str | EnvironmentRef, *, duration: float | None = None, timeout: float | None = None) -> Session:
        """Opens an environment as a session living ``duration`` seconds (1 s to 24 h; default 1 h)."""
        r = parse_ref(ref, self._connection.default_org)
        req = OpenEnvironmentRequest(org=r.org, project=r.project, environment=r.environment, version=r.version)
        if duration is not None:
            req.duration.CopyFrom(_duration(duration))
        res = self._open.open_environment(req, timeout_ms=ms(timeout))
        return Session(self._open, r, res.session_id, res.expire_time.ToDatetime(), res.revision)

    def close(self) -> None:
        """Releases the connections."""
        self._transport.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def _duration(seconds: float) -> Duration:
    d = Duration()
    d.FromMilliseconds(int(seconds * 1000))
    return d
