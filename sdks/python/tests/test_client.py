"""The synchronous client against the real server."""

from __future__ import annotations

import json
import logging
import subprocess
from pathlib import Path

import pytest
from connectrpc.code import Code
from connectrpc.errors import ConnectError

from openesc import (
    Client,
    ConflictError,
    DeadlineExceededError,
    InvalidError,
    NotFoundError,
    OpenEscError,
    PermissionDeniedError,
    RetryPolicy,
    Secret,
    UnauthenticatedError,
    UnavailableError,
    reveal,
)
from openesc.v1.environment_connect import EnvironmentServiceClientSync
from openesc.v1.environment_pb2 import CreateEnvironmentRequest, GetEnvironmentRequest, UpdateEnvironmentRequest
from openesc.v1.grant_connect import GrantServiceClientSync
from openesc.v1.grant_pb2 import SetGrantRequest
from openesc.v1.identity_connect import IdentityServiceClientSync
from openesc.v1.identity_pb2 import WhoAmIRequest
from openesc.v1.token_connect import TokenServiceClientSync
from openesc.v1.token_pb2 import CreateTokenRequest

from conftest import Server, start_server


@pytest.fixture
def esc(server: Server) -> Client:
    with Client(server.url, server.token, env={}) as client:
        yield client


def test_open(esc: Client) -> None:
    env = esc.open("default/sdk/prod")
    assert env.revision == 1
    assert env.value["app"] == {
        "dotted.key": "dotted", "enabled": True, "hosts": ["a.example.com", "b.example.com"], "name": "payments", "ratio": 0.5, "replicas": 3,
    }
    assert isinstance(env.get("db.password"), Secret)
    assert reveal(env.get("db.password")) == "hunter2"
    assert env.get("app.hosts[1]") == "b.example.com"
    assert env.get('app["dotted.key"]') == "dotted"
    assert env.get("app.nope") is None
    assert env.get("app.nope", "fallback") == "fallback"
    assert list(env.environment_variables) == ["DB_PASSWORD", "DB_USER"]
    assert env.environment_variables["DB_USER"] == "admin"
    assert reveal(env.environment_variables) == {"DB_PASSWORD": "hunter2", "DB_USER": "admin"}
    assert env.files == {"CA_PEM": "pem-text"}
    assert env.pulumi_config is None


def test_secrets_print_redacted(esc: Client, caplog: pytest.LogCaptureFixture) -> None:
    env = esc.open("default/sdk/prod")
    db = env.value["db"]
    logging.getLogger("app").warning("opened %s", db)
    for text in (str(db), repr(db), f"{db}", json.dumps(db, default=str), str(env.environment_variables), caplog.text):
        assert "hunter2" not in text
        assert "[secret]" in text
    assert str(env.get("db.password")) == "[secret]"
    assert env.get("db.password").reveal() == "hunter2"


def test_read_by_path(esc: Client) -> None:
    assert reveal(esc.read("default/sdk/prod", "db.password")) == "hunter2"
    assert esc.read("default/sdk/prod", "app.hosts[0]") == "a.example.com"
    assert esc.read("default/sdk/prod", 'app["dotted.key"]') == "dotted"
    assert esc.read("default/sdk/prod", ["app", "dotted.key"]) == "dotted"
    session = esc.open_session("default/sdk/prod@1", duration=60)
    assert session.revision == 1
    assert session.read("app.replicas") == 3
    assert reveal(session.read("db")) == {"password": "hunter2", "user": "admin"}
    with Client(esc.url, None, default_org="default", env={"OPENESC_TOKEN": esc_token(esc)}) as with_org:
        assert with_org.read("sdk/prod", "app.name") == "payments"


def esc_token(esc: Client) -> str:
    return esc._connection.token or ""  # noqa: SLF001 - the test's own client


def test_not_found(esc: Client) -> None:
    with pytest.raises(NotFoundError) as e:
        esc.open("default/sdk/missing")
    assert isinstance(e.value, ConnectError)
    assert (e.value.code, e.value.message) == (Code.NOT_FOUND, 'environment "default/sdk/missing" not found')
    with pytest.raises(NotFoundError) as e:
        esc.read("default/sdk/prod", "app.nope")
    assert e.value.message == 'path "app.nope" not found in the environment'


def test_conflict(esc: Client) -> None:
    envs = esc.service(EnvironmentServiceClientSync)
    with pytest.raises(ConflictError) as e:
        envs.create_environment(CreateEnvironmentRequest(org="default", project="sdk", environment="prod"))
    assert e.value.code == Code.ALREADY_EXISTS
    envs.create_environment(CreateEnvironmentRequest(org="default", project="sdk", environment="stale-py", definition="values: {a: 1}"))
    update = UpdateEnvironmentRequest(org="default", project="sdk", environment="stale-py", definition="values: {a: 2}", base_revision=1)
    envs.update_environment(update)
    with pytest.raises(ConflictError) as e:
        envs.update_environment(update)
    assert e.value.code == Code.ABORTED


def test_invalid_with_diagnostics(esc: Client) -> None:
    with pytest.raises(InvalidError) as e:
        esc.service(EnvironmentServiceClientSync).create_environment(
            CreateEnvironmentRequest(org="default", project="sdk", environment="bad", definition="values:\n  a: ${nope}\n")
        )
    assert e.value.code == Code.INVALID_ARGUMENT
    assert [(d.summary, d.range.begin.line, d.range.begin.column) for d in e.value.diagnostics] == [('unknown property "nope"', 2, 8)]
    envs = esc.service(EnvironmentServiceClientSync)
    envs.create_environment(CreateEnvironmentRequest(org="default", project="sdk", environment="base", definition="values:\n  db:\n    host: h\n"))
    envs.create_environment(CreateEnvironmentRequest(org="default", project="sdk", environment="app", definition="imports:\n  - sdk/base\nvalues:\n  url: ${db.host}\n"))
    envs.update_environment(UpdateEnvironmentRequest(org="default", project="sdk", environment="base", definition="values:\n  other: 1\n", base_revision=1))
    with pytest.raises(InvalidError) as e:
        esc.open("default/sdk/app")
    assert (e.value.code, e.value.message) == (Code.FAILED_PRECONDITION, 'environment "default/sdk/app" has errors: 4:10: unknown property "db"')
    assert [(d.path, d.summary) for d in e.value.diagnostics] == [("values.url", 'unknown property "db"')]
    with pytest.raises(InvalidError) as e:
        esc.read("default/sdk/prod", "a..b")
    assert e.value.message == 'invalid property path "a..b": expected a property name at column 3'
    with pytest.raises(InvalidError):
        esc.open("just-a-name")


def test_unauthenticated(server: Server) -> None:
    with Client(server.url, "not-a-token", env={}) as bad, pytest.raises(UnauthenticatedError) as e:
        bad.open("default/sdk/prod")
    assert e.value.code == Code.UNAUTHENTICATED


def test_permission_denied(esc: Client, server: Server) -> None:
    token = esc.service(TokenServiceClientSync).create_token(CreateTokenRequest(user="reader-py", role="member", description="sdk test"))
    esc.service(GrantServiceClientSync).set_grant(
        SetGrantRequest(org="default", subject="user:reader-py", project="sdk", environment="prod", permission="read")
    )
    with Client(server.url, token.secret, env={}) as reader, pytest.raises(PermissionDeniedError) as e:
        reader.open("default/sdk/prod")
    assert e.value.code == Code.PERMISSION_DENIED


# Every code's class, against a stand-in that answers with that code.
@pytest.mark.parametrize(
    ("wire", "status", "cls", "code"),
    [
        ("not_found", 404, NotFoundError, Code.NOT_FOUND),
        ("permission_denied", 403, PermissionDeniedError, Code.PERMISSION_DENIED),
        ("unauthenticated", 401, UnauthenticatedError, Code.UNAUTHENTICATED),
        ("already_exists", 409, ConflictError, Code.ALREADY_EXISTS),
        ("failed_precondition", 400, ConflictError, Code.FAILED_PRECONDITION),
        ("invalid_argument", 400, InvalidError, Code.INVALID_ARGUMENT),
        ("unavailable", 503, UnavailableError, Code.UNAVAILABLE),
        ("internal", 500, OpenEscError, Code.INTERNAL),
    ],
)
def test_error_classes(fake, wire: str, status: int, cls: type, code: Code) -> None:  # type: ignore[no-untyped-def]
    f = fake(status, json.dumps({"code": wire, "message": f"refused: {wire}"}))
    with Client(f.url, "t", retry=None, env={}) as client, pytest.raises(OpenEscError) as e:
        client.open("o/p/e")
    assert type(e.value) is cls
    assert (e.value.code, e.value.message) == (code, f"refused: {wire}")


def test_timeout(fake) -> None:  # type: ignore[no-untyped-def]
    silent = fake(None, "")
    with Client(silent.url, "t", timeout=0.2, env={}) as client, pytest.raises(DeadlineExceededError) as e:
        client.open("o/p/e")
    assert e.value.code == Code.DEADLINE_EXCEEDED
    assert isinstance(e.value, TimeoutError)


def test_retries_only_calls_without_side_effects(fake) -> None:  # type: ignore[no-untyped-def]
    down = fake(503, json.dumps({"code": "unavailable", "message": "down for maintenance"}))
    with Client(down.url, "t", retry=RetryPolicy(max_attempts=4, initial_backoff=0.001), env={}) as client:
        envs = client.service(EnvironmentServiceClientSync)
        with pytest.raises(UnavailableError) as e:
            envs.get_environment(GetEnvironmentRequest(org="o", project="p", environment="e"))
        assert e.value.message == "down for maintenance"
        assert down.paths == ["/openesc.v1.EnvironmentService/GetEnvironment"] * 4
        down.paths.clear()
        with pytest.raises(UnavailableError):
            envs.create_environment(CreateEnvironmentRequest(org="o", project="p", environment="e"))
        assert down.paths == ["/openesc.v1.EnvironmentService/CreateEnvironment"]


def test_from_environment_and_credentials_file(server: Server, tmp_path: Path) -> None:
    with Client.from_environment(env={"OPENESC_URL": server.url + "/", "OPENESC_TOKEN": server.token, "OPENESC_HOME": str(tmp_path)}) as esc:
        assert esc.url == server.url
        assert esc.read("default/sdk/prod", "app.name") == "payments"
    (tmp_path / "credentials.json").write_text(json.dumps({"current": server.url, "servers": {server.url: {"token": server.token, "org": "default"}}}))
    with Client(env={"OPENESC_HOME": str(tmp_path)}) as esc:
        assert esc.read("sdk/prod", "app.name") == "payments"
    with pytest.raises(InvalidError) as e:
        Client(env={"OPENESC_HOME": str(tmp_path / "nothing")})
    assert e.value.message == "no OpenESC server: pass url, set OPENESC_URL, or log in with `openesc login URL`"
    (tmp_path / "credentials.json").write_text("{nope")
    with pytest.raises(InvalidError) as e:
        Client(env={"OPENESC_HOME": str(tmp_path)})
    assert e.value.message == f"{tmp_path / 'credentials.json'} is not valid JSON; fix it or log in again"


def make_ca_and_leaf(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A private CA and a server certificate for 127.0.0.1 that it signed (rustls refuses a
    self-signed certificate that is its own CA)."""
    ca_key, ca, key, csr, cert, ext = (tmp_path / n for n in ("ca.key", "ca.pem", "key.pem", "server.csr", "cert.pem", "ext.cnf"))
    ext.write_text("subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n")
    for cmd in (
        ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=OpenESC test CA", "-keyout", str(ca_key), "-out", str(ca)],
        ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(csr)],
        ["x509", "-req", "-in", str(csr), "-CA", str(ca), "-CAkey", str(ca_key), "-CAcreateserial", "-days", "1", "-extfile", str(ext), "-out", str(cert)],
    ):
        subprocess.run(["openssl", *cmd], check=True, capture_output=True)
    return ca, cert, key


def test_tls_with_a_custom_ca(tmp_path: Path) -> None:
    ca, cert, key = make_ca_and_leaf(tmp_path)
    tls = start_server("--tls-cert", str(cert), "--tls-key", str(key))
    try:
        assert tls.url.startswith("https://")
        with Client(tls.url, tls.token, ca_file=ca, env={}) as esc:
            assert esc.service(IdentityServiceClientSync).who_am_i(WhoAmIRequest()).login == "admin"
        with Client(tls.url, tls.token, ca=ca.read_bytes(), env={}) as esc:
            assert esc.service(IdentityServiceClientSync).who_am_i(WhoAmIRequest()).login == "admin"
        with Client(tls.url, tls.token, retry=None, env={}) as untrusting, pytest.raises(UnavailableError) as e:
            untrusting.service(IdentityServiceClientSync).who_am_i(WhoAmIRequest())
        assert "invalid peer certificate: UnknownIssuer" in e.value.message
    finally:
        tls.stop()


def test_tls_with_a_self_signed_certificate(tmp_path: Path) -> None:
    # As the README says: rustls accepts a self-signed certificate that is not marked as a CA.
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-addext", "basicConstraints=critical,CA:FALSE", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    tls = start_server("--tls-cert", str(cert), "--tls-key", str(key))
    try:
        with Client(tls.url, tls.token, ca_file=cert, env={}) as esc:
            assert esc.service(IdentityServiceClientSync).who_am_i(WhoAmIRequest()).login == "admin"
    finally:
        tls.stop()
