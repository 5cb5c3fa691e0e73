/**
 * The foundation schema: organizations, environments with revisions and tags, identities and
 * tokens. Times are BIGINT milliseconds, booleans INTEGER 0/1 (see database.ts).
 */
import { sql, type Kysely } from "kysely";
import type { StoreCapabilities } from "../dialect.js";

// Migrations see the schema as it was when they were written, not as it is now.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb, caps: StoreCapabilities): Promise<void> {
  const key = sql.raw(caps.keyTextType);

  await db.schema
    .createTable("organizations")
    .addColumn("name", key, (c) => c.primaryKey())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("environments")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("org", key, (c) => c.notNull().references("organizations.name"))
    .addColumn("project", key, (c) => c.notNull())
    .addColumn("name", key, (c) => c.notNull())
    .addColumn("latest_revision", "integer", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addColumn("updated_by", "text", (c) => c.notNull())
    .addColumn("deletion_protected", "integer", (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint("environments_org_project_name_key", ["org", "project", "name"])
    .execute();

  await db.schema
    .createTable("revisions")
    .addColumn("environment_id", "text", (c) => c.notNull().references("environments.id").onDelete("cascade"))
    .addColumn("number", "integer", (c) => c.notNull())
    .addColumn("definition", "text", (c) => c.notNull())
    .addColumn("author", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("etag", "text", (c) => c.notNull())
    .addColumn("retracted", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("retraction_reason", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("retracted_by", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("retracted_at", "bigint")
    .addColumn("replacement_revision", "integer")
    .addPrimaryKeyConstraint("revisions_pkey", ["environment_id", "number"])
    .execute();

  await db.schema
    .createTable("revision_tags")
    .addColumn("environment_id", "text", (c) => c.notNull())
    .addColumn("name", key, (c) => c.notNull())
    .addColumn("revision", "integer", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addColumn("editor", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("revision_tags_pkey", ["environment_id", "name"])
    .addForeignKeyConstraint("revision_tags_revision_fkey", ["environment_id", "revision"], "revisions", ["environment_id", "number"], (fk) => fk.onDelete("cascade"))
    .execute();

  await db.schema
    .createTable("environment_tags")
    .addColumn("environment_id", "text", (c) => c.notNull().references("environments.id").onDelete("cascade"))
    .addColumn("name", key, (c) => c.notNull())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addColumn("editor", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("environment_tags_pkey", ["environment_id", "name"])
    .execute();
  await db.schema.createIndex("environment_tags_name_value_idx").on("environment_tags").columns(["name", "value"]).execute();

  await db.schema
    .createTable("identities")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("org", key, (c) => c.notNull().references("organizations.name"))
    .addColumn("login", key, (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addUniqueConstraint("identities_org_login_key", ["org", "login"])
    .execute();

  await db.schema
    .createTable("tokens")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("identity_id", "text", (c) => c.notNull().references("identities.id").onDelete("cascade"))
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("secret_hash", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint")
    .addColumn("revoked_at", "bigint")
    .addColumn("last_used_at", "bigint")
    .execute();
  await db.schema.createIndex("tokens_identity_id_idx").on("tokens").column("identity_id").execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of ["tokens", "identities", "environment_tags", "revision_tags", "revisions", "environments", "organizations"]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
