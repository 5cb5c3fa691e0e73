import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { verifyStoredChain, type AuditEventDraft } from "../../audit/index.js";
import { createAuditRepository, openStore, type Store } from "../../store/index.js";
import { draft } from "../../../test/audit/support.js";
import { createStoreDrainTarget, openAuditSpool, openStrandedSpools, strandedWorkerDirs, type DrainTarget } from "./index.js";

const logger = pino({ level: "silent" });

const spooled = (requestId: string, time: number): AuditEventDraft => draft({ requestId, time });

/** A database that refuses writes, as the spool sees it. */
const refusing: DrainTarget = {
  commit: () => Promise.reject(Object.assign(new Error("attempt to write a readonly database"), { code: "SQLITE_READONLY" })),
};

let dir: string;
let store: Store;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "openesc-stranded-"));
  store = await openStore({ url: `sqlite:${join(dir, "db.sqlite")}` });
  const migrated = await store.migrate();
  if (migrated.error !== undefined) throw migrated.error;
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Leaves `ids` in the spool of worker `k` (as a worker of an earlier, larger count did). */
async function leaveInWorkerSpool(k: number, ids: readonly string[], firstTime: number): Promise<void> {
  const spool = await openAuditSpool({ dir: join(dir, "spool", `worker-${k}`), maxBytes: 1 << 20, target: refusing, logger, drainIntervalMs: 0 });
  for (const [i, id] of ids.entries()) await spool.keep(spooled(id, firstTime + i), "read-only");
  await spool.close();
}

async function chainIds(): Promise<string[]> {
  return (await createAuditRepository(store.db, store.capabilities).scan({ chain: "acme" }, 0, 1000)).map((e) => e.requestId);
}

describe("strandedWorkerDirs()", () => {
  test("lists the worker-k directories above the worker count, in number order", () => {
    for (const name of ["worker-2", "worker-10", "worker-3", "worker-x", "other"]) mkdirSync(join(dir, "spool", name), { recursive: true });
    writeFileSync(join(dir, "spool", "worker-7"), "a file, not a spool");
    expect(strandedWorkerDirs(join(dir, "spool"), 2)).toEqual([join(dir, "spool", "worker-3"), join(dir, "spool", "worker-10")]);
    expect(strandedWorkerDirs(join(dir, "spool"), 1)).toEqual(["worker-2", "worker-3", "worker-10"].map((n) => join(dir, "spool", n)));
    expect(strandedWorkerDirs(join(dir, "missing"), 1)).toEqual([]);
  });
});

describe("openStrandedSpools()", () => {
  test("drains the spools of workers above the count into the chain, each event once, and leaves the others alone", async () => {
    await leaveInWorkerSpool(2, ["w2-a", "w2-b"], 10);
    await leaveInWorkerSpool(3, ["w3-a", "w3-b", "w3-c"], 20);
    // A crash after the drain's commit, before the spool was shortened: w3-a is in the chain already.
    await createStoreDrainTarget(store).commit([spooled("w3-a", 20)]);
    const stranded = await openStrandedSpools({ dir: join(dir, "spool"), workers: 2, maxBytes: 1 << 20, target: createStoreDrainTarget(store), logger, drainIntervalMs: 0 });
    try {
      await stranded.drain();
      expect(stranded.count()).toBe(0);
      expect(await chainIds()).toEqual(["w3-a", "w3-b", "w3-c"]);
      expect((await verifyStoredChain(createAuditRepository(store.db, store.capabilities), { chain: "acme" })).ok).toBe(true);
      // worker 2 still serves under the new count: its spool is its own
      expect(existsSync(join(dir, "spool", "worker-2", "audit-spool.lock"))).toBe(false);
    } finally {
      await stranded.close();
    }
    expect(existsSync(join(dir, "spool", "worker-3", "audit-spool.lock"))).toBe(false);
  });

  test("keeps the events while the database refuses writes, and moves them once it accepts", async () => {
    await leaveInWorkerSpool(2, ["r1", "r2"], 1);
    let accepting = false;
    const real = createStoreDrainTarget(store);
    const target: DrainTarget = { commit: (drafts) => (accepting ? real.commit(drafts) : refusing.commit(drafts)) };
    const stranded = await openStrandedSpools({ dir: join(dir, "spool"), workers: 1, maxBytes: 1 << 20, target, logger, drainIntervalMs: 0 });
    try {
      expect(await stranded.drain()).toBe(0);
      expect(stranded.count()).toBe(2);
      accepting = true;
      expect(await stranded.drain()).toBe(2);
      expect(stranded.count()).toBe(0);
      expect(await chainIds()).toEqual(["r1", "r2"]);
    } finally {
      await stranded.close();
    }
  });

  test("leaves a spool whose lock a live process holds to that process", async () => {
    await leaveInWorkerSpool(2, ["r1"], 1);
    writeFileSync(join(dir, "spool", "worker-2", "audit-spool.lock"), JSON.stringify({ host: hostname(), pid: process.ppid }));
    const stranded = await openStrandedSpools({ dir: join(dir, "spool"), workers: 1, maxBytes: 1 << 20, target: createStoreDrainTarget(store), logger, drainIntervalMs: 0 });
    expect(stranded.count()).toBe(0);
    expect(await stranded.drain()).toBe(0);
    await stranded.close();
    expect(await chainIds()).toEqual([]);
  });
});
