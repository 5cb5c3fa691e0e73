/**
 * Topic `environments` of the change feed (src/store/change-feed.ts): bumped by the database in the
 * same transaction as any write to environments, revisions or revision tags — anything that can
 * change what a version of an environment names. The resolve cache uses it to skip its per-hit pin
 * query while nothing has been written since an entry was last checked (the check then costs no
 * query at all; after any write, the next hit of each entry checks its pins again).
 */
import { sql, type Kysely } from "kysely";
import type { StoreCapabilities } from "../dialect.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

const WATCHED = ["environments", "revisions", "revision_tags"] as const;
const OPS = ["INSERT", "UPDATE", "DELETE"] as const;

export async function up(db: AnyDb, caps: StoreCapabilities): Promise<void> {
  await db.insertInto("change_versions").values({ topic: "environments", version: 0 }).execute();
  if (caps.kind === "postgres") {
    await sql`
      CREATE FUNCTION openesc_environments_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE v bigint;
      BEGIN
        UPDATE change_versions SET version = version + 1, last_tx = txid_current()
          WHERE topic = 'environments' AND last_tx IS DISTINCT FROM txid_current()
          RETURNING version INTO v;
        IF FOUND THEN
          PERFORM pg_notify('openesc_changes', 'environments ' || v);
        END IF;
        RETURN NULL;
      END $$`.execute(db);
    for (const table of WATCHED) {
      await sql
        .raw(`CREATE TRIGGER ${table}_environments_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION openesc_environments_changed()`)
        .execute(db);
    }
    return;
  }
  for (const table of WATCHED) {
    for (const op of OPS) {
      await sql
        .raw(`CREATE TRIGGER ${table}_environments_changed_${op.toLowerCase()} AFTER ${op} ON ${table} BEGIN UPDATE change_versions SET version = version + 1 WHERE topic = 'environments'; END`)
        .execute(db);
    }
  }
}

export async function down(db: AnyDb, caps: StoreCapabilities): Promise<void> {
  if (caps.kind === "postgres") {
    for (const table of WATCHED) await sql.raw(`DROP TRIGGER IF EXISTS ${table}_environments_changed ON ${table}`).execute(db);
    await sql`DROP FUNCTION IF EXISTS openesc_environments_changed()`.execute(db);
  } else {
    for (const table of WATCHED) for (const op of OPS) await sql.raw(`DROP TRIGGER IF EXISTS ${table}_environments_changed_${op.toLowerCase()}`).execute(db);
  }
  await db.deleteFrom("change_versions").where("topic", "=", "environments").execute();
}
