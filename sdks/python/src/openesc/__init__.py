"""OpenESC Python SDK: environments, secrets and configuration.

    from openesc import Client, reveal

    esc = Client.from_environment()  # OPENESC_URL + OPENESC_TOKEN, or your `openesc login`
    env = esc.open("acme/payments/prod")
    print(env.get("db.password"))          # [secret]
    print(reveal(env.get("db.password")))  # the plaintext

:class:`Client` is synchronous, :class:`AsyncClient` the asyncio twin. ``client.service(...)``
reaches every RPC through the generated clients in :mod:`openesc.v1` (``*_connect``, messages in
``*_pb2``), which ``npm run generate`` regenerates; never edit them by hand.
"""

__version__ = "0.1.0"

from openesc._async_client import AsyncClient, AsyncSession
from openesc._client import Client, Session
from openesc._config import credentials_path
from openesc._environment import OpenedEnvironment, ProjectedText
from openesc._errors import (
    CallCancelledError,
    ConflictError,
    DeadlineExceededError,
    InvalidError,
    NotFoundError,
    OpenEscError,
    PermissionDeniedError,
    UnauthenticatedError,
    UnavailableError,
)
from openesc._interceptors import RetryPolicy
from openesc._path import parse_path
from openesc._ref import EnvironmentRef, parse_ref
from openesc._secret import REDACTED, Secret, is_secret, reveal
from openesc._values import EscValue, from_value

__all__ = [
    "REDACTED",
    "AsyncClient",
    "AsyncSession",
    "CallCancelledError",
    "Client",
    "ConflictError",
    "DeadlineExceededError",
    "EnvironmentRef",
    "EscValue",
    "InvalidError",
    "NotFoundError",
    "OpenEscError",
    "OpenedEnvironment",
    "PermissionDeniedError",
    "ProjectedText",
    "RetryPolicy",
    "Secret",
    "Session",
    "UnauthenticatedError",
    "UnavailableError",
    "__version__",
    "credentials_path",
    "from_value",
    "is_secret",
    "parse_path",
    "parse_ref",
    "reveal",
]
