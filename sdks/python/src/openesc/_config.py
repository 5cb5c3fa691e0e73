"""Where a client finds its server, token and CA: arguments, OPENESC_* variables, the CLI credentials file."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from connectrpc.code import Code

from openesc._errors import InvalidError, invalid

if TYPE_CHECKING:
    from collections.abc import Mapping


@dataclass(frozen=True)
class Connection:
    """The resolved settings of a client."""

    url: str
    token: str | None
    default_org: str | None
    ca_pem: bytes | None


def credentials_path(env: Mapping[str, str]) -> Path:
    """``$OPENESC_HOME/credentials.json``, else ``~/.openesc/credentials.json``."""
    home = env.get("OPENESC_HOME") or ""
    return Path(home) / "credentials.json" if home else Path.home() / ".openesc" / "credentials.json"


def _read_credentials(env: Mapping[str, str]) -> dict[str, Any]:
    path = credentials_path(env)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as e:
        raise InvalidError(Code.FAILED_PRECONDITION, f"cannot read {path}: {e.strerror}") from None
    try:
        data = json.loads(text)
    except ValueError:
        raise InvalidError(Code.FAILED_PRECONDITION, f"{path} is not valid JSON; fix it or log in again") from None
    return data if isinstance(data, dict) else {}


def normalize_url(text: str) -> str:
    """http(s) only, lower-case scheme and host, no trailing slash (as the CLI stores URLs)."""
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise invalid(f'invalid server URL "{text}": expected http://HOST:PORT or https://HOST:PORT')
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path.rstrip('/')}"


def resolve_connection(
    url: str | None,
    token: str | None,
    *,
    default_org: str | None,
    ca: bytes | str | None,
    ca_file: str | os.PathLike[str] | None,
    env: Mapping[str, str] | None,
) -> Connection:
    """Arguments win, then ``OPENESC_URL``/``OPENESC_TOKEN``, then the credentials file (read only
    when the URL or the token is still missing)."""
    environ: Mapping[str, str] = os.environ if env is None else env
    raw_url = url or environ.get("OPENESC_URL") or None
    token = token if token is not None else (environ.get("OPENESC_TOKEN") or None)
    stored: dict[str, Any] = _read_credentials(environ) if raw_url is None or token is None else {}
    raw_url = raw_url or stored.get("current")
    if not raw_url:
        raise InvalidError(
            Code.FAILED_PRECONDITION,
            "no OpenESC server: pass url, set OPENESC_URL, or log in with `openesc login URL`",
        )
    normalized = normalize_url(raw_url)
    servers = stored.get("servers")
    server: dict[str, Any] = (servers.get(normalized) if isinstance(servers, dict) else None) or {}
    if token is None and isinstance(server.get("token"), str):
        token = server["token"]
    ca_pem: bytes | None = ca.encode() if isinstance(ca, str) else ca
    path = ca_file or server.get("caFile")
    if ca_pem is None and path:
        try:
            ca_pem = Path(path).read_bytes()
        except OSError as e:
            raise invalid(f"cannot read the CA file {path}: {e.strerror}") from None
    if server.get("insecure") and ca_pem is None:
        raise invalid(f"{normalized} was logged in with --insecure, which the Python SDK does not support: pass ca_file")
    return Connection(normalized, token, default_org or server.get("org"), ca_pem)
