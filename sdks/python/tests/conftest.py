"""A real `openesc serve` (the repository's bin/openesc.js, built into dist/ by `npm run build`) on a
free loopback port with a temporary SQLite data directory, shared by the whole session."""

from __future__ import annotations

import sys

# No __pycache__ beside the sources, even when pytest is run by hand: the regeneration check compares
# the generated src/openesc/v1 folder byte for byte.
sys.dont_write_bytecode = True

import os
import re
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterator

import pytest

ROOT = Path(__file__).resolve().parents[3]
LISTENING = re.compile(r"openesc: listening on (https?://\S+)")


@dataclass
class Server:
    url: str
    token: str
    data_dir: Path
    process: subprocess.Popen[str]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.data_dir, ignore_errors=True)


def start_server(*args: str) -> Server:
    if not (ROOT / "dist").is_dir():
        raise RuntimeError(f"the server is not built: run `npm run build` in {ROOT}")
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is not on PATH: the tests run the real server (Node.js 20+)")
    data_dir = Path(tempfile.mkdtemp(prefix="openesc-py-sdk-"))
    process = subprocess.Popen(
        [node, str(ROOT / "bin/openesc.js"), "serve", "--listen", "127.0.0.1:0", "--data-dir", str(data_dir), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "OPENESC_LOG_LEVEL": "warn"},
    )
    found: list[str] = []
    output: list[str] = []
    ready = threading.Event()

    def watch() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            m = LISTENING.search(line)
            if m and not found:
                found.append(m.group(1))
                ready.set()
            elif not found:
                output.append(line)
        ready.set()

    threading.Thread(target=watch, daemon=True).start()
    # Generous: a busy machine may take long to start Node.js; a server that exits ends the wait at once.
    if not ready.wait(120) or not found:
        process.kill()
        shutil.rmtree(data_dir, ignore_errors=True)
        raise RuntimeError(f"openesc serve did not start (exit status {process.poll()}):\n{''.join(output)}")
    token = (data_dir / "admin.token").read_text().strip()
    return Server(found[0], token, data_dir, process)


DEFINITION = """values:
  app:
    name: payments
    replicas: 3
    ratio: 0.5
    enabled: true
    hosts: [a.example.com, b.example.com]
    "dotted.key": dotted
  db:
    user: admin
    password:
      fn::secret: hunter2
  environmentVariables:
    DB_USER: ${db.user}
    DB_PASSWORD: ${db.password}
  files:
    CA_PEM: pem-text
"""


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    from openesc import Client
    from openesc.v1.environment_connect import EnvironmentServiceClientSync
    from openesc.v1.environment_pb2 import CreateEnvironmentRequest
    from openesc.v1.organization_connect import OrganizationServiceClientSync
    from openesc.v1.organization_pb2 import CreateOrganizationRequest

    s = start_server()
    try:
        with Client(s.url, s.token, env={}) as esc:
            envs = esc.service(EnvironmentServiceClientSync)
            envs.create_environment(CreateEnvironmentRequest(org="default", project="sdk", environment="prod", definition=DEFINITION))
            esc.service(OrganizationServiceClientSync).create_organization(CreateOrganizationRequest(name="acme"))
            envs.create_environment(
                CreateEnvironmentRequest(org="acme", project="payments", environment="prod", definition="values:\n  db:\n    password:\n      fn::secret: hunter2\n")
            )
        yield s
    finally:
        s.stop()


@dataclass
class Fake:
    """A local HTTP server standing in for a broken OpenESC; it records the paths it was asked for."""

    url: str
    paths: list[str]
    arrived: threading.Semaphore
    auth: list[str]


@pytest.fixture
def fake() -> Iterator[Callable[[int | None, str], Fake]]:
    """fake(status, body) answers every POST so; fake(None, "") never answers."""
    servers: list[ThreadingHTTPServer] = []
    release = threading.Event()

    def make(status: int | None, body: str) -> Fake:
        paths: list[str] = []
        auth: list[str] = []
        arrived = threading.Semaphore(0)

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                self.rfile.read(int(self.headers.get("content-length", "0")))
                paths.append(self.path)
                auth.append(self.headers.get("authorization", ""))
                arrived.release()
                if status is None:
                    release.wait(30)
                    return
                data = body.encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        httpd.daemon_threads = True
        servers.append(httpd)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        return Fake(f"http://127.0.0.1:{httpd.server_address[1]}", paths, arrived, auth)

    yield make
    release.set()
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()
