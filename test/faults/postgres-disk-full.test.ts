// Fault (issue 9 §4): the disk under PostgreSQL's data directory fills up. Writes fail cleanly with
// ResourceExhausted; reads keep being answered with the right values, their audit events waiting in
// the local audit spool; once space is freed the spool drains into the chain and the chain verifies.
// The cluster is the test's own, its data directory on a small tmpfs in a private mount namespace
// (test/faults/namespaced-postgres.ts).
import { randomBytes } from "node:crypto";
import { closeSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { OpenService } from "../../src/gen/openesc/v1/open_pb.js";
import { clientFor } from "../support/clients.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { auditTrail, spooledEvents, until, verifyAuditLog } from "./audit-trail.js";
import { canMountTmpfs } from "./namespaced-server.js";
import { startPostgresOnTinyDisk, type NamespacedPostgres } from "./namespaced-postgres.js";
import { FULL, failure, fill } from "./outcomes.js";

const cluster = canMountTmpfs() ? await startPostgresOnTinyDisk(96) : undefined;
if (cluster === undefined) console.warn("\n*** no PostgreSQL binaries, not root, or no mount namespaces: the PostgreSQL disk-full fault test is SKIPPED ***\n");

describe.skipIf(cluster === undefined)("PostgreSQL's data disk is full", () => {
  const pgDisk = cluster as NamespacedPostgres;
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ database: pgDisk.url });
  });
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
    await pgDisk.destroy();
  });

  it("refuses writes with ResourceExhausted, answers reads (their events spooled), and drains the spool once space is freed", { timeout: 90_000 }, async () => {
    const env = clientFor(EnvironmentService, "grpc", server.url, server.token);
    const open = clientFor(OpenService, "connect", server.url, server.token);
    const ref = { org: "default", project: "disk", environment: "full" };
    await env.createEnvironment({ ...ref, definition: "values:\n  pw:\n    fn::secret: hunter2\n" });
    // Something the operator can delete later to make room; then nothing is left.
    writeFileSync(pgDisk.diskPath("old-backup"), randomBytes(4 * 1024 * 1024));
    fill(pgDisk.diskPath("filler"));

    const big = `values:\n  blob: "${randomBytes(300_000).toString("base64")}"\n`;
    expect(await failure(env.updateEnvironment({ ...ref, definition: big, baseRevision: 1n }))).toEqual(FULL);
    // PostgreSQL still fits small rows into free space in its pages: reads use that up until the
    // first event needs a new page and goes to the spool. From then on every event is spooled.
    let reads = 0;
    while ((await spooledEvents(server.url)) === 0 && reads++ < 2000) await env.getEnvironment(ref);
    const before = (await spooledEvents(server.url)) ?? 0;
    expect(before).toBeGreaterThan(0);

    expect((await env.getEnvironment(ref)).revision?.number).toBe(1n);
    expect((await env.listEnvironments({ org: "default" })).environments.map((e) => [e.project, e.name, e.revision])).toEqual([["disk", "full", 1n]]);
    expect((await open.resolveEnvironment(ref)).valueJson).toBe('{\n  "pw": "hunter2"\n}\n');
    expect(await failure(env.updateEnvironment({ ...ref, definition: big, baseRevision: 1n }))).toEqual(FULL);
    expect(await failure(env.createEnvironment({ org: "default", project: "disk", environment: "another", definition: big }))).toEqual(FULL);
    expect(await spooledEvents(server.url)).toBe(before + 5);

    const freedAt = Date.now();
    rmSync(pgDisk.diskPath("filler"));
    rmSync(pgDisk.diskPath("old-backup"));
    await until(async () => (await spooledEvents(server.url)) === 0);
    const trail = await auditTrail(server.url, server.token, "default");
    const spooled = trail.slice(-5);
    expect(spooled.map((e) => [e.action, e.outcome])).toEqual([
      ["EnvironmentService/GetEnvironment", "ok"],
      ["EnvironmentService/ListEnvironments", "ok"],
      ["OpenService/ResolveEnvironment", "ok"],
      ["EnvironmentService/UpdateEnvironment", "resource_exhausted"],
      ["EnvironmentService/CreateEnvironment", "resource_exhausted"],
    ]);
    for (const e of spooled) expect(e.timeMs).toBeLessThan(freedAt);
    expect(await verifyAuditLog(server.url, server.token, "default")).toEqual({ ok: true, reason: "" });
    expect((await env.updateEnvironment({ ...ref, definition: "values: {}\n", baseRevision: 1n })).revision?.number).toBe(2n);
    expect(server.output()).not.toContain("hunter2");
  });
});
