import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { verifyStoredChain, type AuditEventDraft } from "../../audit/index.js";
import { createAuditRepository, openStore, type Store } from "../../store/index.js";
import { createStoreDrainTarget, openAuditSpool, REJECTED_FILE_NAME, SPOOL_FILE_NAME, SpoolFullError, writeRefusalOf, type AuditSpool, type DrainTarget } from "./index.js";

const logger = pino({ level: "silent" });

const draft = (chain: string, requestId: string, time: number): AuditEventDraft => ({
  chain,
  time,
  actor: "admin",
  actorId: "id-1",
  tokenId: "tok",
  source: "127.0.0.1:1",
  userAgent: "test",
  action: "openesc.v1.EnvironmentService/GetEnvironment",
  org: chain,
  project: "p",
  environment: "e",
  revision: 3,
  providerCalls: [{ provider: "aws-login", path: "o/p/e:aws", durationMs: 5, outcome: "ok" }],
  outcome: "ok",
  requestId,
});

let dir: string;
let store: Store;
const open: AuditSpool[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "openesc-spool-"));
  store = await openStore({ url: `sqlite:${join(dir, "db.sqlite")}` });
  const migrated = await store.migrate();
  if (migrated.error !== undefined) throw migrated.error;
});
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function spoolWith(options: { maxBytes?: number; target?: DrainTarget } = {}): Promise<AuditSpool> {
  const spool = await openAuditSpool({ dir: join(dir, "spool"), maxBytes: options.maxBytes ?? 1 << 20, target: options.target ?? createStoreDrainTarget(store), logger, drainIntervalMs: 0 });
  open.push(spool);
  return spool;
}

async function chain(name: string): Promise<{ requestId: string; time: number; seq: number }[]> {
  const events = await createAuditRepository(store.db, store.capabilities).scan({ chain: name }, 0, 1000);
  return events.map((e) => ({ requestId: e.requestId, time: e.time, seq: e.seq }));
}

const spoolFile = () => join(dir, "spool", SPOOL_FILE_NAME);

describe("openAuditSpool()", () => {
  test("keeps events as fsync'd JSON lines in a 0600 file, then drains them into their chains in spool order with their original time", async () => {
    await createAuditRepository(store.db, store.capabilities).append(draft("acme", "live-1", 50)); // the chain already has an event
    const spool = await spoolWith();
    await spool.keep(draft("acme", "r1", 100), "read-only");
    await spool.keep(draft("other", "r2", 101), "read-only");
    await spool.keep(draft("acme", "r3", 102), "read-only");
    expect(spool.count()).toBe(3);
    expect(statSync(spoolFile()).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "spool")).mode & 0o777).toBe(0o700);
    expect(readFileSync(spoolFile(), "utf8").split("\n").map((l) => (l === "" ? "" : (JSON.parse(l) as AuditEventDraft).requestId))).toEqual(["r1", "r2", "r3", ""]);

    expect(await spool.drain()).toBe(3);
    expect(spool.count()).toBe(0);
    expect(readFileSync(spoolFile(), "utf8")).toBe("");
    expect(await chain("acme")).toEqual([
      { requestId: "live-1", time: 50, seq: 1 },
      { requestId: "r1", time: 100, seq: 2 },
      { requestId: "r3", time: 102, seq: 3 },
    ]);
    expect(await chain("other")).toEqual([{ requestId: "r2", time: 101, seq: 1 }]);
    const repo = createAuditRepository(store.db, store.capabilities);
    expect((await verifyStoredChain(repo, { chain: "acme" })).ok).toBe(true);
    expect((await verifyStoredChain(repo, { chain: "other" })).ok).toBe(true);
    // the drained event is the spooled draft, field for field
    const [, stored] = await repo.scan({ chain: "acme" }, 0, 10);
    expect({ ...stored, seq: undefined, prevHash: undefined, hash: undefined }).toEqual({ ...draft("acme", "r1", 100), seq: undefined, prevHash: undefined, hash: undefined });
  });

  test("a crash between the drain's commit and the spool's truncation writes nothing twice", async () => {
    const first = await spoolWith();
    for (const [id, t] of [["r1", 1], ["r2", 2], ["r3", 3]] as const) await first.keep(draft("acme", id, t), "out-of-space");
    // The drain committed r1 and r2, then the process died before shortening the spool.
    expect(await createStoreDrainTarget(store).commit([draft("acme", "r1", 1), draft("acme", "r2", 2)])).toBe(2);
    await first.close();
    open.splice(0);

    const restarted = await spoolWith();
    expect(restarted.count()).toBe(3);
    expect(await restarted.drain()).toBe(1);
    expect(restarted.count()).toBe(0);
    expect(await chain("acme")).toEqual([
      { requestId: "r1", time: 1, seq: 1 },
      { requestId: "r2", time: 2, seq: 2 },
      { requestId: "r3", time: 3, seq: 3 },
    ]);
    // and a second drain of the same (already committed) events writes none
    expect(await createStoreDrainTarget(store).commit([draft("acme", "r3", 3)])).toBe(0);
    expect((await chain("acme")).length).toBe(3);
  });

  test("while the database still refuses writes, the drain keeps every event; it moves them once it accepts", async () => {
    const real = createStoreDrainTarget(store);
    let refusing = true;
    const target: DrainTarget = {
      commit: (drafts) => (refusing ? Promise.reject(Object.assign(new Error("attempt to write a readonly database"), { code: "SQLITE_READONLY" })) : real.commit(drafts)),
    };
    const spool = await spoolWith({ target });
    await spool.keep(draft("acme", "r1", 1), "read-only");
    await spool.keep(draft("acme", "r2", 2), "read-only");
    expect(await spool.drain()).toBe(0);
    expect(spool.count()).toBe(2);
    expect(await chain("acme")).toEqual([]);
    refusing = false;
    expect(await spool.drain()).toBe(2);
    expect(spool.count()).toBe(0);
    expect((await chain("acme")).map((e) => e.requestId)).toEqual(["r1", "r2"]);
  });

  test("a drain that stops half-way removes only what it committed; the rest drains later, in order", async () => {
    const real = createStoreDrainTarget(store);
    let commits = 0;
    const target: DrainTarget = {
      commit: (drafts) => (++commits === 2 ? Promise.reject(Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" })) : real.commit(drafts)),
    };
    const spool = await openAuditSpool({ dir: join(dir, "spool"), maxBytes: 1 << 20, target, logger, drainIntervalMs: 0, batchSize: 2 });
    open.push(spool);
    for (let i = 1; i <= 5; i++) await spool.keep(draft("acme", `r${i}`, i), "out-of-space");
    expect(await spool.drain()).toBe(2);
    expect(spool.count()).toBe(3);
    expect(readFileSync(spoolFile(), "utf8").trimEnd().split("\n").map((l) => (JSON.parse(l) as AuditEventDraft).requestId)).toEqual(["r3", "r4", "r5"]);
    await spool.keep(draft("acme", "r6", 6), "out-of-space");
    expect(await spool.drain()).toBe(4);
    expect((await chain("acme")).map((e) => e.requestId)).toEqual(["r1", "r2", "r3", "r4", "r5", "r6"]);
  });

  test("refuses an event past its bound with SpoolFullError and keeps what it had", async () => {
    const one = Buffer.byteLength(JSON.stringify(draft("acme", "r1", 1))) + 1;
    const spool = await spoolWith({ maxBytes: 2 * one });
    await spool.keep(draft("acme", "r1", 1), "out-of-space");
    await spool.keep(draft("acme", "r2", 1), "out-of-space");
    await expect(spool.keep(draft("acme", "r3", 1), "out-of-space")).rejects.toThrow(SpoolFullError);
    await expect(spool.keep(draft("acme", "r3", 1), "out-of-space")).rejects.toThrow(`the audit spool is full (${2 * one} of ${2 * one} bytes)`);
    expect(spool.count()).toBe(2);
    expect(readFileSync(spoolFile(), "utf8").length).toBe(2 * one);
    // draining makes room again
    expect(await spool.drain()).toBe(2);
    await spool.keep(draft("acme", "r3", 1), "out-of-space");
    expect(spool.count()).toBe(1);
  });

  test("concurrent events share one write and all are kept, in call order", async () => {
    const spool = await spoolWith();
    await Promise.all(Array.from({ length: 50 }, (_, i) => spool.keep(draft("acme", `r${i}`, i), "read-only")));
    expect(spool.count()).toBe(50);
    expect(await spool.drain()).toBe(50);
    expect((await chain("acme")).map((e) => e.requestId)).toEqual(Array.from({ length: 50 }, (_, i) => `r${i}`));
  });

  test("drains a spool larger than one read, in batches, keeping the order", async () => {
    const spool = await spoolWith({ maxBytes: 8 << 20 });
    const n = 3000; // ≈ 1.4 MB: more than one 1 MiB read, fifteen batches
    await Promise.all(Array.from({ length: n }, (_, i) => spool.keep(draft(`c${i % 3}`, `r${i}`, i), "read-only")));
    expect(await spool.drain()).toBe(n);
    expect(spool.count()).toBe(0);
    for (let c = 0; c < 3; c++) {
      const events = await chain(`c${c}`);
      expect(events.map((e) => e.requestId)).toEqual(Array.from({ length: n / 3 }, (_, k) => `r${k * 3 + c}`));
    }
  });

  test("cuts a torn last line (a crash during its write, never acknowledged) and sets unreadable lines aside", async () => {
    const first = await spoolWith();
    await first.keep(draft("acme", "r1", 1), "read-only");
    await first.close();
    open.splice(0);
    appendFileSync(spoolFile(), "not json\n");
    appendFileSync(spoolFile(), JSON.stringify(draft("acme", "r2", 2)).slice(0, 40)); // torn
    const spool = await spoolWith();
    expect(spool.count()).toBe(2);
    await spool.drain(); // the start-up drain (joined)
    expect((await chain("acme")).map((e) => e.requestId)).toEqual(["r1"]);
    await spool.keep(draft("acme", "r3", 3), "read-only"); // appends cleanly after the cut
    expect(await spool.drain()).toBe(1);
    expect((await chain("acme")).map((e) => e.requestId)).toEqual(["r1", "r3"]);
    expect(readFileSync(join(dir, "spool", REJECTED_FILE_NAME), "utf8")).toBe("not json\n");
    expect(readFileSync(spoolFile(), "utf8")).toBe("");
  });

  test("drains at start-up what an earlier process left", async () => {
    const first = await spoolWith();
    await first.keep(draft("acme", "r1", 1), "read-only");
    await first.close();
    open.splice(0);
    const spool = await openAuditSpool({ dir: join(dir, "spool"), maxBytes: 1 << 20, target: createStoreDrainTarget(store), logger, drainIntervalMs: 0 });
    open.push(spool);
    await spool.drain(); // joins the start-up drain (single flight) or finds nothing left
    expect(spool.count()).toBe(0);
    expect((await chain("acme")).map((e) => e.requestId)).toEqual(["r1"]);
  });
});

describe("the spool directory's lock", () => {
  test("refuses a directory a live process on this host holds, takes over one a dead process left, and frees it on close", async () => {
    const spoolDir = join(dir, "spool");
    mkdirSync(spoolDir);
    writeFileSync(join(spoolDir, "audit-spool.lock"), JSON.stringify({ host: hostname(), pid: process.ppid }));
    await expect(spoolWith()).rejects.toThrow(`the audit spool in ${spoolDir} is in use by process ${process.ppid}: give each server a spool directory of its own (--audit-spool-dir)`);
    writeFileSync(join(spoolDir, "audit-spool.lock"), JSON.stringify({ host: hostname(), pid: 2 ** 22 + 1 })); // above pid_max: dead
    const spool = await spoolWith();
    expect(JSON.parse(readFileSync(join(spoolDir, "audit-spool.lock"), "utf8"))).toEqual({ host: hostname(), pid: process.pid });
    await spool.close();
    open.splice(0);
    expect(existsSync(join(spoolDir, "audit-spool.lock"))).toBe(false);
  });
});

describe("writeRefusalOf()", () => {
  test.each([
    [{ code: "SQLITE_READONLY" }, "read-only"],
    [{ code: "SQLITE_READONLY_DBMOVED" }, "read-only"],
    [{ code: "25006" }, "read-only"],
    [{ code: "SQLITE_FULL" }, "out-of-space"],
    [{ code: "53100" }, "out-of-space"],
    [{ message: "wrapped", cause: { code: "SQLITE_FULL" } }, "out-of-space"],
    [{ code: "ECONNREFUSED" }, undefined],
    [{ code: "57P01" }, undefined],
    [{ code: "SQLITE_BUSY" }, undefined],
    [new Error("Connection terminated unexpectedly"), undefined],
    ["text", undefined],
  ])("%j → %s", (err, expected) => {
    expect(writeRefusalOf(err)).toBe(expected);
  });
});
