/**
 * The audit log (issue 6): append-only, hash-chained events, one chain per organization plus the
 * system chain `""`. `audit_chains` holds each chain's head (last seq and hash): appends lock that
 * row, so concurrent writers — many requests, several server processes — never fork a chain.
 * Indexes serve the queries of ListAuditEvents at tens of millions of rows: by environment, by
 * time, by actor and by outcome within a chain, each ending in seq so pages come out in order.
 */
import type { Kysely } from "kysely";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable("audit_chains")
    .addColumn("chain", "text", (c) => c.primaryKey())
    .addColumn("seq", "bigint", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("audit_events")
    .addColumn("chain", "text", (c) => c.notNull())
    .addColumn("seq", "bigint", (c) => c.notNull())
    .addColumn("time", "bigint", (c) => c.notNull())
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("actor_id", "text", (c) => c.notNull())
    .addColumn("token_id", "text", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("user_agent", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("org", "text", (c) => c.notNull())
    .addColumn("project", "text", (c) => c.notNull())
    .addColumn("environment", "text", (c) => c.notNull())
    .addColumn("revision", "integer")
    // JSON array of {provider, path, durationMs, outcome}: names and paths only
    .addColumn("provider_calls", "text", (c) => c.notNull())
    .addColumn("outcome", "text", (c) => c.notNull())
    .addColumn("request_id", "text", (c) => c.notNull())
    .addColumn("prev_hash", "text", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("audit_events_pk", ["chain", "seq"])
    .execute();
  await db.schema.createIndex("audit_events_environment_idx").on("audit_events").columns(["chain", "project", "environment", "seq"]).execute();
  await db.schema.createIndex("audit_events_time_idx").on("audit_events").columns(["chain", "time"]).execute();
  await db.schema.createIndex("audit_events_actor_idx").on("audit_events").columns(["chain", "actor", "seq"]).execute();
  // Denials and failed logins are what security reviews look for first.
  await db.schema.createIndex("audit_events_outcome_idx").on("audit_events").columns(["chain", "outcome", "seq"]).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable("audit_events").ifExists().execute();
  await db.schema.dropTable("audit_chains").ifExists().execute();
}
