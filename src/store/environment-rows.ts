/**
 * @private Row lookups and row → record mapping shared by the environment repository's parts.
 */
import { createHash } from "node:crypto";
import type { Kysely, Selectable } from "kysely";
import type { Database, EnvironmentsTable, RevisionsTable } from "./database.js";
import { storeErrors } from "./errors.js";
import { compareKeys, toDate, type RepositoryContext } from "./repository-context.js";
import { noteRevision } from "./transaction-hooks.js";
import type { EnvironmentKey, EnvironmentRecord, RevisionRecord } from "./types.js";

export type EnvironmentRow = Selectable<EnvironmentsTable>;
export type RevisionRow = Selectable<RevisionsTable>;

/** The environment's row; NotFound when missing. Locks the row when `lock` and the dialect can. */
export function requireEnvironment(
  ctx: RepositoryContext,
  db: Kysely<Database>,
  key: EnvironmentKey,
  options: { lock?: boolean } = {},
): Promise<EnvironmentRow> {
  let query = db
    .selectFrom("environments")
    .selectAll()
    .where("org", "=", key.org)
    .where("project", "=", key.project)
    .where("name", "=", key.name);
  if (options.lock === true && ctx.rowLocks) query = query.forUpdate();
  return query.executeTakeFirstOrThrow(() => storeErrors.environmentNotFound(key));
}

/** One revision's row; NotFound naming the revision when missing. */
export function requireRevision(db: Kysely<Database>, env: EnvironmentRow, key: EnvironmentKey, revision: number): Promise<RevisionRow> {
  return db
    .selectFrom("revisions")
    .selectAll()
    .where("environment_id", "=", env.id)
    .where("number", "=", revision)
    .executeTakeFirstOrThrow(() => storeErrors.revisionNotFound(key, revision));
}

/** Environment tags of the given environments, by environment id. */
export async function loadEnvironmentTags(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, Record<string, string>>> {
  const out = new Map<string, Record<string, string>>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom("environment_tags")
    .select(["environment_id", "name", "value"])
    .where("environment_id", "in", ids)
    .orderBy("name")
    .execute();
  for (const row of rows) {
    const tags = out.get(row.environment_id) ?? {};
    tags[row.name] = row.value;
    out.set(row.environment_id, tags);
  }
  return out;
}

/** Revision tag names per revision number (`latest` included), each list sorted by name. */
export async function loadRevisionTags(db: Kysely<Database>, env: EnvironmentRow, numbers: readonly number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (numbers.length === 0) return out;
  const rows = await db
    .selectFrom("revision_tags")
    .select(["revision", "name"])
    .where("environment_id", "=", env.id)
    .where("revision", "in", numbers)
    .execute();
  for (const row of rows) out.set(row.revision, [...(out.get(row.revision) ?? []), row.name]);
  if (numbers.includes(env.latest_revision)) out.set(env.latest_revision, [...(out.get(env.latest_revision) ?? []), "latest"]);
  for (const names of out.values()) names.sort(compareKeys);
  return out;
}

export function toEnvironmentRecord(row: EnvironmentRow, tags: Readonly<Record<string, string>>): EnvironmentRecord {
  return {
    org: row.org,
    project: row.project,
    name: row.name,
    latestRevision: row.latest_revision,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
    createdBy: row.created_by,
    updatedBy: row.updated_by,
    deletionProtected: Number(row.deletion_protected) === 1,
    tags,
  };
}

/** `definition` may be left out (listings). */
export function toRevisionRecord(row: Omit<RevisionRow, "definition"> & { definition?: string }, tags: readonly string[]): RevisionRecord {
  return {
    number: row.number,
    definition: row.definition ?? "",
    createdAt: toDate(row.created_at),
    author: row.author,
    etag: row.etag,
    retracted: Number(row.retracted) === 1,
    retractionReason: row.retraction_reason,
    retractedBy: row.retracted_by,
    retractedAt: toDate(row.retracted_at),
    replacementRevision: row.replacement_revision,
    tags,
  };
}

/** SHA-256 (hex) of a definition. */
export function etagOf(definition: string): string {
  return createHash("sha256").update(definition, "utf8").digest("hex");
}

/**
 * Writes revision base+1 and moves the environment to it, atomically: the conditional UPDATE
 * matches only while `latest_revision` is still `base` (a concurrent writer makes it match
 * nothing → Aborted), and the revisions primary key refuses a duplicate number. Call inside a
 * transaction. Returns the environment row and revision row as written.
 */
export async function appendRevision(
  ctx: RepositoryContext,
  trx: Kysely<Database>,
  env: EnvironmentRow,
  input: { base: number; definition: string; author: string },
): Promise<{ env: EnvironmentRow; revision: RevisionRow }> {
  const now = ctx.now();
  const number = input.base + 1;
  if (input.base !== env.latest_revision) throw storeErrors.staleRevision(input.base, env.latest_revision);
  const result = await trx
    .updateTable("environments")
    .set({ latest_revision: number, updated_at: now, updated_by: input.author })
    .where("id", "=", env.id)
    .where("latest_revision", "=", input.base)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) {
    const latest = await trx.selectFrom("environments").select("latest_revision").where("id", "=", env.id).executeTakeFirst();
    throw storeErrors.staleRevision(input.base, latest?.latest_revision ?? env.latest_revision);
  }
  const revision: RevisionRow = {
    environment_id: env.id,
    number,
    definition: input.definition,
    author: input.author,
    created_at: now,
    etag: etagOf(input.definition),
    retracted: 0,
    retraction_reason: "",
    retracted_by: "",
    retracted_at: null,
    replacement_revision: null,
  };
  await trx.insertInto("revisions").values(revision).execute();
  noteRevision(number);
  return { env: { ...env, latest_revision: number, updated_at: now, updated_by: input.author }, revision };
}
