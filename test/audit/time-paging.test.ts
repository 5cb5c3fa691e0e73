/**
 * ListAuditEvents by a time window (issue 9 §3): pages ordered by (time, seq) newest first, with a
 * (time, seq) keyset token, so that every event of the window is listed exactly once — equal times,
 * events appended out of time order (two replicas' clocks) and events appended between pages
 * included — and the query plans: each filter is one index range scan stopping after a page, never a
 * walk of the chain or a sort (migration 0007).
 */
import { Code } from "@connectrpc/connect";
import { CompiledQuery, sql } from "kysely";
import { beforeAll, beforeEach, describe, expect, test } from "vitest";
import { encodePageToken, type AuditFilter, type AuditRepository, type Store } from "../../src/store/index.js";
import { auditPageQuery } from "../../src/store/audit-repository.js";
import { DIALECTS, dialectAvailable, expectConnectError, useTestStore } from "../store/dialects.js";
import { ACME, appendOutOfOrder, at, draft, resetAudit, S } from "./support.js";

// The window [10 s, 30 s) newest first: by time, then by seq.
const WINDOW = { since: at(10), until: at(30) };
const IN_WINDOW = ["h", "j", "e", "c", "b", "d", "i", "a"];

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`${dialect}: audit listing by time`, () => {
    const t = useTestStore(dialect);
    let audit: AuditRepository;

    beforeEach(async () => {
      audit = await appendOutOfOrder(t.store);
    });

    async function pages(filter: Partial<AuditFilter>, pageSize: number): Promise<string[]> {
      const out: string[] = [];
      let token = "";
      do {
        const page = await audit.list({ ...ACME, ...filter, pageSize, pageToken: token });
        out.push(page.items.map((e) => e.requestId).join(","));
        token = page.nextPageToken;
      } while (token !== "");
      return out;
    }

    test("every event of the window once, newest first, across page boundaries between equal times", async () => {
      expect(await pages(WINDOW, 3)).toEqual(["h,j,e", "c,b,d", "i,a"]);
      for (let size = 1; size <= 9; size++) expect((await pages(WINDOW, size)).join(",").split(","), `page size ${size}`).toEqual(IN_WINDOW);
      // Equal times come out by descending seq: j (10), e (5), c (3), b (2).
      const page = await audit.list({ ...ACME, ...WINDOW, pageSize: 100, pageToken: "" });
      expect(page.items.map((e) => `${e.requestId}@${(e.time - at(0)) / S}#${e.seq}`)).toEqual(["h@25#8", "j@20#10", "e@20#5", "c@20#3", "b@20#2", "d@15#4", "i@10#9", "a@10#1"]);
      expect(page.nextPageToken).toBe("");
    });

    test("a window open on one side", async () => {
      expect(await pages({ since: at(20) }, 4)).toEqual(["f,h,j,e", "c,b"]);
      expect(await pages({ until: at(15) }, 2)).toEqual(["i,a", "g"]);
      expect(await pages({ since: at(31) }, 2)).toEqual([""]);
    });

    test("events appended between pages: none is listed twice; older ones in the window come later", async () => {
      const first = await audit.list({ ...ACME, ...WINDOW, pageSize: 3, pageToken: "" });
      expect(first.items.map((e) => e.requestId)).toEqual(["h", "j", "e"]);
      // After the first page: one event newer than the page's last key (not listed again), one older (listed).
      await audit.append(draft({ requestId: "late-new", time: at(28) }));
      await audit.append(draft({ requestId: "late-old", time: at(12) }));
      await audit.append(draft({ requestId: "late-tie", time: at(20) }));
      const rest: string[] = [];
      let token = first.nextPageToken;
      while (token !== "") {
        const page = await audit.list({ ...ACME, ...WINDOW, pageSize: 3, pageToken: token });
        rest.push(...page.items.map((e) => e.requestId));
        token = page.nextPageToken;
      }
      // late-tie has time 20 but a seq above e's: it sorts before e, on the page already served.
      expect(rest).toEqual(["c", "b", "d", "late-old", "i", "a"]);
    });

    test("other filters combine with the window", async () => {
      await audit.append(draft({ requestId: "dev-1", environment: "dev", time: at(12) }));
      await audit.append(draft({ requestId: "dev-2", environment: "dev", time: at(40) }));
      await audit.append(draft({ requestId: "dev-3", environment: "dev", time: at(11) }));
      expect(await pages({ ...WINDOW, project: "payments", environment: "dev" }, 1)).toEqual(["dev-1", "dev-3"]);
      expect(await pages({ ...WINDOW, project: "payments", environment: "prod" }, 4)).toEqual(["h,j,e,c", "b,d,i,a"]);
    });

    test("a page token works only with the order it came from", async () => {
      const byTime = await audit.list({ ...ACME, ...WINDOW, pageSize: 2, pageToken: "" });
      const bySeq = await audit.list({ ...ACME, pageSize: 2, pageToken: "" });
      expect(bySeq.items.map((e) => e.requestId)).toEqual(["j", "i"]);
      expect(byTime.nextPageToken).toBe(encodePageToken(["t", at(20), 10]));
      expect(bySeq.nextPageToken).toBe(encodePageToken([9]));
      // Another window of the same order continues from the same key.
      expect((await audit.list({ ...ACME, since: at(0), pageSize: 2, pageToken: byTime.nextPageToken })).items.map((e) => e.requestId)).toEqual(["e", "c"]);
      await expectConnectError(audit.list({ ...ACME, pageSize: 2, pageToken: byTime.nextPageToken }), Code.InvalidArgument, "invalid page token");
      await expectConnectError(audit.list({ ...ACME, ...WINDOW, pageSize: 2, pageToken: bySeq.nextPageToken }), Code.InvalidArgument, "invalid page token");
      // A key at or past the end of another window: that window from its newest event.
      const pastEnd = await audit.list({ ...ACME, since: at(0), pageSize: 1, pageToken: "" });
      expect(pastEnd.nextPageToken).toBe(encodePageToken(["t", at(30), 6]));
      expect((await audit.list({ ...ACME, ...WINDOW, pageSize: 100, pageToken: pastEnd.nextPageToken })).items.map((e) => e.requestId)).toEqual(IN_WINDOW);
      expect((await audit.list({ ...ACME, since: at(10), until: at(20), pageSize: 100, pageToken: pastEnd.nextPageToken })).items.map((e) => e.requestId)).toEqual(["d", "i", "a"]);
      for (const forged of [["x", at(20), 10], ["t", at(20) + 0.5, 10], ["t", String(at(20)), 10], ["t", at(20)]]) {
        await expectConnectError(audit.list({ ...ACME, ...WINDOW, pageSize: 2, pageToken: encodePageToken(forged as (string | number)[]) }), Code.InvalidArgument, "invalid page token");
      }
    });
  });

  describe.skipIf(!dialectAvailable(dialect))(`${dialect}: audit listing query plans`, () => {
    const t = useTestStore(dialect);
    const ROWS = 50_000;
    const DAY = 86_400_000;

    beforeAll(async () => {
      await resetAudit(t.store);
      await fill(t.store, ROWS);
    });

    /** The plan of the query `list` runs for `filter`: SQLite's detail lines, PostgreSQL's plan without costs. */
    async function plan(filter: Partial<AuditFilter> & { pageToken?: string }): Promise<string[]> {
      const compiled = auditPageQuery(t.store.db, { ...ACME, pageSize: 50, pageToken: "", ...filter }).compile();
      const prefix = dialect === "sqlite" ? "EXPLAIN QUERY PLAN " : "EXPLAIN (COSTS OFF) ";
      const result = await t.store.db.executeQuery<Record<string, string>>(CompiledQuery.raw(prefix + compiled.sql, [...compiled.parameters]));
      return result.rows.map((r) => (dialect === "sqlite" ? (r.detail as string) : (r["QUERY PLAN"] as string).trim()));
    }

    // One day of a 50,000-event year, six months back, as the scale benchmark asks.
    const window = { since: at(0) + 180 * DAY, until: at(0) + 181 * DAY };
    const token = encodePageToken(["t", at(0) + 180 * DAY + 3_600_000, 24_000]);

    test("a time window is one range scan of (chain, time, seq), newest first, without a sort", async () => {
      if (dialect === "sqlite") {
        expect(await plan(window)).toEqual(["SEARCH audit_events USING INDEX audit_events_time_seq_idx (chain=? AND time>? AND time<?)"]);
        // A later page is bounded by its key, not by the window's end (which would walk the page's newer events).
        expect(await plan({ ...window, pageToken: token })).toEqual(["SEARCH audit_events USING INDEX audit_events_time_seq_idx (chain=? AND time>? AND (time,seq)<(?,?))"]);
        expect(await plan({ since: window.since })).toEqual(["SEARCH audit_events USING INDEX audit_events_time_seq_idx (chain=? AND time>?)"]);
      } else {
        expect(await plan(window)).toEqual([
          "Limit",
          "->  Index Scan Backward using audit_events_time_seq_idx on audit_events",
          `Index Cond: ((chain = 'acme'::text) AND ("time" >= '${window.since}'::bigint) AND ("time" < '${window.until}'::bigint))`,
        ]);
        expect(await plan({ ...window, pageToken: token })).toEqual([
          "Limit",
          "->  Index Scan Backward using audit_events_time_seq_idx on audit_events",
          `Index Cond: ((chain = 'acme'::text) AND ("time" >= '${window.since}'::bigint) AND (ROW("time", seq) < ROW('${at(0) + 180 * DAY + 3_600_000}'::bigint, '24000'::bigint)))`,
        ]);
      }
    });

    test("environment, actor, action and outcome filters are range scans of their indexes ending in seq", async () => {
      const expected: Record<string, [Partial<AuditFilter>, string]> = {
        environment: [{ project: "p7", environment: "e3" }, "audit_events_environment_idx"],
        actor: [{ actor: "actor-7" }, "audit_events_actor_idx"],
        action: [{ action: "rare" }, "audit_events_action_idx"],
        outcome: [{ outcome: "denied" }, "audit_events_outcome_idx"],
      };
      for (const [name, [filter, index]] of Object.entries(expected)) {
        const lines = await plan(filter);
        if (dialect === "sqlite") expect(lines, name).toEqual([expect.stringMatching(new RegExp(`^SEARCH audit_events USING INDEX ${index} \\(chain=\\? AND `))]);
        else {
          expect(lines.slice(0, 2), name).toEqual(["Limit", `->  Index Scan Backward using ${index} on audit_events`]);
          expect(lines.join("\n"), name).not.toMatch(/Sort|Filter/);
        }
      }
    });
  });
}

/**
 * `rows` events of chain acme over a year (one every ~10 minutes), 100 projects × 10 environments,
 * 50 actors, a few actions of which "rare" is one event in 10,000, one denial in 1,000; then ANALYZE.
 * Inserted in SQL (a recursive CTE both dialects run), hashes are placeholders: plans only.
 */
async function fill(store: Store, rows: number): Promise<void> {
  const step = Math.floor((365 * 86_400_000) / rows);
  await sql`WITH RECURSIVE n(a) AS (SELECT 1 UNION ALL SELECT a + 1 FROM n WHERE a < ${sql.lit(rows)})
    INSERT INTO audit_events (chain, seq, time, actor, actor_id, token_id, source, user_agent, action, org, project, environment, revision, provider_calls, outcome, request_id, prev_hash, hash)
    SELECT 'acme', a, ${sql.lit(at(0))} + CAST(a AS BIGINT) * ${sql.lit(step)}, 'actor-' || (a % 50), 'id', 'tok', '127.0.0.1:1', 'ua',
           CASE WHEN a % 10000 = 0 THEN 'rare' WHEN a % 2 = 0 THEN 'get' ELSE 'resolve' END, 'acme',
           'p' || (a % 100), 'e' || (a % 10), 1, '[]', CASE WHEN a % 1000 = 0 THEN 'denied' ELSE 'ok' END, 'r' || a, 'h', 'h'
    FROM n`.execute(store.db);
  await sql`INSERT INTO audit_chains (chain, seq, hash) VALUES ('acme', ${sql.lit(rows)}, 'h')`.execute(store.db);
  await sql`ANALYZE`.execute(store.db);
}
