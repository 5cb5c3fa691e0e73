import { describe, expect, it } from "vitest";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { clientFor } from "../support/clients.js";
import { startTestServer } from "../support/server.js";
import { statSync, readFileSync } from "node:fs";
import { join } from "node:path";

describe("the server process", () => {
  it("prints the admin token once, stores it with mode 0600, and does not re-create it on restart", async () => {
    const first = await startTestServer();
    // the banner goes to stdout, the "listening" line to stderr: wait for both pipes
    for (let i = 0; i < 100 && !first.output().includes(first.token); i++) await new Promise((r) => setTimeout(r, 50));
    expect(first.output()).toContain(first.token);
    expect(first.token).toMatch(/^oesc_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(statSync(join(first.dataDir, "admin.token")).mode & 0o777).toBe(0o600);
    // only the hash is stored
    const db = readFileSync(join(first.dataDir, "openesc.db"));
    expect(db.includes(Buffer.from(first.token))).toBe(false);
    expect(await first.stop({ keepData: true })).toBe(0);

    const second = await startTestServer({ dataDir: first.dataDir });
    expect(second.output()).not.toContain(second.token);
    expect(second.token).toBe(first.token);
    await second.stop();
  });

  it("answers /healthz and /readyz, and 404 elsewhere", async () => {
    const server = await startTestServer();
    try {
      const health = await fetch(`${server.url}/healthz`);
      expect([health.status, await health.json()]).toEqual([200, { status: "ok" }]);
      const ready = await fetch(`${server.url}/readyz`);
      expect([ready.status, await ready.json()]).toEqual([200, { status: "ready" }]);
      expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    } finally {
      await server.stop();
    }
  });

  it("finishes in-flight requests on SIGTERM, then exits 0", async () => {
    const server = await startTestServer();
    const c = clientFor(EnvironmentService, "grpc", server.url, server.token);
    await c.createEnvironment({ org: "default", project: "drain", environment: "dev" });
    const inflight = Array.from({ length: 20 }, () => c.getEnvironment({ org: "default", project: "drain", environment: "dev" }));
    await Promise.race(inflight);
    const stopped = server.stop();
    const settled = await Promise.allSettled(inflight);
    expect(await stopped).toBe(0);
    // Every call either completed, or was refused before the server started it (REFUSED_STREAM /
    // GOAWAY: safe to retry). None was cut off half-way.
    for (const r of settled) {
      if (r.status === "rejected") expect(String(r.reason)).toMatch(/REFUSED_STREAM|GOAWAY|unavailable/i);
    }
    expect(settled.filter((r) => r.status === "fulfilled").length).toBeGreaterThan(0);
    expect(server.output()).toContain('"msg":"stopped"');
  });

  it("logs one JSON line per call with a request id, and never the token", async () => {
    const server = await startTestServer();
    const c = clientFor(EnvironmentService, "connect", server.url, server.token);
    await c.listEnvironments({});
    await server.stop();
    const lines = server.output().split("\n").filter((l) => l.includes('"msg":"rpc"'));
    expect(lines.length).toBeGreaterThanOrEqual(1);
    const entry = JSON.parse(lines[0] as string) as Record<string, unknown>;
    expect(entry.rpc).toBe("openesc.v1.EnvironmentService/ListEnvironments");
    expect(entry.code).toBe("ok");
    expect(entry.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const logsOnly = server.output().replace(server.token, "<banner>");
    expect(logsOnly.includes(server.token)).toBe(false);
  });
});
