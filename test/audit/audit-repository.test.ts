import { Code } from "@connectrpc/connect";
import { beforeEach, describe, expect, test } from "vitest";
import { GENESIS_HASH, hashEvent, verifyStoredChain } from "../../src/audit/index.js";
import { createAuditRepository, openStore, withTransactionHook, type AuditFilter, type AuditRepository, type EnvironmentKey } from "../../src/store/index.js";
import { DIALECTS, dialectAvailable, expectConnectError, useTestStore } from "../store/dialects.js";
import { breakAuditInserts, countEvents, draft, execSql, repairAuditInserts, resetAudit } from "./support.js";

const DEV: EnvironmentKey = { org: "acme", project: "payments", name: "dev" };
const ACME: AuditFilter = { chain: "acme" };

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`${dialect}: audit repository`, () => {
    const t = useTestStore(dialect);
    let audit: AuditRepository;

    beforeEach(async () => {
      await resetAudit(t.store);
      await repairAuditInserts(t.store);
      audit = createAuditRepository(t.store.db, t.store.capabilities);
    });

    async function appendMany(n: number): Promise<void> {
      for (let i = 1; i <= n; i++) await audit.append(draft({ requestId: `req-${i}`, time: Date.UTC(2026, 0, 1, 0, 0, i) }));
    }

    test("appends link each event to the previous one, from the genesis hash", async () => {
      const first = await audit.append(draft({ requestId: "a" }));
      const second = await audit.append(draft({ requestId: "b" }));
      expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH, hash: hashEvent(GENESIS_HASH, { ...draft({ requestId: "a" }), seq: 1 }) });
      expect(second).toMatchObject({ seq: 2, prevHash: first.hash, hash: hashEvent(first.hash, { ...draft({ requestId: "b" }), seq: 2 }) });
      expect(await audit.head("acme")).toEqual({ seq: 2, hash: second.hash });
      // Chains are independent: another org starts at 1.
      expect(await audit.append(draft({ chain: "beta", org: "beta" }))).toMatchObject({ seq: 1, prevHash: GENESIS_HASH });
      expect(await audit.append(draft({ chain: "", org: "", actor: "", outcome: "unauthenticated" }))).toMatchObject({ seq: 1, chain: "" });
    });

    test("a batch appends several events in order in one transaction, or none of them", async () => {
      await audit.append(draft({ requestId: "before" }));
      const batch = await audit.appendBatch("acme", [draft({ requestId: "b1" }), draft({ requestId: "b2" }), draft({ requestId: "b3" })]);
      expect(batch.map((e) => `${e.seq} ${e.requestId}`)).toEqual(["2 b1", "3 b2", "4 b3"]);
      expect(await verifyStoredChain(audit, ACME)).toMatchObject({ ok: true, eventsChecked: 4 });
      await breakAuditInserts(t.store);
      await expect(audit.appendBatch("acme", [draft({ requestId: "x1" }), draft({ requestId: "x2" })])).rejects.toThrow(/audit insert refused by test trigger/);
      await repairAuditInserts(t.store);
      expect(await countEvents(t.store)).toBe(4);
      expect(await audit.head("acme")).toEqual({ seq: 4, hash: batch[2]!.hash });
      await expect(audit.appendBatch("acme", [draft({ chain: "beta" })])).rejects.toThrow('audit batch of chain "acme" holds an event of "beta"');
    });

    test("stored events read back exactly as written (provider calls, null revision)", async () => {
      const calls = [{ provider: "aws-login", path: "acme/payments/prod:aws.login", durationMs: 12.5, outcome: "ok" }];
      const written = await audit.append(draft({ providerCalls: calls, revision: null }));
      const page = await audit.list({ ...ACME, pageSize: 10, pageToken: "" });
      expect(page.items).toEqual([written]);
      expect(await verifyStoredChain(audit, ACME)).toEqual({ ok: true, eventsChecked: 1, lastSeq: 1, lastHash: written.hash });
    });

    test("list filters by time range, actor, environment, action and outcome, newest first, in pages", async () => {
      await appendMany(5);
      await audit.append(draft({ actor: "bob", requestId: "bob", time: Date.UTC(2026, 0, 2) }));
      await audit.append(draft({ environment: "dev", requestId: "dev", time: Date.UTC(2026, 0, 2) }));
      await audit.append(draft({ action: "openesc.v1.EnvironmentService/UpdateEnvironment", outcome: "aborted", requestId: "upd", time: Date.UTC(2026, 0, 2) }));
      const ids = async (filter: Partial<AuditFilter>) => (await audit.list({ ...ACME, ...filter, pageSize: 100, pageToken: "" })).items.map((e) => e.requestId);
      expect(await ids({})).toEqual(["upd", "dev", "bob", "req-5", "req-4", "req-3", "req-2", "req-1"]);
      expect(await ids({ since: Date.UTC(2026, 0, 1, 0, 0, 2), until: Date.UTC(2026, 0, 1, 0, 0, 4) })).toEqual(["req-3", "req-2"]);
      expect(await ids({ actor: "bob" })).toEqual(["bob"]);
      expect(await ids({ project: "payments", environment: "dev" })).toEqual(["dev"]);
      expect(await ids({ action: "openesc.v1.EnvironmentService/UpdateEnvironment" })).toEqual(["upd"]);
      expect(await ids({ outcome: "aborted" })).toEqual(["upd"]);
      expect(await ids({ chain: "beta" })).toEqual([]);

      const seen: string[] = [];
      let token = "";
      do {
        const page = await audit.list({ ...ACME, pageSize: 3, pageToken: token });
        seen.push(page.items.map((e) => e.requestId).join(","));
        token = page.nextPageToken;
      } while (token !== "");
      expect(seen).toEqual(["upd,dev,bob", "req-5,req-4,req-3", "req-2,req-1"]);
      await expectConnectError(audit.list({ ...ACME, pageSize: 3, pageToken: "nope!" }), Code.InvalidArgument, "invalid page token");
    });

    describe("tampering is detected at the first bad event", () => {
      beforeEach(async () => {
        await appendMany(5);
        expect((await verifyStoredChain(audit, ACME)).ok).toBe(true);
      });

      test("an edited field", async () => {
        await execSql(t.store, "UPDATE audit_events SET actor = 'mallory' WHERE chain = 'acme' AND seq = 3");
        expect((await verifyStoredChain(audit, ACME)).firstBroken).toEqual({ seq: 3, reason: "event 3 does not match its hash (the row was changed)" });
      });

      test("an edited outcome with the row's own hash recomputed breaks the next link", async () => {
        const [row] = await audit.scan(ACME, 2, 1);
        const forged = { ...row!, outcome: "ok", actor: "mallory" };
        const hash = hashEvent(forged.prevHash, forged);
        await execSql(t.store, `UPDATE audit_events SET actor = 'mallory', hash = '${hash}' WHERE chain = 'acme' AND seq = 3`);
        expect((await verifyStoredChain(audit, ACME)).firstBroken).toEqual({ seq: 4, reason: "event 4 does not link to event 3 (prev_hash differs)" });
      });

      test("a deleted event", async () => {
        await execSql(t.store, "DELETE FROM audit_events WHERE chain = 'acme' AND seq = 2");
        expect((await verifyStoredChain(audit, ACME)).firstBroken).toEqual({ seq: 2, reason: "event 2 is missing (the next stored event is 3)" });
      });

      test("a deleted first event", async () => {
        await execSql(t.store, "DELETE FROM audit_events WHERE chain = 'acme' AND seq = 1");
        expect((await verifyStoredChain(audit, ACME)).firstBroken).toEqual({ seq: 1, reason: "event 1 is missing (the next stored event is 2)" });
      });

      test("a deleted last event (the chain head still names it)", async () => {
        await execSql(t.store, "DELETE FROM audit_events WHERE chain = 'acme' AND seq = 5");
        expect((await verifyStoredChain(audit, ACME)).firstBroken).toEqual({ seq: 5, reason: "event 5 is missing (the chain head is at event 5)" });
      });

      test("two events swapped (reordered)", async () => {
        await execSql(t.store, "UPDATE audit_events SET seq = -1 WHERE chain = 'acme' AND seq = 2");
        await execSql(t.store, "UPDATE audit_events SET seq = 2 WHERE chain = 'acme' AND seq = 3");
        await execSql(t.store, "UPDATE audit_events SET seq = 3 WHERE chain = 'acme' AND seq = -1");
        expect((await verifyStoredChain(audit, ACME)).firstBroken).toEqual({ seq: 2, reason: "event 2 does not match its hash (the row was changed)" });
      });

      test("a moved time stamp", async () => {
        await execSql(t.store, "UPDATE audit_events SET time = time + 1 WHERE chain = 'acme' AND seq = 4");
        expect((await verifyStoredChain(audit, ACME)).firstBroken?.seq).toBe(4);
      });

      test("a rewritten chain head", async () => {
        await execSql(t.store, "UPDATE audit_chains SET hash = 'ff' WHERE chain = 'acme'");
        expect((await verifyStoredChain(audit, ACME)).firstBroken).toEqual({ seq: 5, reason: "the chain head does not match event 5" });
      });
    });

    describe("an anchor from an earlier verification", () => {
      let anchor: { seq: number; hash: string };
      beforeEach(async () => {
        await appendMany(5);
        const result = await verifyStoredChain(audit, ACME);
        anchor = { seq: 3, hash: (await audit.scan(ACME, 2, 1))[0]!.hash };
        expect(result.ok).toBe(true);
      });

      test("verifies only what came after it", async () => {
        expect(await verifyStoredChain(audit, ACME, { from: anchor })).toMatchObject({ ok: true, eventsChecked: 2, lastSeq: 5 });
      });

      test("catches a chain rewritten consistently from before it (a full verify cannot)", async () => {
        await resetAudit(t.store);
        for (let i = 1; i <= 6; i++) await audit.append(draft({ requestId: `rewritten-${i}` }));
        expect((await verifyStoredChain(audit, ACME)).ok).toBe(true);
        expect((await verifyStoredChain(audit, ACME, { from: anchor })).firstBroken).toEqual({ seq: 4, reason: "event 4 does not link to event 3 (prev_hash differs)" });
      });

      test("catches a truncated tail behind a rewound head", async () => {
        const [third] = await audit.scan(ACME, 2, 1);
        await execSql(t.store, "DELETE FROM audit_events WHERE chain = 'acme' AND seq > 2");
        await execSql(t.store, `UPDATE audit_chains SET seq = 2, hash = '${third!.prevHash}' WHERE chain = 'acme'`);
        expect((await verifyStoredChain(audit, ACME)).ok).toBe(true);
        expect((await verifyStoredChain(audit, ACME, { from: anchor })).firstBroken).toEqual({
          seq: 3,
          reason: "the chain ends at event 2, before the anchor (event 3): events were removed",
        });
      });
    });

    test("verification reads in batches and counts every event", async () => {
      await appendMany(7);
      const result = await verifyStoredChain(audit, ACME, { batchSize: 2 });
      expect(result).toMatchObject({ ok: true, eventsChecked: 7, lastSeq: 7 });
    });

    test("concurrent appends never fork or collide the chain", async () => {
      await Promise.all(Array.from({ length: 40 }, (_, i) => audit.append(draft({ requestId: `c-${i}` }))));
      if (dialect === "sqlite") {
        // One process serves a SQLite file; its single connection serializes the transactions (BEGIN IMMEDIATE across processes).
        expect(await verifyStoredChain(audit, ACME)).toMatchObject({ ok: true, eventsChecked: 40, lastSeq: 40 });
        return;
      }
      // A second store on the same database (its own connection pool, as a second server would have) appends at the same time.
      const other = await openStore({ url: t.url, poolSize: 4 });
      try {
        const otherAudit = createAuditRepository(other.db, other.capabilities);
        await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? audit : otherAudit).append(draft({ requestId: `d-${i}` }))));
      } finally {
        await other.close();
      }
      const result = await verifyStoredChain(audit, ACME);
      expect(result).toMatchObject({ ok: true, eventsChecked: 80, lastSeq: 80 });
      const ids = new Set((await audit.scan(ACME, 0, 1000)).map((e) => e.requestId));
      expect(ids.size).toBe(80);
    });

    test("an event appended by the transaction hook commits with the mutation", async () => {
      await t.store.organizations.create({ name: "acme", description: "" });
      await t.store.environments.create({ key: DEV, definition: "a: 1\n", author: "x" });
      const hook = {
        settled: () => undefined,
        async beforeCommit(trx: typeof t.store.db, facts: { revision?: number }) {
          await createAuditRepository(trx, t.store.capabilities).append(draft({ revision: facts.revision ?? null, requestId: "mutation" }));
        },
      };
      await withTransactionHook(hook, () => t.store.environments.update({ key: DEV, definition: "a: 2\n", baseRevision: 1, author: "x" }));
      const [event] = (await audit.list({ ...ACME, pageSize: 10, pageToken: "" })).items;
      expect(event).toMatchObject({ requestId: "mutation", revision: 2 });
      // A mutation that fails rolls its event back with it.
      await expectConnectError(
        withTransactionHook(hook, () => t.store.environments.update({ key: DEV, definition: "a: 3\n", baseRevision: 1, author: "x" })),
        Code.Aborted,
        "base revision 1 is stale: latest is 2",
      );
      expect(await countEvents(t.store)).toBe(1);
    });

    test("a failing audit insert rolls the mutation back", async () => {
      await t.store.organizations.create({ name: "acme", description: "" });
      await t.store.environments.create({ key: DEV, definition: "a: 1\n", author: "x" });
      await breakAuditInserts(t.store);
      const hook = {
        settled: () => undefined,
        async beforeCommit(trx: typeof t.store.db) {
          await createAuditRepository(trx, t.store.capabilities).append(draft());
        },
      };
      await expect(withTransactionHook(hook, () => t.store.environments.update({ key: DEV, definition: "a: 2\n", baseRevision: 1, author: "x" }))).rejects.toThrow(
        /audit insert refused by test trigger/,
      );
      expect((await t.store.environments.get(DEV)).latestRevision).toBe(1);
      await expect(audit.append(draft())).rejects.toThrow(/audit insert refused by test trigger/);
      // No event: at most an empty chain head (PostgreSQL creates it in its own statement).
      expect((await audit.head("acme"))?.seq ?? 0).toBe(0);
    });
  });
}
