/**
 * Envelope-encryption keys (src/crypto): data keys (DEKs) stored only wrapped by a key-encryption
 * key (KEK), one active DEK per environment, and key-check values that let the server refuse to
 * start with a master key other than the one the database was written with.
 */
import { sql, type Kysely } from "kysely";
import type { StoreCapabilities } from "../dialect.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb, caps: StoreCapabilities): Promise<void> {
  const key = sql.raw(caps.keyTextType);
  // Keyed by the environment's name, not its id: a definition is encrypted before Create writes the
  // environment row, and the name is also the ciphertext's associated data.
  await db.schema
    .createTable("data_keys")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("org", key, (c) => c.notNull())
    .addColumn("project", key, (c) => c.notNull())
    .addColumn("environment", key, (c) => c.notNull())
    .addColumn("kek_provider", "text", (c) => c.notNull())
    .addColumn("kek_version", "integer", (c) => c.notNull())
    // base64 text (local) or the provider's ciphertext (vault-transit): never the raw DEK
    .addColumn("wrapped", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("active", "integer", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("data_keys_one_active_idx")
    .on("data_keys")
    .columns(["org", "project", "environment"])
    .unique()
    .where(sql.ref("active"), "=", 1)
    .execute();
  await db.schema.createIndex("data_keys_kek_idx").on("data_keys").columns(["kek_provider", "kek_version"]).execute();

  await db.schema
    .createTable("key_checks")
    .addColumn("kek_provider", "text", (c) => c.notNull())
    .addColumn("kek_version", "integer", (c) => c.notNull())
    .addColumn("wrapped", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("key_checks_pkey", ["kek_provider", "kek_version"])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable("key_checks").ifExists().execute();
  await db.schema.dropTable("data_keys").ifExists().execute();
}
