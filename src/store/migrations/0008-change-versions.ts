/**
 * Cross-replica cache invalidation (issue 9 §1, src/store/change-feed.ts): one version counter per
 * topic, bumped BY THE DATABASE (triggers) in the same transaction as any write that can change what
 * a cached token or permission says. Triggers rather than calls in each service: no writer can forget
 * to publish — the CLI's direct admin commands, an environment deletion dropping its grants, a cascade.
 *
 * Topic `access`: grants, team memberships, teams, identities (role changes, removal), the org
 * default permission, and token revocation/expiry/scope changes and deletion. Token inserts and the
 * `last_used_at` touch do not count (a new token was never cached; the touch would flush every cache
 * once a minute per token). On PostgreSQL the trigger also sends `pg_notify('openesc_changes', …)`,
 * delivered to the listeners only when the transaction commits (one bump and one notification per
 * transaction, however many statements it ran).
 */
import { sql, type Kysely } from "kysely";
import type { StoreCapabilities } from "../dialect.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** Every table whose writes change cached access, with the operations that count. */
const WATCHED: readonly { table: string; ops: readonly ("INSERT" | "UPDATE" | "DELETE")[]; columns?: readonly string[] }[] = [
  { table: "grants", ops: ["INSERT", "UPDATE", "DELETE"] },
  { table: "team_members", ops: ["INSERT", "UPDATE", "DELETE"] },
  { table: "teams", ops: ["INSERT", "UPDATE", "DELETE"] },
  { table: "org_access_settings", ops: ["INSERT", "UPDATE", "DELETE"] },
  { table: "identities", ops: ["UPDATE", "DELETE"] },
  { table: "tokens", ops: ["UPDATE", "DELETE"], columns: ["revoked_at", "expires_at", "scope_permission", "scope_resources", "identity_id", "secret_hash"] },
];

export async function up(db: AnyDb, caps: StoreCapabilities): Promise<void> {
  await db.schema
    .createTable("change_versions")
    .addColumn("topic", "text", (c) => c.primaryKey())
    .addColumn("version", "bigint", (c) => c.notNull())
    // PostgreSQL: the transaction that bumped it last, so that one transaction bumps (and notifies) once.
    .addColumn("last_tx", "bigint")
    .execute();
  await db.insertInto("change_versions").values({ topic: "access", version: 0 }).execute();

  if (caps.kind === "postgres") {
    await sql`
      CREATE FUNCTION openesc_access_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE v bigint;
      BEGIN
        UPDATE change_versions SET version = version + 1, last_tx = txid_current()
          WHERE topic = 'access' AND last_tx IS DISTINCT FROM txid_current()
          RETURNING version INTO v;
        IF FOUND THEN
          PERFORM pg_notify('openesc_changes', 'access ' || v);
        END IF;
        RETURN NULL;
      END $$`.execute(db);
    for (const w of WATCHED) {
      const ops = w.ops.map((op) => (op === "UPDATE" && w.columns !== undefined ? `UPDATE OF ${w.columns.join(", ")}` : op));
      // TRUNCATE too where every row counts: a truncated grants table must flush as well.
      if (w.columns === undefined && w.ops.includes("INSERT")) ops.push("TRUNCATE");
      await sql
        .raw(`CREATE TRIGGER ${w.table}_access_changed AFTER ${ops.join(" OR ")} ON ${w.table} FOR EACH STATEMENT EXECUTE FUNCTION openesc_access_changed()`)
        .execute(db);
    }
    return;
  }
  // SQLite: one process serves the file; the counter still lets it see writes by the CLI's admin commands.
  for (const w of WATCHED) {
    for (const op of w.ops) {
      const event = op === "UPDATE" && w.columns !== undefined ? `UPDATE OF ${w.columns.join(", ")}` : op;
      await sql
        .raw(`CREATE TRIGGER ${w.table}_access_changed_${op.toLowerCase()} AFTER ${event} ON ${w.table} BEGIN UPDATE change_versions SET version = version + 1 WHERE topic = 'access'; END`)
        .execute(db);
    }
  }
}

export async function down(db: AnyDb, caps: StoreCapabilities): Promise<void> {
  if (caps.kind === "postgres") {
    for (const w of WATCHED) await sql.raw(`DROP TRIGGER IF EXISTS ${w.table}_access_changed ON ${w.table}`).execute(db);
    await sql`DROP FUNCTION IF EXISTS openesc_access_changed()`.execute(db);
  } else {
    for (const w of WATCHED) for (const op of w.ops) await sql.raw(`DROP TRIGGER IF EXISTS ${w.table}_access_changed_${op.toLowerCase()}`).execute(db);
  }
  await db.schema.dropTable("change_versions").ifExists().execute();
}
