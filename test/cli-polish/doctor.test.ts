/**
 * `openesc doctor` against real servers: the binary over plain HTTP and TLS (self-signed, with and
 * without --ca-file / --insecure), a bad token, no server, a port nobody listens on and a web server
 * that is not OpenESC; the certificate and version rules through runDoctorChecks/checkVersion.
 */
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkVersion, runDoctorChecks } from "../../src/cli/doctor-checks.js";
import { WhoAmIResponseSchema } from "../../src/gen/openesc/v1/identity_pb.js";
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { REPO_ROOT, startTestServer, type TestServer } from "../support/server.js";
import { prepare, runCli, selfSignedCertificate, type Bindings } from "../cli/scenario.js";

const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("openesc doctor over plain HTTP", () => {
  let server: TestServer;
  let dir: string;
  let b: Bindings;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    server = await startTestServer();
    dir = mkdtempSync(join(tmpdir(), "openesc-doctor-"));
    b = { url: server.url, token: server.token, dir };
    env = prepare({ steps: [] }, b);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("passes every check with a good token", async () => {
    const out = await runCli("doctor --url {url} --token {token}", env, b);
    expect(out).toEqual({
      stdout:
        `ok    server      {url} (from --url)\n` +
        `ok    connection  {url} answers: healthy and ready\n` +
        `ok    tls         plain HTTP to a loopback address\n` +
        `ok    token       token {token-id} (from --token) acts as admin in org default (role admin)\n` +
        `ok    version     server ${VERSION}, client ${VERSION}\n`,
      stderr: "",
      exit: 0,
    });
  });

  it("reads OPENESC_URL and OPENESC_TOKEN, and prints JSON", async () => {
    const out = await runCli("doctor --output json", { ...env, OPENESC_URL: server.url, OPENESC_TOKEN: server.token }, b);
    expect(out.exit).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({
      url: "{url}",
      clientVersion: VERSION,
      ok: true,
      checks: [
        { name: "server", status: "ok", message: "{url} (from OPENESC_URL)" },
        { name: "connection", status: "ok", message: "{url} answers: healthy and ready" },
        { name: "tls", status: "ok", message: "plain HTTP to a loopback address" },
        { name: "token", status: "ok", message: "token {token-id} (from OPENESC_TOKEN) acts as admin in org default (role admin)" },
        { name: "version", status: "ok", message: `server ${VERSION}, client ${VERSION}` },
      ],
    });
  });

  it("uses the credentials saved by login", async () => {
    const home = { ...env, OPENESC_HOME: join(dir, "login-home") };
    expect((await runCli("login {url} --token {token}", home, b)).exit).toBe(0);
    const out = await runCli("doctor", home, b);
    expect(out.stdout.split("\n").slice(0, 1)).toEqual(["ok    server      {url} (from the credentials file)"]);
    expect(out.stdout).toContain("ok    token       token {token-id} (from the credentials file) acts as admin");
    expect(out.exit).toBe(0);
  });

  it("fails the token check with a revoked or unknown token, and exits 1", async () => {
    const out = await runCli("doctor --url {url} --token oesc_0123456789abcdef_nope", env, b);
    expect(out).toEqual({
      stdout:
        `ok    server      {url} (from --url)\n` +
        `ok    connection  {url} answers: healthy and ready\n` +
        `ok    tls         plain HTTP to a loopback address\n` +
        "fail  token       not authenticated: invalid token (log in with `openesc login URL`)\n" +
        `skip  version     needs a valid token\n`,
      stderr: "error: 1 of 5 checks failed\n",
      exit: 1,
    });
  });

  it("fails without a token", async () => {
    const out = await runCli("doctor --url {url}", env, b);
    expect(out.stdout).toContain("fail  token       no token for {url}: log in with `openesc login {url}`, or pass --token or set OPENESC_TOKEN\n");
    expect(out.exit).toBe(1);
  });

  it("fails without a server, and skips the rest", async () => {
    const out = await runCli("doctor", env, b);
    expect(out).toEqual({
      stdout:
        "fail  server      no server: log in with `openesc login URL`, or pass --url or set OPENESC_URL\n" +
        "skip  connection  no server\nskip  tls         no server\nskip  token       no server\nskip  version     no server\n",
      stderr: "error: 1 of 5 checks failed\n",
      exit: 1,
    });
  });

  it("fails the connection when nothing listens on the port", async () => {
    const closed = createHttpServer();
    const address = await listen(closed);
    await new Promise((r) => closed.close(r));
    const out = await runCli(`doctor --url http://${address} --token {token} --output json`, env, b);
    expect(out.exit).toBe(1);
    expect((JSON.parse(out.stdout) as { checks: unknown[] }).checks).toEqual([
      { name: "server", status: "ok", message: `http://${address} (from --url)` },
      { name: "connection", status: "fail", message: `cannot reach http://${address}: connection refused (is the server running, on this port?)` },
      { name: "tls", status: "skip", message: "the server cannot be reached" },
      { name: "token", status: "skip", message: "the server cannot be reached" },
      { name: "version", status: "skip", message: "the server cannot be reached" },
    ]);
  });

  it("fails the connection on a web server that is not OpenESC", async () => {
    const other = createHttpServer((_req, res) => res.writeHead(404).end("nope"));
    const address = await listen(other);
    try {
      const out = await runCli(`doctor --url http://${address} --token {token}`, env, b);
      expect(out.stdout.split("\n")[1]).toBe(`fail  connection  GET /healthz answered HTTP 404: is http://${address} an OpenESC server?`);
      expect(out.exit).toBe(1);
    } finally {
      await new Promise((r) => other.close(r));
    }
  });

  it("warns when the server is up but not ready", async () => {
    const draining = createHttpServer((req, res) => res.writeHead(req.url === "/healthz" ? 200 : 503).end("{}"));
    const address = await listen(draining);
    try {
      const out = await runCli(`doctor --url http://${address} --token {token}`, env, b);
      expect(out.stdout.split("\n")[1]).toBe(`warn  connection  http://${address} answers but is not ready (GET /readyz: HTTP 503): storage unreachable or shutting down`);
    } finally {
      await new Promise((r) => draining.close(r));
    }
  });

  it("refuses a bad --timeout as bad usage", async () => {
    expect(await runCli("doctor --timeout soon", env, b)).toEqual({ stdout: "", stderr: 'error: invalid --timeout "soon": expected seconds between 0 and 600\n', exit: 2 });
  });
});

describe("openesc doctor over TLS", () => {
  let server: TestServer;
  let dir: string;
  let b: Bindings;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "openesc-doctor-tls-"));
    server = await startTestServer({ args: selfSignedCertificate(dir) });
    b = { url: server.url, token: server.token, dir };
    env = prepare({ steps: [] }, b);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("fails on an untrusted certificate and says how to trust it", async () => {
    const out = await runCli("doctor --url {url} --token {token}", env, b);
    expect(out).toEqual({
      stdout:
        `ok    server      {url} (from --url)\n` +
        `fail  connection  TLS handshake refused: self-signed certificate (see the tls check)\n` +
        `fail  tls         certificate for 127.0.0.1 issued by 127.0.0.1 is not trusted: self-signed certificate (pass --ca-file FILE, or --insecure)\n` +
        `skip  token       the server cannot be reached\n` +
        `skip  version     the server cannot be reached\n`,
      stderr: "error: 2 of 5 checks failed\n",
      exit: 1,
    });
  });

  it("trusts it with --ca-file, and warns that it expires within a day", async () => {
    const out = await runCli("doctor --url {url} --token {token} --ca-file {dir}/cert.pem", env, b);
    expect(out.stdout.split("\n")[2]).toBe(
      "warn  tls         certificate for 127.0.0.1 issued by 127.0.0.1 expires within a day (valid until YYYY-MM-DDTHH:MM:SSZ, trusted through --ca-file {dir}/cert.pem): renew it",
    );
    expect(out.stdout).toContain("ok    token       token {token-id} (from --token)");
    expect(out.exit).toBe(0);
  });

  it("warns that nothing is verified with --insecure", async () => {
    const out = await runCli("doctor --url {url} --token {token} --insecure", env, b);
    expect(out.stdout.split("\n").slice(1, 3)).toEqual([
      "ok    connection  {url} answers: healthy and ready",
      "warn  tls         certificate for 127.0.0.1 issued by 127.0.0.1 is NOT verified (--insecure): self-signed certificate",
    ]);
    expect(out.exit).toBe(0);
  });
});

describe("runDoctorChecks: certificate dates", () => {
  let dir: string;
  let https: Server;
  let url: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "openesc-doctor-cert-"));
    selfSignedCertificate(dir);
    https = createHttpsServer({ cert: readFileSync(join(dir, "cert.pem")), key: readFileSync(join(dir, "key.pem")) }, (_req, res) => res.writeHead(200).end("{}"));
    url = `https://${await listen(https)}`;
  });
  afterAll(async () => {
    await new Promise((r) => https.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (now: Date) =>
    runDoctorChecks({
      connection: { url, urlSource: "flag", token: "t", tokenSource: "flag", tls: { caFile: "ca.pem" }, defaultOrg: "default" },
      ca: readFileSync(join(dir, "cert.pem")),
      clientVersion: "1.0.0",
      whoAmI: async () => create(WhoAmIResponseSchema, { login: "ci", org: "acme", role: "member", tokenId: "abc", serverVersion: "1.0.0" }),
      timeoutMs: 5000,
      now,
    });

  it("fails a certificate that has expired by the clock", async () => {
    const tls = (await run(new Date(Date.now() + 3 * 86_400_000))).find((c) => c.name === "tls");
    expect(tls?.status).toBe("fail");
    expect(tls?.message).toMatch(/^certificate for 127\.0\.0\.1 issued by 127\.0\.0\.1 expired at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ: renew it$/);
  });

  it("fails a certificate that is not valid yet", async () => {
    const tls = (await run(new Date(Date.now() - 3 * 86_400_000))).find((c) => c.name === "tls");
    expect(tls?.status).toBe("fail");
    expect(tls?.message).toMatch(/is not valid before \d{4}-/);
  });
});

describe("runDoctorChecks: token expiry", () => {
  let http: Server;
  let url: string;
  beforeAll(async () => {
    http = createHttpServer((_req, res) => res.writeHead(200).end("{}"));
    url = `http://${await listen(http)}`;
  });
  afterAll(async () => {
    await new Promise((r) => http.close(r));
  });
  const now = new Date("2026-03-01T00:00:00Z");
  const run = (expires: Date | undefined) =>
    runDoctorChecks({
      connection: { url, urlSource: "flag", token: "t", tokenSource: "environment", tls: {}, defaultOrg: "default" },
      clientVersion: "1.0.0",
      whoAmI: async () =>
        create(WhoAmIResponseSchema, {
          login: "ci",
          org: "acme",
          role: "member",
          tokenId: "abc",
          serverVersion: "1.0.0",
          ...(expires !== undefined ? { tokenExpireTime: timestampFromDate(expires) } : {}),
        }),
      timeoutMs: 5000,
      now,
    });

  it.each([
    [undefined, "ok", "token abc (from OPENESC_TOKEN) acts as ci in org acme (role member)"],
    [new Date("2026-04-01T00:00:00Z"), "ok", "token abc (from OPENESC_TOKEN) acts as ci in org acme (role member); expires 2026-04-01T00:00:00Z"],
    [
      new Date("2026-03-04T12:00:00Z"),
      "warn",
      "token abc (from OPENESC_TOKEN) acts as ci in org acme (role member); it expires in 3 days (2026-03-04T12:00:00Z): create another with `openesc admin token create`",
    ],
    [
      new Date("2026-03-01T05:00:00Z"),
      "warn",
      "token abc (from OPENESC_TOKEN) acts as ci in org acme (role member); it expires within a day (2026-03-01T05:00:00Z): create another with `openesc admin token create`",
    ],
  ])("expiring %s: %s", async (expires, status, message) => {
    expect((await run(expires)).find((c) => c.name === "token")).toEqual({ name: "token", status, message });
  });
});

describe("checkVersion", () => {
  it.each([
    ["1.2.3", "1.2.3", "ok", "server 1.2.3, client 1.2.3"],
    ["1.2.3", "1.4.0", "warn", "server 1.4.0, client 1.2.3: versions differ; upgrade the older one"],
    ["1.2.3", "2.0.0", "fail", "server 2.0.0, client 1.2.3: different major versions may not work together; install client 2.0.0"],
    ["1.2.3", "", "warn", "the server does not report its version (client 1.2.3)"],
  ])("client %s, server %j: %s", (client, server, status, message) => {
    expect(checkVersion(client, server)).toEqual({ name: "version", status, message });
  });
});
