// Fault (issue 9 §4): the PostgreSQL database turns read-only under a running server (a failover to a
// standby, or an operator's `default_transaction_read_only`). Writes fail cleanly with Unavailable
// ("the database is read-only"); reads keep being answered with the right values, their audit events
// waiting in the local audit spool; once the database accepts writes again the spool drains into the
// chain and the chain verifies — also when the server was killed (-9) while events sat in the spool.
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { EnvironmentTagService } from "../../src/gen/openesc/v1/environment_tag_pb.js";
import { OpenService } from "../../src/gen/openesc/v1/open_pb.js";
import { clientFor } from "../support/clients.js";
import { createTestDatabase, setDatabaseReadOnly, testPostgresUrl, type TestDatabase } from "../support/postgres.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { auditTrail, spooledEvents, until, verifyAuditLog } from "./audit-trail.js";
import { READ_ONLY, failure } from "./outcomes.js";

const pgUrl = testPostgresUrl();
if (pgUrl === undefined) console.warn("\n*** PostgreSQL not available: the read-only database fault test is SKIPPED ***\n");


/** The request ids in the server's spool file, in order. */
function spooledRequestIds(dataDir: string): string[] {
  const text = readFileSync(join(dataDir, "audit-spool", "audit-spool.ndjson"), "utf8");
  return text === "" ? [] : text.trimEnd().split("\n").map((l) => (JSON.parse(l) as { requestId: string }).requestId);
}

describe.skipIf(pgUrl === undefined)("the PostgreSQL database turns read-only", () => {
  let database: TestDatabase;
  let server: TestServer;
  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ database: database.url });
  });
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
    await database.drop();
  });

  it("refuses writes with Unavailable, answers reads (their events spooled), and drains the spool once writable again", { timeout: 60_000 }, async () => {
    const env = clientFor(EnvironmentService, "grpc", server.url, server.token);
    const tags = clientFor(EnvironmentTagService, "connect", server.url, server.token);
    const open = clientFor(OpenService, "connect", server.url, server.token);
    const ref = { org: "default", project: "ro", environment: "app" };
    await env.createEnvironment({ ...ref, definition: "values:\n  pw:\n    fn::secret: hunter2\n" });
    const session = await open.openEnvironment(ref);

    await setDatabaseReadOnly(database, true);
    // a call right after the terminate may meet a dead pooled connection: that one fails closed
    // ("the database is unavailable"), its event unwritten and not spooled — only refusals spool
    await until(async () => (await failure(env.getEnvironment(ref))) === "ok");
    const spooledBefore = (await spooledEvents(server.url)) ?? -1;
    expect(spooledBefore).toBeGreaterThan(0);

    // Reads answer, with the right values.
    expect((await env.getEnvironment(ref)).revision?.number).toBe(1n);
    expect((await env.listEnvironments({ org: "default" })).environments.map((e) => [e.project, e.name, e.revision])).toEqual([["ro", "app", 1n]]);
    expect((await open.resolveEnvironment(ref)).valueJson).toBe('{\n  "pw": "hunter2"\n}\n');
    expect((await open.readOpenEnvironment({ ...ref, sessionId: session.sessionId, path: "pw" })).valueJson).toBe('"hunter2"\n');
    // Writes fail cleanly (opening an environment writes its session).
    expect(await failure(env.updateEnvironment({ ...ref, definition: "values:\n  v: 2\n", baseRevision: 1n }))).toEqual(READ_ONLY);
    expect(await failure(env.createEnvironment({ ...ref, environment: "other", definition: "values: {}\n" }))).toEqual(READ_ONLY);
    expect(await failure(tags.setEnvironmentTag({ ...ref, name: "team", value: "x" }))).toEqual(READ_ONLY);
    expect(await failure(open.openEnvironment(ref))).toEqual(READ_ONLY);
    expect(await spooledEvents(server.url)).toBe(spooledBefore + 8);
    const spooled = spooledRequestIds(server.dataDir);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);

    const writableAt = Date.now();
    await setDatabaseReadOnly(database, false);
    await until(async () => (await spooledEvents(server.url)) === 0);
    const trail = await auditTrail(server.url, server.token, "default");
    // every spooled event is in the chain exactly once, in spool order, with its call's time
    const drained = trail.filter((e) => spooled.includes(e.requestId));
    expect(drained.map((e) => e.requestId)).toEqual(spooled);
    for (const e of drained) expect(e.timeMs).toBeLessThan(writableAt);
    expect(drained.slice(-8).map((e) => [e.action, e.outcome])).toEqual([
      ["EnvironmentService/GetEnvironment", "ok"],
      ["EnvironmentService/ListEnvironments", "ok"],
      ["OpenService/ResolveEnvironment", "ok"],
      ["OpenService/ReadOpenEnvironment", "ok"],
      ["EnvironmentService/UpdateEnvironment", "unavailable"],
      ["EnvironmentService/CreateEnvironment", "unavailable"],
      ["EnvironmentTagService/SetEnvironmentTag", "unavailable"],
      ["OpenService/OpenEnvironment", "unavailable"],
    ]);
    expect(await verifyAuditLog(server.url, server.token, "default")).toEqual({ ok: true, reason: "" });

    // and writes work again
    expect((await env.updateEnvironment({ ...ref, definition: "values:\n  v: 2\n", baseRevision: 1n })).revision?.number).toBe(2n);
    expect(server.output()).toContain("audit spool drained");
    expect(server.output()).not.toContain("hunter2");
  });
});

describe.skipIf(pgUrl === undefined)("kill -9 while audit events sit in the spool", () => {
  it("drains them after the restart: none lost, none written twice", { timeout: 60_000 }, async () => {
    const database = await createTestDatabase();
    let server = await startTestServer({ database: database.url });
    const dataDir = server.dataDir;
    try {
      const env = clientFor(EnvironmentService, "grpc", server.url, server.token);
      const ref = { org: "default", project: "ro", environment: "kill" };
      await env.createEnvironment({ ...ref, definition: "values:\n  a: 1\n" });
      await setDatabaseReadOnly(database, true);
      await until(async () => (await failure(env.getEnvironment(ref))) === "ok");
      for (let i = 0; i < 5; i++) expect((await env.getEnvironment(ref)).revision?.number).toBe(1n);
      const spooled = spooledRequestIds(dataDir);
      expect(spooled.length).toBeGreaterThanOrEqual(6);

      expect(await server.stop({ signal: "SIGKILL", keepData: true })).toBe(null);
      await setDatabaseReadOnly(database, false);
      server = await startTestServer({ database: database.url, dataDir });
      await until(async () => (await spooledEvents(server.url)) === 0);
      const trail = await auditTrail(server.url, server.token, "default");
      expect(trail.filter((e) => spooled.includes(e.requestId)).map((e) => e.requestId)).toEqual(spooled);
      expect(trail.filter((e) => e.action === "EnvironmentService/GetEnvironment").length).toBe(spooled.length);
      expect(await verifyAuditLog(server.url, server.token, "default")).toEqual({ ok: true, reason: "" });
      expect(server.output()).toContain("audit spool: events from an earlier run are waiting; draining");
    } finally {
      await server.stop({ keepData: true });
      rmSync(dataDir, { recursive: true, force: true });
      await database.drop();
    }
  });
});

describe.skipIf(pgUrl === undefined)("the audit spool is full", () => {
  it("fails reads closed with Unavailable once the spool cannot take their events, and serves again after the drain", { timeout: 60_000 }, async () => {
    const database = await createTestDatabase();
    // room for a few events only
    const server = await startTestServer({ database: database.url, args: ["--audit-spool-max-bytes", "2500"] });
    try {
      const env = clientFor(EnvironmentService, "grpc", server.url, server.token);
      const ref = { org: "default", project: "ro", environment: "full-spool" };
      await env.createEnvironment({ ...ref, definition: "values:\n  a: 1\n" });
      await setDatabaseReadOnly(database, true);
      await until(async () => (await failure(env.getEnvironment(ref))) === "ok");
      let answered = 1;
      let refused: { code: Code; message: string } | "ok" = "ok";
      while (refused === "ok" && answered < 100) {
        refused = await failure(env.getEnvironment(ref));
        if (refused === "ok") answered++;
      }
      expect(refused).toEqual({ code: Code.Unavailable, message: "the audit log could not be written; the request was not carried out" });
      expect(await spooledEvents(server.url)).toBe(answered);
      expect(answered).toBeLessThan(10);
      // the refused read left no event anywhere: after the drain the chain holds exactly the answered reads
      await setDatabaseReadOnly(database, false);
      await until(async () => (await spooledEvents(server.url)) === 0);
      expect((await auditTrail(server.url, server.token, "default")).filter((e) => e.action === "EnvironmentService/GetEnvironment").length).toBe(answered);
      expect((await env.getEnvironment(ref)).revision?.number).toBe(1n);
    } finally {
      await server.stop();
      await database.drop();
    }
  });
});
