/**
 * Access control (issue 6): teams and their members, grants, organization access settings, OIDC
 * trust policies, and token scopes. Grants name projects and environments by name (a grant on an
 * environment that does not exist yet is allowed: it applies once it is created); their subject is
 * an identity, a team or a token id, removed with it by the repositories.
 */
import { sql, type Kysely } from "kysely";
import type { StoreCapabilities } from "../dialect.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb, caps: StoreCapabilities): Promise<void> {
  const key = sql.raw(caps.keyTextType);

  await db.schema
    .createTable("teams")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("org", key, (c) => c.notNull().references("organizations.name"))
    .addColumn("name", key, (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addUniqueConstraint("teams_org_name_key", ["org", "name"])
    .execute();

  await db.schema
    .createTable("team_members")
    .addColumn("team_id", "text", (c) => c.notNull().references("teams.id").onDelete("cascade"))
    .addColumn("identity_id", "text", (c) => c.notNull().references("identities.id").onDelete("cascade"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("team_members_pkey", ["team_id", "identity_id"])
    .execute();
  await db.schema.createIndex("team_members_identity_id_idx").on("team_members").column("identity_id").execute();

  await db.schema
    .createTable("grants")
    .addColumn("org", key, (c) => c.notNull().references("organizations.name"))
    // "identity" | "team" | "token"
    .addColumn("subject_kind", "text", (c) => c.notNull())
    .addColumn("subject_id", "text", (c) => c.notNull())
    // "" for the whole organization
    .addColumn("project", key, (c) => c.notNull())
    // "" for the whole project
    .addColumn("environment", key, (c) => c.notNull())
    .addColumn("permission", "text", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addColumn("editor", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("grants_pkey", ["org", "subject_kind", "subject_id", "project", "environment"])
    .execute();
  await db.schema.createIndex("grants_subject_idx").on("grants").columns(["subject_id", "org"]).execute();
  await db.schema.createIndex("grants_resource_idx").on("grants").columns(["org", "project", "environment"]).execute();

  await db.schema
    .createTable("org_access_settings")
    .addColumn("org", key, (c) => c.primaryKey().references("organizations.name"))
    .addColumn("default_permission", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("trust_policies")
    .addColumn("org", key, (c) => c.notNull().references("organizations.name"))
    .addColumn("name", key, (c) => c.notNull())
    .addColumn("issuer", "text", (c) => c.notNull())
    .addColumn("audience", "text", (c) => c.notNull())
    .addColumn("subject_pattern", "text", (c) => c.notNull())
    // JSON object: claim name → glob
    .addColumn("claim_conditions", "text", (c) => c.notNull())
    .addColumn("identity_id", "text", (c) => c.notNull().references("identities.id").onDelete("cascade"))
    .addColumn("max_lifetime_seconds", "integer", (c) => c.notNull())
    .addColumn("scope_permission", "text")
    // JSON array of "project" / "project/environment"
    .addColumn("scope_resources", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("trust_policies_pkey", ["org", "name"])
    .execute();

  await db.schema.alterTable("tokens").addColumn("scope_permission", "text").execute();
  await db.schema.alterTable("tokens").addColumn("scope_resources", "text").execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable("tokens").dropColumn("scope_resources").execute();
  await db.schema.alterTable("tokens").dropColumn("scope_permission").execute();
  for (const table of ["trust_policies", "org_access_settings", "grants", "team_members", "teams"]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
