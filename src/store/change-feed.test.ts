// The change feed (issue 9 §1) on both dialects: the triggers of migration 0008 bump the access
// version in the writing transaction, `sync` sees it once, and on PostgreSQL the LISTEN connection
// delivers it without a sync, survives being killed and flushes everything when lost or back.
import pg from "pg";
import { afterEach, describe, expect, test } from "vitest";
import { createTestLocation, dialectAvailable, DIALECTS } from "../../test/store/dialects.js";
import { createChangeFeed, type ChangeFeed, type ChangeFeedState } from "./change-feed.js";
import { LISTENER_APPLICATION_NAME } from "./change-feed-postgres.js";
import { parseChange } from "./change-feed-versions.js";
import { createGrantRepository } from "./grant-repository.js";
import { openStore, type Store } from "./open-store.js";

test("parseChange reads `<topic> <version>` and nothing else", () => {
  expect(parseChange("access 17")).toEqual({ topic: "access", version: 17 });
  expect(parseChange("access")).toBeUndefined();
  expect(parseChange("other 1")).toBeUndefined();
  expect(parseChange(undefined)).toBeUndefined();
});

/** Records the feed's state changes; `next(state)` resolves at the next time it reports `state`. */
function stateLog() {
  const waiting: { state: ChangeFeedState; resolve: () => void }[] = [];
  const seen: ChangeFeedState[] = [];
  return {
    seen,
    onState(state: ChangeFeedState) {
      seen.push(state);
      for (const w of waiting.splice(0)) {
        if (w.state === state) w.resolve();
        else waiting.push(w);
      }
    },
    next(state: ChangeFeedState): Promise<void> {
      return new Promise((resolve) => waiting.push({ state, resolve }));
    },
  };
}

/** The number of listener connections on the database, once it equals `expected` (a backend ends just after its client). */
async function listenersSettleAt(admin: pg.Client, expected: number): Promise<number> {
  for (let i = 0; ; i++) {
    const r = await admin.query<{ n: string }>("select count(*) as n from pg_stat_activity where application_name = $1 and datname = current_database()", [LISTENER_APPLICATION_NAME]);
    const n = Number(r.rows[0]?.n);
    if (n === expected || i === 100) return n;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`${dialect}: change feed`, () => {
    // A test of one dialect only is not registered at all for the other (rather than counted as skipped).
    const only = (wanted: typeof dialect) => (dialect === wanted ? test : ((() => undefined) as unknown as typeof test));
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const c of cleanups.splice(0).reverse()) await c();
    });

    /** A migrated database with org acme, user ada and one token; on PostgreSQL the feed is listening. */
    async function setup(options: { onState?: (s: ChangeFeedState) => void } = {}): Promise<{ store: Store; url: string; feed: ChangeFeed; tokenId: string; identityId: string }> {
      const location = await createTestLocation(dialect);
      const store = await openStore({ url: location.url });
      cleanups.push(location.dispose, store.close);
      const migrated = await store.migrate();
      if (migrated.error !== undefined) throw migrated.error;
      await store.organizations.create({ name: "acme", description: "" });
      const identity = await store.identities.createIdentity({ org: "acme", login: "ada", kind: "user", role: "member" });
      await store.identities.createToken({ id: "0123456789abcdef", identityId: identity.id, description: "", secretHash: "x", expiresAt: null });
      const log = stateLog();
      const feed = createChangeFeed({
        db: store.db,
        url: location.url,
        // On SQLite every test below also proves the stamp moves with this store's own writes.
        changeStamp: () => store.changeStamp(),
        reconnectMs: { min: 20, max: 200 },
        onState: (state) => {
          log.onState(state);
          options.onState?.(state);
        },
      });
      cleanups.push(feed.close);
      // The listener opens at the first sync and flushes once connected: tests start after that.
      const listening = log.next("listening");
      await feed.sync();
      if (dialect === "postgres") await listening;
      return { store, url: location.url, feed, tokenId: "0123456789abcdef", identityId: identity.id };
    }

    test("a write that changes access is seen by the next sync, once; token use and new tokens are not changes", async () => {
      const { store, feed, tokenId, identityId } = await setup();
      const told: string[] = [];
      await feed.sync();
      feed.subscribe("access", (topic) => told.push(topic));
      await feed.sync();
      await store.identities.touchToken(tokenId, new Date());
      await store.identities.createToken({ id: "fedcba9876543210", identityId, description: "", secretHash: "y", expiresAt: null });
      await feed.sync();
      expect(told).toEqual([]);

      await store.identities.revokeToken(tokenId, new Date());
      await feed.sync();
      await feed.sync();
      expect(told).toEqual(["access"]);

      await createGrantRepository(store.db).set({ org: "acme", subjectKind: "identity", subjectId: identityId, project: "p", environment: "", permission: "read", editor: "t" });
      await feed.sync();
      expect(told).toEqual(["access", "access"]);
      // Whether the notification or the sync is first, each change flushes once.
      await store.identities.updateRole(identityId, "admin");
      await feed.sync();
      expect(told).toEqual(["access", "access", "access"]);
    });

    only("sqlite")("asks SQLite for the versions only when a commit moved the data version, by this store or another process", async () => {
      const { store, url, identityId } = await setup();
      let queries = 0;
      const counted = store.db.withPlugin({
        transformQuery: (args) => {
          queries++;
          return args.node;
        },
        transformResult: async (args) => args.result,
      });
      const feed = createChangeFeed({ db: counted, url, changeStamp: () => store.changeStamp() });
      cleanups.push(feed.close);
      const told: string[] = [];
      feed.subscribe("access", (topic) => told.push(topic));
      await feed.sync();
      await feed.sync();
      await feed.sync();
      expect(queries).toBe(1);

      // Another process on the same file (here: a second store) revokes access.
      const other = await openStore({ url });
      cleanups.push(other.close);
      await createGrantRepository(other.db).set({ org: "acme", subjectKind: "identity", subjectId: identityId, project: "p", environment: "", permission: "read", editor: "t" });
      await feed.sync();
      expect([queries, told]).toEqual([2, ["access"]]);
      await feed.sync();
      expect(queries).toBe(2);

      // A commit that changes no topic moves the stamp: one query, nothing told.
      await store.identities.touchToken("0123456789abcdef", new Date());
      await feed.sync();
      await feed.sync();
      expect([queries, told]).toEqual([3, ["access"]]);
    });

    test("writes to environments, revisions and revision tags are `environments` changes, and not `access` ones", async () => {
      const { store, feed } = await setup();
      const told: string[] = [];
      await feed.sync();
      feed.subscribe("environments", (topic) => told.push(topic));
      feed.subscribe("access", (topic) => told.push(topic));
      const key = { org: "acme", project: "p", name: "app" };
      const writes: (() => Promise<unknown>)[] = [
        () => store.environments.create({ key, definition: "values:\n  a: 1\n", author: "t" }),
        () => store.environments.update({ key, definition: "values:\n  a: 2\n", baseRevision: 1, author: "t" }),
        () => store.environments.createRevisionTag(key, { name: "stable", revision: 1, editor: "t" }),
        () => store.environments.updateRevisionTag(key, { name: "stable", revision: 2, editor: "t" }),
        () => store.environments.retractRevision({ key, revision: 2, reason: "r", actor: "t" }),
        () => store.environments.deleteRevisionTag(key, "stable"),
        () => store.environments.delete(key),
      ];
      for (const [i, write] of writes.entries()) {
        await write();
        await feed.sync();
        expect(told).toEqual(Array.from({ length: i + 1 }, () => "environments"));
      }
      await store.environments.get(key).catch(() => undefined);
      await feed.sync();
      expect(told).toHaveLength(writes.length); // a read is not a change
    });

    test("a rolled-back change is never delivered", async () => {
      const { store, feed, tokenId } = await setup();
      const told: string[] = [];
      await feed.sync();
      feed.subscribe("access", (topic) => told.push(topic));
      await expect(
        store.transaction(async (tx) => {
          await tx.identities.revokeToken(tokenId, new Date());
          throw new Error("abandoned");
        }),
      ).rejects.toThrow("abandoned");
      await feed.sync();
      expect(told).toEqual([]);
    });

    test("a change made by another process on the same database is seen by the next sync", async () => {
      const { url, feed, tokenId } = await setup();
      const other = await openStore({ url });
      cleanups.push(other.close);
      const told: string[] = [];
      await feed.sync();
      feed.subscribe("access", (topic) => told.push(topic));
      await other.identities.revokeToken(tokenId, new Date());
      // Concurrent callers share queries and are all answered after the flush.
      await Promise.all([feed.sync(), feed.sync(), feed.sync(), feed.sync()]);
      expect(told).toEqual(["access"]);
    });

    only("sqlite")("SQLite needs no listener", async () => {
      const { feed } = await setup();
      await feed.sync();
      expect(feed.state()).toBe("local");
    });

    only("postgres")("a committed change arrives through LISTEN without a sync", async () => {
      const log = stateLog();
      const { url, feed, tokenId } = await setup({ onState: log.onState });
      expect(feed.state()).toBe("listening");
      const delivered = new Promise<string>((resolve) => feed.subscribe("access", resolve));
      const other = await openStore({ url });
      cleanups.push(other.close);
      await other.identities.revokeToken(tokenId, new Date());
      expect(await delivered).toBe("access");
    });

    only("postgres")("a killed LISTEN connection flushes everything, comes back, and delivers again", async () => {
      const log = stateLog();
      const { url, feed, tokenId } = await setup({ onState: log.onState });
      const told: string[] = [];
      feed.subscribe("access", (topic) => told.push(topic));

      const lost = log.next("reconnecting");
      const back = log.next("listening");
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      cleanups.push(() => admin.end());
      const killed = await admin.query<{ ok: boolean }>("select pg_terminate_backend(pid) as ok from pg_stat_activity where application_name = $1 and datname = current_database()", [LISTENER_APPLICATION_NAME]);
      expect(killed.rows).toEqual([{ ok: true }]);
      await lost;
      expect(told).toEqual(["access"]);
      await back;
      // Lost, then back: both flush (what was sent in between is gone).
      expect(told).toEqual(["access", "access"]);
      expect(feed.state()).toBe("listening");
      expect(await listenersSettleAt(admin, 1)).toBe(1);

      const delivered = new Promise<string>((resolve) => feed.subscribe("access", resolve));
      const other = await openStore({ url });
      cleanups.push(other.close);
      await other.identities.revokeToken(tokenId, new Date());
      expect(await delivered).toBe("access");
      expect(log.seen).toEqual(["listening", "reconnecting", "listening"]);
    });

    only("postgres")("close ends the LISTEN connection for good", async () => {
      const log = stateLog();
      const { url, feed } = await setup({ onState: log.onState });
      await feed.close();
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      cleanups.push(() => admin.end());
      expect(await listenersSettleAt(admin, 0)).toBe(0);
      expect(log.seen).toEqual(["listening"]);
    });
  });
}
