import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import SqliteDatabase from "better-sqlite3";
import { afterEach, describe, expect, test } from "vitest";
import { verifyStoredChain, type AuditEventDraft } from "../audit/index.js";
import { createAuditRepository } from "./audit-repository.js";
import { createAuditThread } from "./audit-thread.js";
import { openStore, type Store } from "./open-store.js";

const dirs: string[] = [];
const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "openesc-audit-thread-"));
  dirs.push(dir);
  return dir;
}

async function fileStore(): Promise<{ store: Store; path: string }> {
  const path = join(tempDir(), "openesc.db");
  const store = await openStore({ url: `sqlite:${path}` });
  stores.push(store);
  const migrated = await store.migrate();
  if (migrated.error !== undefined) throw migrated.error;
  return { store, path };
}

function draft(requestId: string, chain = "acme"): AuditEventDraft {
  return {
    chain,
    time: Date.UTC(2026, 0, 1),
    actor: "alice",
    actorId: "id-alice",
    tokenId: "0123456789abcdef",
    source: "127.0.0.1:5000",
    userAgent: "test/1",
    action: "openesc.v1.OpenService/ResolveEnvironment",
    org: chain,
    project: "payments",
    environment: "prod",
    revision: 3,
    providerCalls: [{ provider: "aws-login", path: "values.aws", durationMs: 12, outcome: "ok" }],
    outcome: "ok",
    requestId,
  };
}

/** The request ids of `chain`'s events in seq order, read on a connection of the test's own. */
function requestIds(path: string, chain = "acme"): string[] {
  const db = new SqliteDatabase(path, { readonly: true });
  try {
    return db.prepare("SELECT request_id FROM audit_events WHERE chain = ? ORDER BY seq").pluck().all(chain) as string[];
  } finally {
    db.close();
  }
}

/** Blocks this thread (the event loop) for `ms`. */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

describe("audit batches on a SQLite file run on a thread of their own", () => {
  test("they commit while the event loop is blocked", async () => {
    const { store, path } = await fileStore();
    await store.appendAuditBatch("acme", [draft("warm-up")]); // the thread has started
    const pending = store.appendAuditBatch("acme", [draft("b1"), draft("b2")]);
    // The event loop does not run from here until the rows are seen (or 10 s pass): only another
    // thread can have written them.
    let seen: string[] = [];
    for (let waited = 0; waited < 10_000 && seen.length < 3; waited += 10) {
      sleepSync(10);
      seen = requestIds(path);
    }
    expect(seen).toEqual(["warm-up", "b1", "b2"]);
    await pending;
  });

  test("the thread's batches and the event loop's own appends form one unbroken chain", async () => {
    const { store } = await fileStore();
    const audit = createAuditRepository(store.db, store.capabilities);
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i % 4 === 0 ? audit.append(draft(`loop-${i}`)) : store.appendAuditBatch("acme", [draft(`thread-${i}a`), draft(`thread-${i}b`)]),
      ),
    );
    expect(await verifyStoredChain(audit, { chain: "acme" })).toMatchObject({ ok: true, eventsChecked: 70, lastSeq: 70 });
    const batchesInOrder = (await audit.scan({ chain: "acme" }, 0, 100)).map((e) => e.requestId).filter((id) => id.startsWith("thread-"));
    for (let i = 0; i < batchesInOrder.length; i += 2) expect(batchesInOrder[i]?.replace(/a$/, "b")).toBe(batchesInOrder[i + 1]);
  });

  test("a refused batch rejects with the database's message and driver code, and writes nothing", async () => {
    const { store, path } = await fileStore();
    await store.appendAuditBatch("acme", [draft("before")]);
    const trigger = new SqliteDatabase(path);
    trigger.exec("CREATE TRIGGER audit_insert_fails BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'audit insert refused by test trigger'); END");
    trigger.close();
    await expect(store.appendAuditBatch("acme", [draft("x1"), draft("x2")])).rejects.toMatchObject({
      name: "SqliteError",
      message: "audit insert refused by test trigger",
      code: "SQLITE_CONSTRAINT_TRIGGER",
    });
    expect(requestIds(path)).toEqual(["before"]);
    expect(await createAuditRepository(store.db, store.capabilities).head("acme")).toMatchObject({ seq: 1 });
  });

  test("inside a transaction the batch joins that transaction (and rolls back with it)", async () => {
    const { store, path } = await fileStore();
    await expect(
      store.transaction(async (tx) => {
        await tx.appendAuditBatch("acme", [draft("in-tx")]);
        expect(await createAuditRepository(tx.db, tx.capabilities).head("acme")).toMatchObject({ seq: 1 });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(requestIds(path)).toEqual([]);
  });

  test("closing waits for the batches in flight, then refuses new ones", async () => {
    const { store, path } = await fileStore();
    const inFlight = store.appendAuditBatch("acme", [draft("last-1"), draft("last-2")]);
    await store.close();
    await inFlight;
    expect(requestIds(path)).toEqual(["last-1", "last-2"]);
    await expect(store.appendAuditBatch("acme", [draft("late")])).rejects.toThrow("the store is closed");
  });

  test("a thread that dies fails its batches, and the next batch starts a new thread", async () => {
    const dir = tempDir();
    const flag = join(dir, "died");
    // Dies on its first message (once per test: the flag file remembers), answers every later one.
    const script = `import { parentPort } from "node:worker_threads"; import { existsSync, writeFileSync } from "node:fs";
      parentPort.on("message", (m) => {
        if (m.type !== "append") return process.exit(0);
        if (!existsSync(${JSON.stringify(flag)})) { writeFileSync(${JSON.stringify(flag)}, ""); process.exit(7); }
        parentPort.postMessage({ id: m.id });
      });`;
    const thread = createAuditThread(`sqlite:${join(dir, "unused.db")}`, { workerUrl: new URL(`data:text/javascript,${encodeURIComponent(script)}`) });
    await expect(thread.appendBatch("acme", [draft("a")])).rejects.toThrow("the audit thread stopped (exit code 7)");
    expect(existsSync(flag)).toBe(true);
    await expect(thread.appendBatch("acme", [draft("b")])).resolves.toBeUndefined();
    await thread.close();
  });

  test("the thread does not keep a process alive by itself", { timeout: 60_000 }, () => {
    const dir = tempDir();
    const openStoreModule = new URL("./open-store.ts", import.meta.url).href;
    const script = `
      const { openStore } = await import(${JSON.stringify(openStoreModule)});
      const store = await openStore({ url: ${JSON.stringify(`sqlite:${join(dir, "openesc.db")}`)} });
      await store.migrate();
      await store.appendAuditBatch("acme", [${JSON.stringify(draft("child"))}]);
      console.log("appended");`; // and never closes the store
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: fileURLToPath(new URL("../..", import.meta.url)),
      encoding: "utf8",
      timeout: 45_000,
    });
    expect({ status: child.status, signal: child.signal, stdout: child.stdout.trim() }).toEqual({ status: 0, signal: null, stdout: "appended" });
    expect(requestIds(join(dir, "openesc.db"))).toEqual(["child"]);
  });
});

describe("audit batches of an in-memory database", () => {
  test("run on the event loop's connection", async () => {
    const store = await openStore({ url: ":memory:" });
    stores.push(store);
    await store.migrate();
    await store.appendAuditBatch("acme", [draft("m1"), draft("m2")]);
    const events = await createAuditRepository(store.db, store.capabilities).scan({ chain: "acme" }, 0, 10);
    expect(events.map((e) => [e.seq, e.requestId])).toEqual([[1, "m1"], [2, "m2"]]);
  });
});
