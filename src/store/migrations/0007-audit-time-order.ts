/**
 * Audit queries at scale (issue 9 §3). ListAuditEvents with a time window pages newest first by
 * (time, seq): the index (chain, time, seq) serves that order as a range scan that stops after one
 * page. The old (chain, time) index is a prefix of it and goes. An action filter (e.g. "every
 * DeleteEnvironment") had no index: with newest-first paging the database walked the whole chain
 * backwards for a rare action, so (chain, action, seq) joins the other per-filter indexes.
 *
 * Building the indexes reads the whole table inside the migration's transaction; audit appends wait
 * for it (measured in bench/RESULTS.md, notes on scale).
 */
import type { Kysely } from "kysely";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.createIndex("audit_events_time_seq_idx").on("audit_events").columns(["chain", "time", "seq"]).execute();
  await db.schema.dropIndex("audit_events_time_idx").execute();
  await db.schema.createIndex("audit_events_action_idx").on("audit_events").columns(["chain", "action", "seq"]).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex("audit_events_action_idx").execute();
  await db.schema.createIndex("audit_events_time_idx").on("audit_events").columns(["chain", "time"]).execute();
  await db.schema.dropIndex("audit_events_time_seq_idx").execute();
}
