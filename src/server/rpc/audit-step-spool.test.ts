/**
 * The audit step's settle path with the spool: an event the database refuses to write (read-only,
 * out of space) is spooled and the call answered; any other failure, or a spool that cannot take the
 * event, fails the call closed. SQLite's `PRAGMA query_only` makes the database refuse writes with
 * SQLITE_READONLY, as a read-only volume does.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Code, ConnectError, createHandlerContext, type HandlerContext } from "@connectrpc/connect";
import { sql } from "kysely";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { EnvironmentService } from "../../gen/openesc/v1/environment_pb.js";
import { createAuditRepository, openStore, type Store } from "../../store/index.js";
import { createStoreDrainTarget, openAuditSpool, type AuditSpool } from "../audit-spool/index.js";
import { createAuditStep, type AuditStep } from "./audit-step.js";
import { callInfoKey, principalKey } from "./call-context.js";

const GET = EnvironmentService.method.getEnvironment;
const INPUT = { org: "acme", project: "p", environment: "e" };
const logger = pino({ level: "silent" });

function context(requestId: string): HandlerContext {
  const ctx = createHandlerContext({ service: EnvironmentService, method: GET, protocolName: "connect", requestMethod: "POST", url: "http://x/" });
  ctx.values.set(callInfoKey, { requestId, peer: "127.0.0.1:1" });
  ctx.values.set(principalKey, { identityId: "id-alice", login: "alice", org: "acme", kind: "user", role: "admin", tokenId: "0123456789abcdef" } as never);
  return ctx;
}

let dir: string;
let store: Store;
let spool: AuditSpool;
let step: AuditStep;

async function setUp(maxBytes: number): Promise<void> {
  spool = await openAuditSpool({ dir: join(dir, "spool"), maxBytes, target: createStoreDrainTarget(store), logger, drainIntervalMs: 0 });
  step = createAuditStep({ store, logger, spool });
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "openesc-step-spool-"));
  // In memory: its audit batches run on the store's own connection, where `PRAGMA query_only` applies.
  // (A file database's batches run on the audit thread's connection; that path meets a really
  // read-only volume in test/faults/sqlite-read-only.test.ts.)
  store = await openStore({ url: ":memory:" });
  const migrated = await store.migrate();
  if (migrated.error !== undefined) throw migrated.error;
});
afterEach(async () => {
  await spool.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const readOnly = (on: boolean) => sql.raw(`PRAGMA query_only = ${on ? 1 : 0}`).execute(store.db);
const events = async () => (await createAuditRepository(store.db, store.capabilities).scan({ chain: "acme" }, 0, 100)).map((e) => `${e.requestId} ${e.outcome}`);
const describeError = (e: unknown) => (e === undefined ? "answered" : `${ConnectError.from(e).code} ${ConnectError.from(e).rawMessage}`);

describe("createAuditStep() with a spool", () => {
  test("while the database refuses writes, a read is answered and its event spooled; the drain chains it later", async () => {
    await setUp(1 << 20);
    await readOnly(true);
    expect(describeError(await step.settle(GET, context("read-1"), INPUT, undefined))).toBe("answered");
    const failed = new ConnectError("environment not found", Code.NotFound);
    expect(await step.settle(GET, context("read-2"), INPUT, failed)).toBe(failed);
    expect(spool.count()).toBe(2);
    expect(await events()).toEqual([]);
    await readOnly(false);
    expect(await spool.drain()).toBe(2);
    expect(await events()).toEqual(["read-1 ok", "read-2 not_found"]);
  });

  test("a failure that is not a refusal (here: a trigger) fails the call closed and spools nothing", async () => {
    await setUp(1 << 20);
    await sql.raw("CREATE TRIGGER audit_insert_fails BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END").execute(store.db);
    expect(describeError(await step.settle(GET, context("read-1"), INPUT, undefined))).toBe(`${Code.Unavailable} the audit log could not be written; the request was not carried out`);
    expect(spool.count()).toBe(0);
  });

  test("a spool that cannot take the event fails the call closed", async () => {
    await setUp(100);
    await readOnly(true);
    expect(describeError(await step.settle(GET, context("read-1"), INPUT, undefined))).toBe(`${Code.Unavailable} the audit log could not be written; the request was not carried out`);
    expect(spool.count()).toBe(0);
    await readOnly(false);
    expect(await events()).toEqual([]);
  });
});
