/**
 * Open sessions: the evaluated result of one revision for one caller, sealed by the crypto module,
 * readable from any replica until it expires (ARCHITECTURE.md "Open session").
 */
import type { Kysely } from "kysely";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable("open_sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("org", "text", (c) => c.notNull())
    .addColumn("project", "text", (c) => c.notNull())
    .addColumn("environment", "text", (c) => c.notNull())
    .addColumn("revision", "integer", (c) => c.notNull())
    .addColumn("identity_id", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    // base64 of the sealed payload: never plaintext
    .addColumn("payload", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("open_sessions_expires_at_idx").on("open_sessions").column("expires_at").execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable("open_sessions").ifExists().execute();
}
