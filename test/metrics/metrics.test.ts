/**
 * /metrics, trace ids and their protection against the real server: exact counters after known
 * calls, no names or values in labels, traceparent continued and echoed on every protocol and in the
 * log line of the call, the separate metrics listener and the scrape token.
 */
import * as net from "node:net";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Health } from "../../src/gen/grpc/health/v1/health_pb.js";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { OpenService } from "../../src/gen/openesc/v1/open_pb.js";
import { OrganizationService } from "../../src/gen/openesc/v1/organization_pb.js";
import { clientFor, PROTOCOLS, transportFor } from "../support/clients.js";
import { createTestDatabase, testPostgresUrl } from "../support/postgres.js";
import { startTestServer, type TestServer } from "../support/server.js";

async function scrape(url: string, token?: string): Promise<{ status: number; body: string; type: string }> {
  const res = await fetch(`${url}/metrics`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.text(), type: res.headers.get("content-type") ?? "" };
}

/** The value of one sample line, e.g. `openesc_rpc_requests_total{…}`. */
function sample(body: string, series: string): number | undefined {
  const line = body.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** The server's log line holding `needle` (log lines reach the pipe after the response may). */
async function logLine(server: TestServer, needle: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 200; i++) {
    const line = server
      .output()
      .split("\n")
      .find((l) => l.includes(needle));
    if (line !== undefined) return JSON.parse(line) as Record<string, unknown>;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no log line with ${needle}:\n${server.output()}`);
}

const rpc = (service: string, method: string, code: string) => `{service="openesc.v1.${service}",method="${method}",code="${code}"}`;

describe("/metrics on the main port", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("counts RPCs by method and code, times them, and reports evaluations and open sessions", async () => {
    const orgs = clientFor(OrganizationService, "connect", server.url, server.token);
    await orgs.listOrganizations({});
    await clientFor(OrganizationService, "grpc", server.url, server.token).listOrganizations({});
    const envs = clientFor(EnvironmentService, "grpc-web", server.url, server.token);
    await expect(envs.getEnvironment({ org: "default", project: "nope", environment: "nope" })).rejects.toMatchObject({ code: Code.NotFound });
    await envs.createEnvironment({ org: "default", project: "billing", environment: "secret-env-name", definition: "values:\n  pw:\n    fn::secret: hunter2-plaintext\n" });
    await clientFor(OpenService, "connect", server.url, server.token).openEnvironment({ org: "default", project: "billing", environment: "secret-env-name" });

    const { status, body, type } = await scrape(server.url);
    expect(status).toBe(200);
    expect(type).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(sample(body, `openesc_rpc_requests_total${rpc("OrganizationService", "ListOrganizations", "ok")}`)).toBe(2);
    expect(sample(body, `openesc_rpc_requests_total${rpc("EnvironmentService", "GetEnvironment", "not_found")}`)).toBe(1);
    expect(sample(body, `openesc_rpc_duration_seconds_count${rpc("EnvironmentService", "GetEnvironment", "not_found")}`)).toBe(1);
    expect(sample(body, `openesc_rpc_duration_seconds_bucket{le="+Inf",service="openesc.v1.OrganizationService",method="ListOrganizations",code="ok"}`)).toBe(2);
    expect(sample(body, `openesc_evaluation_duration_seconds_count{outcome="ok"}`)).toBe(1);
    expect(sample(body, "openesc_open_sessions")).toBe(1);
    expect(sample(body, "openesc_rpc_in_flight")).toBe(0);
    expect(sample(body, `openesc_build_info{version="0.1.0"}`)).toBe(1);
    expect(body).toContain("openesc_process_cpu_seconds_total");
    // SQLite has no pool.
    expect(body).not.toContain("openesc_db_pool_connections{");
    // Paths, names and values never become labels.
    expect(body).not.toContain("secret-env-name");
    expect(body).not.toContain("billing");
    expect(body).not.toContain("hunter2");
    expect(body).not.toContain("admin");
  });

  it("times provider calls by provider and outcome, and failed evaluations", async () => {
    const envs = clientFor(EnvironmentService, "connect", server.url, server.token);
    // Nothing listens on port 1: the provider call fails at once, with a diagnostic.
    const definition = `values:
  creds:
    fn::open::vault-secrets:
      login: { address: "http://127.0.0.1:1", token: { fn::secret: not-a-real-token } }
      read:
        a: { path: secret/app }
`;
    await envs.createEnvironment({ org: "default", project: "billing", environment: "vault-down", definition });
    const open = clientFor(OpenService, "grpc", server.url, server.token);
    await expect(open.openEnvironment({ org: "default", project: "billing", environment: "vault-down" })).rejects.toMatchObject({ code: Code.FailedPrecondition });
    const { body } = await scrape(server.url);
    expect(sample(body, `openesc_provider_call_duration_seconds_count{provider="vault-secrets",outcome="error"}`)).toBe(1);
    expect(sample(body, `openesc_evaluation_duration_seconds_count{outcome="error"}`)).toBe(1);
    expect(sample(body, `openesc_rpc_requests_total${rpc("OpenService", "OpenEnvironment", "failed_precondition")}`)).toBe(1);
    expect(body).not.toContain("not-a-real-token");
    expect(body).not.toContain("127.0.0.1");
  });

  it("counts calls refused before the handler (unauthenticated) under their method", async () => {
    const orgs = clientFor(OrganizationService, "connect", server.url, "not-a-token");
    await expect(orgs.listOrganizations({})).rejects.toMatchObject({ code: Code.Unauthenticated });
    const { body } = await scrape(server.url);
    expect(sample(body, `openesc_rpc_requests_total${rpc("OrganizationService", "ListOrganizations", "unauthenticated")}`)).toBe(1);
  });

  it.each(PROTOCOLS)("continues the caller's trace over %s: traceparent echoed with a new span, trace id in the log line", async (protocol) => {
    const traceId = `${protocol === "grpc" ? "a" : protocol === "connect" ? "b" : "c"}bf92f3577b34da6a3ce929d0e0e4736`;
    let echoed: string | null = null;
    const orgs = clientFor(OrganizationService, protocol, server.url, server.token);
    await orgs.listOrganizations({}, { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` }, onHeader: (h) => (echoed = h.get("traceparent")) });
    const m = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(echoed ?? "");
    expect(m?.[1]).toBe(traceId);
    expect(m?.[2]).not.toBe("00f067aa0ba902b7");
    expect(await logLine(server, `"trace_id":"${traceId}"`)).toMatchObject({ rpc: "openesc.v1.OrganizationService/ListOrganizations", trace_id: traceId, span_id: m?.[2], code: "ok" });
  });

  it("starts a trace when the caller sends none (or a malformed one), and refusals carry it too", async () => {
    let echoed: string | null = null;
    const orgs = clientFor(OrganizationService, "connect", server.url, "bad-token");
    const error = await orgs.listOrganizations({}, { headers: { traceparent: "garbage" } }).catch((e: unknown) => ConnectError.from(e));
    echoed = (error as ConnectError).metadata.get("traceparent");
    const m = /^00-([0-9a-f]{32})-([0-9a-f]{16})-00$/.exec(echoed ?? "");
    expect(m).not.toBeNull();
    expect(await logLine(server, `"trace_id":"${m?.[1]}"`)).toMatchObject({ code: "Unauthenticated", span_id: m?.[2] });
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

describe("/metrics protected", () => {
  let server: TestServer;
  let metricsUrl: string;
  beforeAll(async () => {
    const port = await freePort();
    metricsUrl = `http://127.0.0.1:${port}`;
    server = await startTestServer({ args: ["--metrics-listen", `127.0.0.1:${port}`], env: { OPENESC_METRICS_TOKEN: "scrape-me" } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("serves /metrics only on its own listener, and only with the scrape token", async () => {
    expect((await scrape(server.url, "scrape-me")).status).toBe(404);
    expect((await scrape(metricsUrl)).status).toBe(401);
    expect((await scrape(metricsUrl, "wrong")).status).toBe(401);
    const ok = await scrape(metricsUrl, "scrape-me");
    expect(ok.status).toBe(200);
    expect(ok.body).toContain("# TYPE openesc_rpc_requests_total counter");
    expect((await fetch(`${metricsUrl}/healthz`)).status).toBe(404);
    // The main port still serves everything else.
    expect((await createClient(Health, transportFor("connect", server.url)).check({})).status).toBe(1);
  });

  it("does not answer with the token in the log", () => {
    expect(server.output()).not.toContain("scrape-me");
  });
});

describe("/metrics off", () => {
  it("is not served at all with --metrics-listen off", async () => {
    const server = await startTestServer({ args: ["--metrics-listen", "off"] });
    try {
      expect((await scrape(server.url)).status).toBe(404);
    } finally {
      await server.stop();
    }
  });
});

describe.skipIf(testPostgresUrl() === undefined)("/metrics on PostgreSQL", () => {
  it("reports the connection pool", async () => {
    const db = await createTestDatabase();
    const server = await startTestServer({ database: db.url });
    try {
      await clientFor(OrganizationService, "connect", server.url, server.token).listOrganizations({});
      const { body } = await scrape(server.url);
      expect(sample(body, `openesc_db_pool_connections{state="total"}`)).toBeGreaterThanOrEqual(1);
      expect(sample(body, `openesc_db_pool_connections{state="idle"}`)).toBeGreaterThanOrEqual(0);
      expect(sample(body, `openesc_db_pool_connections{state="waiting"}`)).toBe(0);
    } finally {
      await server.stop();
      await db.drop();
    }
  }, 60_000);
});
