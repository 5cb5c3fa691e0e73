// `openesc serve --workers N` gives worker k > 1 an audit spool of its own, DATA_DIR/audit-spool/worker-k.
// Restarted with fewer workers, the spools of the workers that are gone are drained by the process that
// owns DATA_DIR/audit-spool (worker 1, or a single server): every event spooled while the database
// refused writes reaches the chain exactly once, and the chain verifies. The database refuses writes
// the way a failover to a standby does (default_transaction_read_only, as in test/faults/read-only.test.ts),
// and on SQLite the way a volume the kernel remounted read-only does (test/faults/sqlite-read-only.test.ts).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { auditTrail, spooledEvents, until, verifyAuditLog } from "../faults/audit-trail.js";
import { clientFor } from "../support/clients.js";
import { createTestDatabase, setDatabaseReadOnly, testPostgresUrl, type TestDatabase } from "../support/postgres.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { canMountTmpfs, startServerOnReadOnlyDisk } from "../faults/namespaced-server.js";
import { codeOf } from "./cluster.js";

const pgUrl = testPostgresUrl();
if (pgUrl === undefined) console.warn("\n*** PostgreSQL not available: the worker spool test is SKIPPED ***\n");


/** The request ids in a spool file, in order. */
function spooledIds(dir: string): string[] {
  const text = readFileSync(join(dir, "audit-spool.ndjson"), "utf8");
  return text === "" ? [] : text.trimEnd().split("\n").map((l) => (JSON.parse(l) as { requestId: string }).requestId);
}

/** Each gRPC client has its own HTTP/2 connection; node:cluster hands the connections to the workers in turn. */
const CONNECTIONS = 6;
const ref = { org: "default", project: "spools", environment: "app" };

/** Reads on every connection while the database refuses writes: their events wait in both workers' spools. */
async function readOnEveryConnection(url: string, token: string): Promise<void> {
  const clients = Array.from({ length: CONNECTIONS }, () => clientFor(EnvironmentService, "grpc", url, token));
  // a call right after the database turned read-only may meet a dead pooled connection (it fails closed, unspooled)
  for (const env of clients) await until(async () => (await codeOf(env.getEnvironment(ref))) === "ok");
  for (let round = 0; round < 3; round++) for (const env of clients) expect((await env.getEnvironment(ref)).revision?.number).toBe(1n);
}

/** The request ids waiting in worker 1's spool and in worker 2's; both workers served, so both hold some. */
function spooledByWorker(dataDir: string): { first: string[]; second: string[] } {
  const spoolDir = join(dataDir, "audit-spool");
  const spooled = { first: spooledIds(spoolDir), second: spooledIds(join(spoolDir, "worker-2")) };
  // 3 rounds on at least 3 connections each
  expect(spooled.first.length).toBeGreaterThanOrEqual(9);
  expect(spooled.second.length).toBeGreaterThanOrEqual(9);
  return spooled;
}

/** After the restart with one worker: both spools empty, every event once in the chain, the chain intact. */
async function expectDrained(server: TestServer, token: string, spooled: { first: string[]; second: string[] }): Promise<void> {
  const spoolDir = join(server.dataDir, "audit-spool");
  await until(async () => (await spooledEvents(server.url)) === 0);
  expect(spooledIds(join(spoolDir, "worker-2"))).toEqual([]);
  expect(spooledIds(spoolDir)).toEqual([]);
  const inChain = (await auditTrail(server.url, token, "default")).map((e) => e.requestId);
  for (const id of [...spooled.first, ...spooled.second]) expect(inChain.filter((x) => x === id)).toEqual([id]);
  expect(await verifyAuditLog(server.url, token, "default")).toEqual({ ok: true, reason: "" });
  expect(server.output()).toContain(`"dir":"${join(spoolDir, "worker-2")}"`);
}

describe.skipIf(pgUrl === undefined)("PostgreSQL: serve --workers 2, then --workers 1", () => {
  let database: TestDatabase;
  const dataDir = mkdtempSync(join(tmpdir(), "openesc-worker-spools-"));
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    await database.drop();
  });

  it("drains the spool of the worker that is gone: every spooled event in the chain once, the chain verified", { timeout: 120_000 }, async () => {
    const wide = await startTestServer({ database: database.url, dataDir, args: ["--workers", "2"] });
    const token = wide.token;
    try {
      await clientFor(EnvironmentService, "grpc", wide.url, token).createEnvironment({ ...ref, definition: "values:\n  a: 1\n" });
      await setDatabaseReadOnly(database, true);
      await readOnEveryConnection(wide.url, token);
    } finally {
      expect(await wide.stop({ keepData: true })).toBe(0);
    }
    const spooled = spooledByWorker(dataDir);

    await setDatabaseReadOnly(database, false);
    const narrow = await startTestServer({ database: database.url, dataDir, args: ["--workers", "1"] });
    try {
      await expectDrained(narrow, token, spooled);
    } finally {
      expect(await narrow.stop({ keepData: true })).toBe(0);
    }
  });
});

const namespaces = canMountTmpfs();
if (!namespaces) console.warn("\n*** cannot create a mount namespace (unshare): the SQLite worker spool test is SKIPPED ***\n");
if (!namespaces && process.env.CI !== undefined) throw new Error("the SQLite worker spool test needs `unshare` with mount namespaces in CI");

describe.skipIf(!namespaces)("SQLite: serve --workers 2 on a read-only volume, then without --workers on a writable one", () => {
  const dbDir = mkdtempSync(join(tmpdir(), "openesc-worker-spools-db-"));
  const dataDir = mkdtempSync(join(tmpdir(), "openesc-worker-spools-data-"));
  afterAll(() => {
    rmSync(dbDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("drains the spool of the worker that is gone: every spooled event in the chain once, the chain verified", { timeout: 120_000 }, async () => {
    const database = `sqlite:${join(dbDir, "openesc.db")}`;
    const first = await startTestServer({ database, dataDir });
    const token = first.token;
    await clientFor(EnvironmentService, "grpc", first.url, token).createEnvironment({ ...ref, definition: "values:\n  a: 1\n" });
    // the I/O errors crash the server (its WAL stays behind, as after any crash: SQLite opens it read-only)
    expect(await first.stop({ signal: "SIGKILL", keepData: true })).toBe(null);

    // the volume read-only (test/faults/namespaced-server.ts), two workers on it
    const wide = await startServerOnReadOnlyDisk(dbDir, dataDir, { args: ["--workers", "2"] });
    try {
      await readOnEveryConnection(wide.url, token);
    } finally {
      expect(await wide.stop({ keepData: true })).toBe(0);
    }
    const spooled = spooledByWorker(dataDir);

    const narrow = await startTestServer({ database, dataDir });
    try {
      await expectDrained(narrow, token, spooled);
    } finally {
      expect(await narrow.stop({ keepData: true })).toBe(0);
    }
  });
});
