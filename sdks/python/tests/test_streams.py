"""Streaming calls carry the token and fail with typed errors, like unary ones."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

import pytest
from connectrpc.client import ConnectClientSync
from connectrpc.compat import google_protobuf_binary_codec
from connectrpc.method import IdempotencyLevel, MethodInfo, StreamType
from google.protobuf.empty_pb2 import Empty

from openesc import Client, UnavailableError


class Streamer(ConnectClientSync):
    """A server-streaming client built like the generated ones (which client.service() constructs)."""

    def __init__(self, address: str, *, interceptors: Iterable[Any], http_client: Any, timeout_ms: int | None) -> None:
        super().__init__(address=address, codec=google_protobuf_binary_codec(), interceptors=interceptors, http_client=http_client, timeout_ms=timeout_ms)

    def export(self) -> Iterator[Empty]:
        return self.execute_server_stream(
            request=Empty(),
            method=MethodInfo(
                name="ExportAuditEvents", service_name="openesc.v1.AuditService", input=Empty, output=Empty,
                idempotency_level=IdempotencyLevel.NO_SIDE_EFFECTS, stream_type=StreamType.SERVER_STREAM,
            ),
        )


def test_server_stream_sends_the_token_and_raises_typed_errors(fake) -> None:  # type: ignore[no-untyped-def]
    down = fake(503, json.dumps({"code": "unavailable", "message": "down"}))
    with Client(down.url, "s3cret-token", env={}) as esc:
        with pytest.raises(UnavailableError):
            list(esc.service(Streamer).export())
    assert down.auth == ["Bearer s3cret-token"]
    assert down.paths == ["/openesc.v1.AuditService/ExportAuditEvents"]
