"""The asyncio client against the real server: the same calls, awaited, plus task cancellation."""

from __future__ import annotations

import asyncio
import json

import pytest
from connectrpc.code import Code

from openesc import AsyncClient, DeadlineExceededError, InvalidError, NotFoundError, RetryPolicy, Secret, UnavailableError, reveal
from openesc.v1.environment_connect import EnvironmentServiceClient
from openesc.v1.environment_pb2 import CreateEnvironmentRequest, ListEnvironmentsRequest

from conftest import Server


def test_open_read_and_sessions(server: Server) -> None:
    async def run() -> None:
        async with AsyncClient(server.url, server.token, env={}) as esc:
            env = await esc.open("default/sdk/prod")
            assert env.revision == 1
            assert isinstance(env.get("db.password"), Secret)
            assert str(env.value["db"]) == "{'password': [secret], 'user': 'admin'}"
            assert reveal(env.environment_variables) == {"DB_PASSWORD": "hunter2", "DB_USER": "admin"}
            assert reveal(await esc.read("default/sdk/prod", "db.password")) == "hunter2"
            session = await esc.open_session("default/sdk/prod", duration=30)
            assert await session.read("app.hosts[1]") == "b.example.com"
            listed = await esc.service(EnvironmentServiceClient).list_environments(ListEnvironmentsRequest(org="default"))
            assert "prod" in [e.name for e in listed.environments]

    asyncio.run(run())


def test_typed_errors(server: Server) -> None:
    async def run() -> None:
        async with AsyncClient(server.url, server.token, env={}) as esc:
            with pytest.raises(NotFoundError) as e:
                await esc.open("default/sdk/missing")
            assert e.value.code == Code.NOT_FOUND
            with pytest.raises(InvalidError) as e:
                await esc.service(EnvironmentServiceClient).create_environment(
                    CreateEnvironmentRequest(org="default", project="sdk", environment="bad-async", definition="values:\n  a: ${nope}\n")
                )
            assert [d.summary for d in e.value.diagnostics] == ['unknown property "nope"']

    asyncio.run(run())


def test_cancelling_the_task_cancels_the_call(fake) -> None:  # type: ignore[no-untyped-def]
    silent = fake(None, "")

    async def run() -> None:
        async with AsyncClient(silent.url, "t", env={}) as esc:
            task = asyncio.ensure_future(esc.open("o/p/e"))
            while not silent.paths:
                await asyncio.sleep(0.01)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task

    asyncio.run(run())
    assert silent.paths == ["/openesc.v1.OpenService/ResolveEnvironment"]


def test_timeout_and_retries(fake) -> None:  # type: ignore[no-untyped-def]
    silent = fake(None, "")
    down = fake(503, json.dumps({"code": "unavailable", "message": "down"}))

    async def run() -> None:
        async with AsyncClient(silent.url, "t", timeout=0.2, env={}) as esc:
            with pytest.raises(DeadlineExceededError):
                await esc.open("o/p/e")
        async with AsyncClient(down.url, "t", retry=RetryPolicy(max_attempts=3, initial_backoff=0.001), env={}) as esc:
            with pytest.raises(UnavailableError):
                await esc.service(EnvironmentServiceClient).list_environments(ListEnvironmentsRequest())
            assert down.paths == ["/openesc.v1.EnvironmentService/ListEnvironments"] * 3
            down.paths.clear()
            with pytest.raises(UnavailableError):
                await esc.open("o/p/e")
            assert down.paths == ["/openesc.v1.OpenService/ResolveEnvironment"]

    asyncio.run(run())
