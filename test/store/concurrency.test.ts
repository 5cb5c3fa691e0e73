import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { openStore, type EnvironmentKey, type Store } from "../../src/store/index.js";
import { DIALECTS, dialectAvailable, useTestStore } from "./dialects.js";

const DEV: EnvironmentKey = { org: "acme", project: "payments", name: "dev" };
const WRITERS = 50;

/** Codes of the settled promises: "ok" or the ConnectError code name. */
function outcomes(results: PromiseSettledResult<unknown>[]): string[] {
  return results.map((r) => {
    if (r.status === "fulfilled") return "ok";
    return r.reason instanceof ConnectError ? Code[r.reason.code] : `unexpected: ${String(r.reason)}`;
  });
}

function tally(list: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of list) out[x] = (out[x] ?? 0) + 1;
  return out;
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`${dialect}: concurrency`, () => {
    const t = useTestStore(dialect, { poolSize: 10 });
    // On Postgres, a second store on the same database plays another server replica. SQLite is
    // served by one process (better-sqlite3 waits for a lock synchronously, so two connections in
    // one process would block each other's event loop): there both halves use the same store.
    let replica: Store;
    let second: Store | undefined;
    beforeAll(async () => {
      if (dialect === "postgres") second = await openStore({ url: t.url, poolSize: 10 });
      replica = second ?? t.store;
    });
    afterAll(async () => {
      await second?.close();
    });
    beforeEach(async () => {
      await t.store.organizations.create({ name: "acme", description: "" });
    });

    test(`${WRITERS} concurrent updates from one base: exactly one wins, the rest are Aborted, no gap`, async () => {
      await t.store.environments.create({ key: DEV, definition: "v: 0\n", author: "alice" });
      const results = await Promise.allSettled(
        Array.from({ length: WRITERS }, (_, i) =>
          (i % 2 === 0 ? t.store : replica).environments.update({ key: DEV, definition: `v: ${i + 1}\n`, baseRevision: 1, author: `writer-${i}` }),
        ),
      );
      expect(tally(outcomes(results))).toEqual({ ok: 1, Aborted: WRITERS - 1 });
      for (const r of results) {
        if (r.status === "rejected") expect((r.reason as ConnectError).rawMessage).toBe("base revision 1 is stale: latest is 2");
      }
      const winner = results.findIndex((r) => r.status === "fulfilled");
      const history = await t.store.environments.listRevisions(DEV, { pageSize: 100, pageToken: "" });
      expect(history.items.map((r) => [r.number, r.author])).toEqual([
        [2, `writer-${winner}`],
        [1, "alice"],
      ]);
      expect((await t.store.environments.getRevision(DEV, 2)).definition).toBe(`v: ${winner + 1}\n`);
      expect((await t.store.environments.get(DEV)).latestRevision).toBe(2);
    });

    test("chained writers that retry on Aborted build a gap-free history", async () => {
      await t.store.environments.create({ key: DEV, definition: "v: 0\n", author: "alice" });
      const writers = 8;
      const perWriter = 5;
      await Promise.all(
        Array.from({ length: writers }, async (_, w) => {
          const store = w % 2 === 0 ? t.store : replica;
          for (let done = 0; done < perWriter; ) {
            const base = (await store.environments.get(DEV)).latestRevision;
            try {
              await store.environments.update({ key: DEV, definition: `w${w}: ${done}\n`, baseRevision: base, author: `w${w}` });
              done++;
            } catch (err) {
              if (!(err instanceof ConnectError) || err.code !== Code.Aborted) throw err;
            }
          }
        }),
      );
      const total = 1 + writers * perWriter;
      const history = await t.store.environments.listRevisions(DEV, { pageSize: 1000, pageToken: "" });
      expect(history.items.map((r) => r.number)).toEqual(Array.from({ length: total }, (_, i) => total - i));
    });

    test("concurrent creates of one name: exactly one wins, the rest are AlreadyExists", async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 === 0 ? t.store : replica).environments.create({ key: DEV, definition: `v: ${i}\n`, author: `w${i}` }),
        ),
      );
      expect(tally(outcomes(results))).toEqual({ ok: 1, AlreadyExists: 19 });
      const rows = await t.store.db.selectFrom("revisions").select("number").execute();
      expect(rows).toEqual([{ number: 1 }]);
    });

    test("concurrent retractions of the latest revision write one replacement", async () => {
      await t.store.environments.create({ key: DEV, definition: "v: 1\n", author: "alice" });
      await t.store.environments.update({ key: DEV, definition: "v: 2\n", baseRevision: 1, author: "alice" });
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 === 0 ? t.store : replica).environments.retractRevision({ key: DEV, revision: 2, reason: `r${i}`, actor: `w${i}` }),
        ),
      );
      expect(tally(outcomes(results))).toEqual({ ok: 1, FailedPrecondition: 9 });
      const history = await t.store.environments.listRevisions(DEV, { pageSize: 100, pageToken: "" });
      expect(history.items.map((r) => [r.number, r.retracted])).toEqual([
        [3, false],
        [2, true],
        [1, false],
      ]);
    });

    test("concurrent rollbacks without a base all succeed, one revision each", async () => {
      await t.store.environments.create({ key: DEV, definition: "v: 1\n", author: "alice" });
      await t.store.environments.update({ key: DEV, definition: "v: 2\n", baseRevision: 1, author: "alice" });
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? t.store : replica).environments.rollback({ key: DEV, revision: 1, author: `w${i}` })),
      );
      expect(tally(outcomes(results))).toEqual({ ok: 10 });
      const numbers = results.map((r) => (r.status === "fulfilled" ? r.value.number : 0)).sort((a, b) => a - b);
      expect(numbers).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      expect((await t.store.environments.get(DEV)).latestRevision).toBe(12);
    });
  });
}
