import { describe, expect, it } from "vitest";
import type { EnvironmentKey, RevisionPin, RevisionRef } from "../../store/index.js";
import { createResolveCache, type ResolveRequest } from "./resolve-cache.js";

const APP: EnvironmentKey = { org: "acme", project: "apps", name: "app" };
const request: ResolveRequest = { key: APP, version: "", context: { user: "alice" } };
const answer = {
  root: { environmentId: "id-app", revision: 3 },
  imports: [
    { ref: { project: "base", name: "net", version: "" }, pin: { environmentId: "id-net", revision: 7 } },
    { ref: { project: "base", name: "db", version: "stable" }, pin: { environmentId: "id-db", revision: 2 } },
  ],
  bytes: new Uint8Array([1, 2, 3, 4]),
};
const pin = (environmentId: string, revision: number, retracted = false): RevisionPin => ({ environmentId, revision, retracted });
const current = [pin("id-app", 3), pin("id-net", 7), pin("id-db", 2)];
const anyone = async () => true;

/** A change feed the test drives: `write()` reports a committed write to environments. */
function fakeFeed() {
  const listeners: (() => void)[] = [];
  return {
    subscribe(topic: string, listener: () => void) {
      if (topic === "environments") listeners.push(listener);
    },
    write: () => listeners.forEach((l) => l()),
  };
}

/** A cache over a fake store whose current pins the test sets; records what it was asked. */
function cacheWith(pins: (RevisionPin | undefined)[], options: { maxEntries?: number; maxBytes?: number; changes?: ReturnType<typeof fakeFeed> } = {}) {
  const asked: { org: string; refs: readonly RevisionRef[] }[] = [];
  const state = { pins };
  const cache = createResolveCache({
    ...options,
    pinRevisions: async (org, refs) => {
      asked.push({ org, refs });
      return state.pins;
    },
  });
  return { cache, asked, state };
}

describe("the resolve cache", () => {
  it("answers with the stored bytes while the root and every import pin the same revisions, in one query", async () => {
    const { cache, asked } = cacheWith(current);
    expect(await cache.get(request, anyone)).toBeUndefined();
    expect(asked).toEqual([]); // nothing stored: no query
    cache.put(request, answer, cache.mark());
    expect(await cache.get(request, anyone)).toEqual({ revision: 3, bytes: Buffer.from([1, 2, 3, 4]) });
    expect(asked).toEqual([
      {
        org: "acme",
        refs: [
          { project: "apps", name: "app", version: "" },
          { project: "base", name: "net", version: "" },
          { project: "base", name: "db", version: "stable" },
        ],
      },
    ]);
  });

  it.each([
    ["a new revision of the root", [pin("id-app", 4), pin("id-net", 7), pin("id-db", 2)]],
    ["a new revision of an import", [pin("id-app", 3), pin("id-net", 8), pin("id-db", 2)]],
    ["a moved tag", [pin("id-app", 3), pin("id-net", 7), pin("id-db", 1)]],
    ["a retracted revision", [pin("id-app", 3), pin("id-net", 7, true), pin("id-db", 2)]],
    ["an import deleted and created again", [pin("id-app", 3), pin("id-net-2", 7), pin("id-db", 2)]],
    ["an import gone", [pin("id-app", 3), undefined, pin("id-db", 2)]],
  ])("misses after %s, and forgets the entry", async (_what, changed) => {
    const { cache, state, asked } = cacheWith(current);
    cache.put(request, answer, cache.mark());
    state.pins = changed;
    expect(await cache.get(request, anyone)).toBeUndefined();
    state.pins = current;
    expect(await cache.get(request, anyone)).toBeUndefined(); // dropped, not just skipped
    expect(asked).toHaveLength(1);
  });

  it("misses when the caller may no longer open an import", async () => {
    const { cache } = cacheWith(current);
    cache.put(request, answer, cache.mark());
    const asked: EnvironmentKey[] = [];
    const notDb = async (key: EnvironmentKey) => (asked.push(key), key.name !== "db");
    expect(await cache.get(request, notDb)).toBeUndefined();
    expect(asked).toEqual([
      { org: "acme", project: "base", name: "net" },
      { org: "acme", project: "base", name: "db" },
    ]);
  });

  it("keeps requests apart by version and by the caller's execution context", async () => {
    const { cache } = cacheWith(current);
    cache.put(request, answer, cache.mark());
    expect(await cache.get({ ...request, version: "3" }, anyone)).toBeUndefined();
    expect(await cache.get({ ...request, context: { user: "bob" } }, anyone)).toBeUndefined();
    expect(await cache.get({ ...request, key: { ...APP, org: "other" } }, anyone)).toBeUndefined();
    expect((await cache.get(request, anyone))?.revision).toBe(3);
  });

  it("drops the least recently used entries beyond its bounds", async () => {
    const byEntries = cacheWith(current, { maxEntries: 2 });
    const req = (name: string): ResolveRequest => ({ ...request, key: { ...APP, name } });
    byEntries.cache.put(req("a"), answer, 0);
    byEntries.cache.put(req("b"), answer, 0);
    expect(await byEntries.cache.get(req("a"), anyone)).toBeDefined(); // a is now the most recent
    byEntries.cache.put(req("c"), answer, 0);
    expect(await byEntries.cache.get(req("b"), anyone)).toBeUndefined();
    expect(await byEntries.cache.get(req("a"), anyone)).toBeDefined();
    expect(await byEntries.cache.get(req("c"), anyone)).toBeDefined();

    const byBytes = cacheWith(current, { maxBytes: 10 });
    byBytes.cache.put(req("a"), { ...answer, bytes: new Uint8Array(6) }, 0);
    byBytes.cache.put(req("b"), { ...answer, bytes: new Uint8Array(6) }, 0);
    expect(await byBytes.cache.get(req("a"), anyone)).toBeUndefined();
    expect((await byBytes.cache.get(req("b"), anyone))?.bytes).toEqual(Buffer.alloc(6));
    byBytes.cache.put(req("huge"), { ...answer, bytes: new Uint8Array(11) }, 0);
    expect(await byBytes.cache.get(req("huge"), anyone)).toBeUndefined();
  });

  describe("with the change feed", () => {
    it("needs no query while no write was reported since the entry was checked, and one after each", async () => {
      const changes = fakeFeed();
      const { cache, asked, state } = cacheWith(current, { changes });
      cache.put(request, answer, cache.mark());
      for (let i = 0; i < 3; i++) expect((await cache.get(request, anyone))?.revision).toBe(3);
      expect(asked).toHaveLength(0);
      changes.write(); // a write that did not touch these environments
      expect((await cache.get(request, anyone))?.revision).toBe(3);
      expect((await cache.get(request, anyone))?.revision).toBe(3);
      expect(asked).toHaveLength(1);
      changes.write(); // a write that did
      state.pins = [pin("id-app", 3), pin("id-net", 8), pin("id-db", 2)];
      expect(await cache.get(request, anyone)).toBeUndefined();
      expect(asked).toHaveLength(2);
    });

    it("checks an answer stored with a mark taken before a reported write on its first hit", async () => {
      const changes = fakeFeed();
      const { cache, asked, state } = cacheWith(current, { changes });
      const mark = cache.mark(); // the request began
      changes.write(); // a write reported while it was evaluating
      cache.put(request, answer, mark);
      state.pins = [pin("id-app", 4), pin("id-net", 7), pin("id-db", 2)];
      expect(await cache.get(request, anyone)).toBeUndefined();
      expect(asked).toHaveLength(1);
    });

    it("still asks whether the caller may open each import, without a query", async () => {
      const changes = fakeFeed();
      const { cache, asked } = cacheWith(current, { changes });
      cache.put(request, answer, cache.mark());
      expect(await cache.get(request, async (key) => key.name !== "net")).toBeUndefined();
      expect(asked).toHaveLength(0);
    });
  });
});
