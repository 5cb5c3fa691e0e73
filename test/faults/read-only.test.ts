// Fault (issue 9 §4): the database turns read-only under a running server (a PostgreSQL failover to
// a standby, or an operator's `default_transaction_read_only`). Every call fails cleanly with
// Unavailable (never Internal, no crash, nothing half-written) — reads included, because each call's
// audit event must be written first — and everything works again once the database accepts writes,
// without restarting the server.
import { Code, ConnectError } from "@connectrpc/connect";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { EnvironmentTagService } from "../../src/gen/openesc/v1/environment_tag_pb.js";
import { OpenService } from "../../src/gen/openesc/v1/open_pb.js";
import { clientFor } from "../support/clients.js";
import { createTestDatabase, testPostgresUrl, type TestDatabase } from "../support/postgres.js";
import { startTestServer, type TestServer } from "../support/server.js";

const pgUrl = testPostgresUrl();
if (pgUrl === undefined) console.warn("\n*** PostgreSQL not available: the read-only database fault test is SKIPPED ***\n");

async function failure(p: Promise<unknown>): Promise<{ code: Code; message: string } | "ok"> {
  try {
    await p;
    return "ok";
  } catch (e) {
    const ce = ConnectError.from(e);
    return { code: ce.code, message: ce.rawMessage };
  }
}

/** Waits (at most 10 s) until `check` holds. */
async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("not reached within 10 s");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Sets the database's default and ends its sessions, so the server's pool reconnects under it. */
async function setReadOnly(database: TestDatabase, on: boolean): Promise<void> {
  const name = new URL(database.url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  try {
    await admin.query(`ALTER DATABASE "${name}" SET default_transaction_read_only = ${on ? "on" : "off"}`);
    await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [name]);
  } finally {
    await admin.end();
  }
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

  it("refuses every call cleanly with Unavailable while read-only and serves everything again afterwards", { timeout: 60_000 }, async () => {
    const env = clientFor(EnvironmentService, "grpc", server.url, server.token);
    const tags = clientFor(EnvironmentTagService, "connect", server.url, server.token);
    const open = clientFor(OpenService, "connect", server.url, server.token);
    const ref = { org: "default", project: "ro", environment: "app" };
    await env.createEnvironment({ ...ref, definition: "values:\n  pw:\n    fn::secret: hunter2\n" });
    const session = await open.openEnvironment(ref);

    await setReadOnly(database, true);
    // Every RPC writes its audit event before answering and the audit log is fail-closed (issue 6):
    // with a read-only database, reads are refused as cleanly as writes. (Issue 9 §4 asks for reads to
    // continue; the two requirements conflict — reported, see docs/deployment.md §2.)
    const refused = { code: Code.Unavailable, message: "the audit log could not be written; the request was not carried out" };
    // a call right after the terminate may meet a dead pooled connection ("the database is unavailable")
    await until(async () => JSON.stringify(await failure(env.getEnvironment(ref))) === JSON.stringify(refused));
    expect(await failure(env.updateEnvironment({ ...ref, definition: "values:\n  v: 2\n", baseRevision: 1n }))).toEqual(refused);
    expect(await failure(env.createEnvironment({ ...ref, environment: "other", definition: "values: {}\n" }))).toEqual(refused);
    expect(await failure(tags.setEnvironmentTag({ ...ref, name: "team", value: "x" }))).toEqual(refused);
    expect(await failure(open.openEnvironment(ref))).toEqual(refused);
    expect(await failure(open.resolveEnvironment(ref))).toEqual(refused);
    expect(await failure(env.listEnvironments({ org: "default" }))).toEqual(refused);
    expect(await failure(open.readOpenEnvironment({ ...ref, sessionId: session.sessionId, path: "pw" }))).toEqual(refused);
    // the process stays up and says the database answers
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);

    await setReadOnly(database, false);
    await until(async () => (await failure(env.getEnvironment(ref))) === "ok");
    expect((await env.getEnvironment(ref)).revision?.number).toBe(1n); // nothing was written meanwhile
    expect((await open.resolveEnvironment(ref)).valueJson).toBe('{\n  "pw": "hunter2"\n}\n');
    expect((await open.readOpenEnvironment({ ...ref, sessionId: session.sessionId, path: "pw" })).valueJson).toBe('"hunter2"\n');
    const updated = await env.updateEnvironment({ ...ref, definition: "values:\n  v: 2\n", baseRevision: 1n });
    expect(updated.revision?.number).toBe(2n);
    expect(server.output()).not.toContain("hunter2");
  });
});
