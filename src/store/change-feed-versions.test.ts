// The version check's bookkeeping, with a reader the test controls: which query answers which
// caller, and when subscribers are told.
import { describe, expect, test } from "vitest";
import { createVersionTracker, type TopicVersion } from "./change-feed-versions.js";

/** A reader whose queries stay pending until the test answers them, in order. */
function controlledReader() {
  const pending: { resolve: (rows: TopicVersion[]) => void; reject: (e: Error) => void }[] = [];
  return {
    get sent() {
      return pending.length;
    },
    read: () => new Promise<TopicVersion[]>((resolve, reject) => pending.push({ resolve, reject })),
    answer(i: number, version: number) {
      pending[i]?.resolve([{ topic: "access", version: String(version) }]);
    },
    fail(i: number) {
      pending[i]?.reject(new Error("database unavailable"));
    },
  };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe("createVersionTracker()", () => {
  test("a sync called while a query is in flight is answered by a query sent after the call, shared by all such callers", async () => {
    const db = controlledReader();
    const tracker = createVersionTracker(db.read);
    const told: string[] = [];
    tracker.subscribe("access", (t) => told.push(t));
    const done: string[] = [];
    void tracker.sync().then(() => done.push("first"));
    void tracker.sync().then(() => done.push("second"));
    void tracker.sync().then(() => done.push("third"));
    expect(db.sent).toBe(1);
    db.answer(0, 4);
    await settled();
    // The first query (the baseline) answers only its own caller; one more query is sent for the others.
    expect(done).toEqual(["first"]);
    expect(db.sent).toBe(2);
    db.answer(1, 5);
    await settled();
    expect(done).toEqual(["first", "second", "third"]);
    expect(told).toEqual(["access"]);
  });

  test("each version is reported once, whether a notification or a sync sees it first; older ones never", async () => {
    const db = controlledReader();
    const tracker = createVersionTracker(db.read);
    const told: string[] = [];
    tracker.subscribe("access", (t) => told.push(t));
    const sync = async (version: number) => {
      const p = tracker.sync();
      db.answer(db.sent - 1, version);
      await p;
    };
    await sync(7);
    expect(told).toEqual([]);
    tracker.learnt("access", 8);
    await sync(8);
    expect(told).toEqual(["access"]);
    tracker.learnt("access", 6);
    await sync(7);
    expect(told).toEqual(["access"]);
    await sync(9);
    tracker.learnt("access", 9);
    expect(told).toEqual(["access", "access"]);
    tracker.flushAll();
    expect(told).toEqual(["access", "access", "access"]);
  });

  test("a failed query fails its callers; the next sync queries again", async () => {
    const db = controlledReader();
    const tracker = createVersionTracker(db.read);
    const first = tracker.sync();
    db.fail(0);
    await expect(first).rejects.toThrow("database unavailable");
    const second = tracker.sync();
    expect(db.sent).toBe(2);
    db.answer(1, 1);
    await expect(second).resolves.toBeUndefined();
  });

  test("a missing counter row flushes on every sync (nothing could vouch for the caches)", async () => {
    const tracker = createVersionTracker(async () => []);
    const told: string[] = [];
    tracker.subscribe("access", (t) => told.push(t));
    await tracker.sync();
    await tracker.sync();
    expect(told).toEqual(["access", "access"]);
  });

  test("an unsubscribed listener is not told", async () => {
    const tracker = createVersionTracker(async () => []);
    const told: string[] = [];
    const off = tracker.subscribe("access", (t) => told.push(t));
    tracker.flushAll();
    off();
    tracker.flushAll();
    expect(told).toEqual(["access"]);
  });
});
