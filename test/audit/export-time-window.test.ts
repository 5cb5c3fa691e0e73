/**
 * ExportAuditEvents of a time window (issue 9 §3): oldest first by (time, seq), read batch by batch
 * with a (time, seq) key, so that every event of the window is exported exactly once — equal times
 * across batch boundaries, events appended out of time order (two replicas' clocks) and events
 * appended during the export included — and the query plans of the batches the export runs: one
 * range scan of (chain, time, seq) each, never a sort of the window or a walk of the chain by seq.
 * Then the same through the real server (its batches of 1,000), on SQLite and PostgreSQL.
 */
import { join } from "node:path";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { CompiledQuery, Kysely, sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { readExport, type AuditEventRecord } from "../../src/audit/index.js";
import { AuditService } from "../../src/gen/openesc/v1/audit_pb.js";
import { createAuditRepository, createStoreDialect, openStore, type AuditFilter, type AuditRepository, type Database, type Store } from "../../src/store/index.js";
import { clientFor } from "../support/clients.js";
import { createTestDatabase, testPostgresUrl, type TestDatabase } from "../support/postgres.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { DIALECTS, dialectAvailable, useTestStore } from "../store/dialects.js";
import { ACME, appendOutOfOrder, at, draft, resetAudit, S } from "./support.js";

// The window [10 s, 30 s) oldest first: by time, then by seq.
const WINDOW = { since: at(10), until: at(30) };
const IN_WINDOW = ["a", "i", "d", "b", "c", "e", "j", "h"];

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`${dialect}: audit export of a time window`, () => {
    const t = useTestStore(dialect);
    let audit: AuditRepository;

    beforeEach(async () => {
      audit = await appendOutOfOrder(t.store);
    });

    /** The export's events, each batch's request ids joined (batches seen through the repository's calls). */
    async function batches(filter: Partial<AuditFilter>, batchSize: number): Promise<string[]> {
      const out: string[][] = [];
      const counting: AuditRepository = {
        ...audit,
        scan: async (...args) => {
          out.push([]);
          return audit.scan(...args);
        },
        scanByTime: async (...args) => {
          out.push([]);
          return audit.scanByTime(...args);
        },
      };
      for await (const event of readExport(counting, { ...ACME, ...filter }, batchSize)) out[out.length - 1]!.push(event.requestId);
      return out.map((b) => b.join(","));
    }

    const flat = (b: string[]) => b.filter((x) => x !== "").join(",").split(",");

    test("every event of the window once, oldest first by (time, seq), across batch boundaries between equal times", async () => {
      expect(await batches(WINDOW, 3)).toEqual(["a,i,d", "b,c,e", "j,h"]);
      for (let size = 1; size <= 9; size++) expect(flat(await batches(WINDOW, size)), `batch size ${size}`).toEqual(IN_WINDOW);
      // A window that is an exact multiple of the batch size ends with one empty batch.
      expect(await batches(WINDOW, 4)).toEqual(["a,i,d,b", "c,e,j,h", ""]);
      // Equal times come out by ascending seq: b (2), c (3), e (5), j (10); a and i (time 10) by seq too.
      const events: AuditEventRecord[] = [];
      for await (const e of readExport(audit, { ...ACME, ...WINDOW }, 2)) events.push(e);
      expect(events.map((e) => `${e.requestId}@${(e.time - at(0)) / S}#${e.seq}`)).toEqual(["a@10#1", "i@10#9", "d@15#4", "b@20#2", "c@20#3", "e@20#5", "j@20#10", "h@25#8"]);
    });

    test("a window open on one side", async () => {
      expect(await batches({ since: at(20) }, 4)).toEqual(["b,c,e,j", "h,f"]);
      expect(await batches({ until: at(15) }, 2)).toEqual(["g,a", "i"]);
      expect(await batches({ since: at(31) }, 2)).toEqual([""]);
    });

    test("without a time window the whole chain is exported in seq order (the chain's links)", async () => {
      expect(await batches({}, 4)).toEqual(["a,b,c,d", "e,f,g,h", "i,j"]);
      expect(await batches({ project: "payments" }, 100)).toEqual(["a,b,c,d,e,f,g,h,i,j"]);
    });

    test("events appended during the export: none is exported twice; those after the last key read are exported", async () => {
      const read: string[] = [];
      let appended = false;
      for await (const event of readExport(audit, { ...ACME, ...WINDOW }, 3)) {
        read.push(event.requestId);
        if (read.length === 3 && !appended) {
          appended = true;
          // The first batch ended at d (15 s): one event before it (not exported), one at its time
          // with a higher seq, one later in the window, one past its end.
          await audit.append(draft({ requestId: "late-old", time: at(12) }));
          await audit.append(draft({ requestId: "late-tie", time: at(15) }));
          await audit.append(draft({ requestId: "late-new", time: at(28) }));
          await audit.append(draft({ requestId: "late-past", time: at(30) }));
        }
      }
      expect(read).toEqual(["a", "i", "d", "late-tie", "b", "c", "e", "j", "h", "late-new"]);
    });

    test("other filters combine with the window", async () => {
      await audit.append(draft({ requestId: "dev-1", environment: "dev", time: at(12) }));
      await audit.append(draft({ requestId: "dev-2", environment: "dev", time: at(40) }));
      await audit.append(draft({ requestId: "dev-3", environment: "dev", time: at(11) }));
      await audit.append(draft({ requestId: "dev-4", environment: "dev", time: at(11) }));
      expect(await batches({ ...WINDOW, project: "payments", environment: "dev" }, 1)).toEqual(["dev-3", "dev-4", "dev-1", ""]);
      expect(flat(await batches({ ...WINDOW, project: "payments", environment: "prod" }, 3))).toEqual(IN_WINDOW);
      expect(flat(await batches({ ...WINDOW, outcome: "ok", actor: "alice" }, 5))).toEqual(["a", "i", "dev-3", "dev-4", "dev-1", "d", "b", "c", "e", "j", "h"]);
    });

    test("a key before the window's start reads the window from its start", async () => {
      const rows = await audit.scanByTime({ ...ACME, ...WINDOW }, { time: at(4), seq: 1 }, 100);
      expect(rows.map((e) => e.requestId)).toEqual(IN_WINDOW);
      const after = await audit.scanByTime({ ...ACME, ...WINDOW }, { time: at(20), seq: 3 }, 100);
      expect(after.map((e) => e.requestId)).toEqual(["e", "j", "h"]);
    });
  });

  describe.skipIf(!dialectAvailable(dialect))(`${dialect}: audit export query plans`, () => {
    const t = useTestStore(dialect);
    const ROWS = 50_000;
    const DAY = 86_400_000;
    let logged: Kysely<Database>;
    const captured: CompiledQuery[] = [];

    beforeAll(async () => {
      await resetAudit(t.store);
      await fill(t.store, ROWS);
      // The repository on a kysely instance that logs its statements: the plans are those of the SQL the export runs.
      logged = new Kysely<Database>({ dialect: createStoreDialect(t.url).dialect, log: (e) => void (e.level === "query" && captured.push(e.query)) });
    });
    afterAll(async () => {
      await logged?.destroy();
    });

    /** The plans of the SELECTs one export of `filter` runs in batches of `batchSize`, and how many events it read. */
    async function exportPlans(filter: Partial<AuditFilter>, batchSize: number, maxEvents = Infinity): Promise<{ events: number; plans: string[][] }> {
      captured.length = 0;
      const audit = createAuditRepository(logged, t.store.capabilities);
      let events = 0;
      for await (const _ of readExport(audit, { ...ACME, ...filter }, batchSize)) if (++events >= maxEvents) break;
      const selects = captured.filter((q) => /^\s*select\b/i.test(q.sql));
      const plans: string[][] = [];
      for (const q of selects) {
        const prefix = dialect === "sqlite" ? "EXPLAIN QUERY PLAN " : "EXPLAIN (COSTS OFF) ";
        const result = await t.store.db.executeQuery<Record<string, string>>(CompiledQuery.raw(prefix + q.sql, [...q.parameters]));
        plans.push(result.rows.map((r) => (dialect === "sqlite" ? (r.detail as string) : (r["QUERY PLAN"] as string).trim())));
      }
      return { events, plans };
    }

    // One day of a 50,000-event year, six months back (~137 events: three batches of 50), as the scale benchmark asks.
    const window = { since: at(0) + 180 * DAY, until: at(0) + 181 * DAY };

    test("each batch of a window is one forward range scan of (chain, time, seq), without a sort", async () => {
      const { events, plans } = await exportPlans(window, 50);
      expect(events).toBe(137);
      expect(plans).toHaveLength(3);
      if (dialect === "sqlite") {
        expect(plans[0]).toEqual(["SEARCH audit_events USING INDEX audit_events_time_seq_idx (chain=? AND time>? AND time<?)"]);
        // A later batch starts at its key, not at the window's start (which would walk the events read already).
        for (const later of plans.slice(1)) expect(later).toEqual(["SEARCH audit_events USING INDEX audit_events_time_seq_idx (chain=? AND (time,seq)>(?,?) AND time<?)"]);
      } else {
        expect(plans[0]).toEqual([
          "Limit",
          "->  Index Scan using audit_events_time_seq_idx on audit_events",
          `Index Cond: ((chain = 'acme'::text) AND ("time" >= '${window.since}'::bigint) AND ("time" < '${window.until}'::bigint))`,
        ]);
        for (const later of plans.slice(1)) {
          expect(later.slice(0, 2)).toEqual(["Limit", "->  Index Scan using audit_events_time_seq_idx on audit_events"]);
          expect(later[2]).toMatch(new RegExp(`^Index Cond: \\(\\(chain = 'acme'::text\\) AND \\("time" < '${window.until}'::bigint\\) AND \\(ROW\\("time", seq\\) > ROW\\('\\d+'::bigint, '\\d+'::bigint\\)\\)\\)$`));
          expect(later).toHaveLength(3);
        }
      }
    });

    test("a window open at the end, six months long: the first batches are range scans too, never the chain by seq", async () => {
      const { plans } = await exportPlans({ since: window.since }, 50, 120);
      expect(plans).toHaveLength(3);
      for (const [i, lines] of plans.entries()) {
        if (dialect === "sqlite") expect(lines, `batch ${i + 1}`).toEqual([`SEARCH audit_events USING INDEX audit_events_time_seq_idx (chain=? AND ${i === 0 ? "time>?" : "(time,seq)>(?,?)"})`]);
        else {
          expect(lines.slice(0, 2), `batch ${i + 1}`).toEqual(["Limit", "->  Index Scan using audit_events_time_seq_idx on audit_events"]);
          expect(lines.join("\n"), `batch ${i + 1}`).not.toMatch(/Sort|Filter|pkey/);
        }
      }
    });

    test("without a window the export walks the primary key (chain, seq)", async () => {
      const { plans } = await exportPlans({}, 50, 60);
      expect(plans).toHaveLength(2);
      for (const lines of plans) {
        if (dialect === "sqlite") expect(lines).toEqual(["SEARCH audit_events USING INDEX sqlite_autoindex_audit_events_1 (chain=? AND seq>?)"]);
        else {
          expect(lines.slice(0, 2)).toEqual(["Limit", "->  Index Scan using audit_events_pk on audit_events"]);
          expect(lines.join("\n")).not.toMatch(/Sort/);
        }
      }
    });
  });

  describe.skipIf(dialect === "postgres" && testPostgresUrl() === undefined)(`${dialect}: ExportAuditEvents of a time window through the server`, () => {
    let server: TestServer;
    let database: TestDatabase | undefined;
    let db: Store;
    // 3,750 events with the times 0…1,249 s (each three times), in a scrambled order; the window
    // [100 s, 1,100 s) holds 3,000 of them: three of the server's batches of 1,000, which split the
    // three events of one time (the 1,000th and 1,001st are the first and second of 433 s).
    const BASE = Date.UTC(2020, 5, 1);
    const COUNT = 3750;
    const timeOf = (i: number) => BASE + ((i * 7919) % 1250) * S;

    beforeAll(async () => {
      database = dialect === "postgres" ? await createTestDatabase() : undefined;
      server = await startTestServer(database === undefined ? {} : { database: database.url });
      db = await openStore({ url: database?.url ?? `sqlite:${join(server.dataDir, "openesc.db")}` });
      const drafts = Array.from({ length: COUNT }, (_, i) => draft({ chain: "default", org: "default", requestId: `old-${i}`, time: timeOf(i) }));
      await createAuditRepository(db.db, db.capabilities).appendBatch("default", drafts);
    }, 60_000);
    afterAll(async () => {
      await db?.close();
      await server?.stop();
      await database?.drop();
    });

    async function exported(filter: { since?: number; until?: number }): Promise<{ requestId: string; time: number; seq: number }[]> {
      const audit = clientFor(AuditService, "grpc", server.url, server.token);
      const window = {
        ...(filter.since === undefined ? {} : { startTime: timestampFromMs(filter.since) }),
        ...(filter.until === undefined ? {} : { endTime: timestampFromMs(filter.until) }),
      };
      let text = "";
      for await (const part of audit.exportAuditEvents({ org: "default", filter: window })) text += new TextDecoder().decode(part.ndjson);
      return text
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line) as AuditEventRecord)
        .map((e) => ({ requestId: e.requestId, time: e.time, seq: e.seq }));
    }

    /** The seeded events in the window, by (time, seq): seq order is append order, so by (time, index). */
    function expected(since: number, until: number): string[] {
      return Array.from({ length: COUNT }, (_, i) => i)
        .filter((i) => timeOf(i) >= since && timeOf(i) < until)
        .sort((a, b) => timeOf(a) - timeOf(b) || a - b)
        .map((i) => `old-${i}`);
    }

    test("every event of the window once, oldest first by (time, seq), across the server's batches", async () => {
      const events = await exported({ since: BASE + 100 * S, until: BASE + 1100 * S });
      expect(events).toHaveLength(3000);
      expect(events.map((e) => e.requestId)).toEqual(expected(BASE + 100 * S, BASE + 1100 * S));
      expect(events[999]!.time).toBe(BASE + 433 * S);
      expect(events[1000]!.time).toBe(BASE + 433 * S);
      expect(events[999]!.seq).toBeLessThan(events[1000]!.seq);
      // Open at the end: the seeded events from 500 s on, then the server's own (current) events.
      const open = await exported({ since: BASE + 500 * S });
      const seeded = expected(BASE + 500 * S, Infinity);
      expect(open.slice(0, seeded.length).map((e) => e.requestId)).toEqual(seeded);
      expect(open.slice(seeded.length).every((e) => !e.requestId.startsWith("old-") && e.time > Date.UTC(2026, 0, 1))).toBe(true);
      const inOrder = open.every((e, i) => i === 0 || e.time > open[i - 1]!.time || (e.time === open[i - 1]!.time && e.seq > open[i - 1]!.seq));
      expect(inOrder).toBe(true);
    });

    test("without a window the export stays in seq order", async () => {
      const events = await exported({});
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: events.length }, (_, i) => i + 1));
      expect(events.filter((e) => e.requestId.startsWith("old-")).map((e) => e.requestId)).toEqual(Array.from({ length: COUNT }, (_, i) => `old-${i}`));
    });
  });
}

/**
 * `rows` events of chain acme over a year (one every ~10 minutes); then ANALYZE. Inserted in SQL (a
 * recursive CTE both dialects run), hashes are placeholders: plans only.
 */
async function fill(store: Store, rows: number): Promise<void> {
  const step = Math.floor((365 * 86_400_000) / rows);
  await sql`WITH RECURSIVE n(a) AS (SELECT 1 UNION ALL SELECT a + 1 FROM n WHERE a < ${sql.lit(rows)})
    INSERT INTO audit_events (chain, seq, time, actor, actor_id, token_id, source, user_agent, action, org, project, environment, revision, provider_calls, outcome, request_id, prev_hash, hash)
    SELECT 'acme', a, ${sql.lit(at(0))} + CAST(a AS BIGINT) * ${sql.lit(step)}, 'actor-' || (a % 50), 'id', 'tok', '127.0.0.1:1', 'ua',
           CASE WHEN a % 2 = 0 THEN 'get' ELSE 'resolve' END, 'acme', 'p' || (a % 100), 'e' || (a % 10), 1, '[]', 'ok', 'r' || a, 'h', 'h'
    FROM n`.execute(store.db);
  await sql`INSERT INTO audit_chains (chain, seq, hash) VALUES ('acme', ${sql.lit(rows)}, 'h')`.execute(store.db);
  await sql`ANALYZE`.execute(store.db);
}
