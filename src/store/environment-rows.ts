/**
 * @private Row lookups and row → record mapping shared by the environment repository's parts.
 *
 * The lookups run on every Get, Resolve, List and Update call: they are query templates, built and
 * compiled once per dialect (compiled-query-cache.ts), since kysely's builder costs more CPU than
 * the statements themselves on SQLite.
 */
import { createHash } from "node:crypto";
import type { Kysely, Selectable } from "kysely";
import { createQueryTemplate, firstRow } from "./compiled-query-cache.js";
import type { Database, EnvironmentsTable, RevisionsTable } from "./database.js";
import { storeErrors } from "./errors.js";
import { compareKeys, toDate, type RepositoryContext } from "./repository-context.js";
import { noteRevision } from "./transaction-hooks.js";
import type { EnvironmentKey, EnvironmentRecord, RevisionRecord } from "./types.js";

export type EnvironmentRow = Selectable<EnvironmentsTable>;
export type RevisionRow = Selectable<RevisionsTable>;

type KeyArgs = { org: string; project: string; name: string };

const selectEnvironment = createQueryTemplate((db: Kysely<Database>, p: KeyArgs) =>
  db.selectFrom("environments").selectAll().where("org", "=", p.org).where("project", "=", p.project).where("name", "=", p.name),
);

const selectEnvironmentForUpdate = createQueryTemplate((db: Kysely<Database>, p: KeyArgs) =>
  db.selectFrom("environments").selectAll().where("org", "=", p.org).where("project", "=", p.project).where("name", "=", p.name).forUpdate(),
);

const selectRevision = createQueryTemplate((db: Kysely<Database>, p: { id: string; number: number }) =>
  db.selectFrom("revisions").selectAll().where("environment_id", "=", p.id).where("number", "=", p.number),
);

const selectEnvironmentTags = createQueryTemplate((db: Kysely<Database>, p: { ids: readonly string[] }) =>
  db.selectFrom("environment_tags").select(["environment_id", "name", "value"]).where("environment_id", "in", p.ids).orderBy("name"),
);

const selectRevisionTags = createQueryTemplate((db: Kysely<Database>, p: { id: string; numbers: readonly number[] }) =>
  db.selectFrom("revision_tags").select(["revision", "name"]).where("environment_id", "=", p.id).where("revision", "in", p.numbers),
);

const moveLatestRevision = createQueryTemplate((db: Kysely<Database>, p: { id: string; base: number; number: number; now: number; author: string }) =>
  db
    .updateTable("environments")
    .set({ latest_revision: p.number, updated_at: p.now, updated_by: p.author })
    .where("id", "=", p.id)
    .where("latest_revision", "=", p.base),
);

const insertRevision = createQueryTemplate(
  (db: Kysely<Database>, p: { id: string; number: number; definition: string; author: string; now: number; etag: string }) =>
    db.insertInto("revisions").values({
      environment_id: p.id,
      number: p.number,
      definition: p.definition,
      author: p.author,
      created_at: p.now,
      etag: p.etag,
      retracted: 0,
      retraction_reason: "",
      retracted_by: "",
      retracted_at: null,
      replacement_revision: null,
    }),
);

/** The environment's row; NotFound when missing. Locks the row when `lock` and the dialect can. */
export async function requireEnvironment(
  ctx: RepositoryContext,
  db: Kysely<Database>,
  key: EnvironmentKey,
  options: { lock?: boolean } = {},
): Promise<EnvironmentRow> {
  const query = options.lock === true && ctx.rowLocks ? selectEnvironmentForUpdate : selectEnvironment;
  const result = await query.execute(db, { org: key.org, project: key.project, name: key.name });
  return firstRow(result, () => storeErrors.environmentNotFound(key));
}

/** One revision's row; NotFound naming the revision when missing. */
export async function requireRevision(db: Kysely<Database>, env: EnvironmentRow, key: EnvironmentKey, revision: number): Promise<RevisionRow> {
  const result = await selectRevision.execute(db, { id: env.id, number: revision });
  return firstRow(result, () => storeErrors.revisionNotFound(key, revision));
}

/** Environment tags of the given environments, by environment id. */
export async function loadEnvironmentTags(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, Record<string, string>>> {
  const out = new Map<string, Record<string, string>>();
  if (ids.length === 0) return out;
  const { rows } = await selectEnvironmentTags.execute(db, { ids });
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
  const { rows } = await selectRevisionTags.execute(db, { id: env.id, numbers });
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
  const result = await moveLatestRevision.execute(trx, { id: env.id, base: input.base, number, now, author: input.author });
  if (Number(result.numAffectedRows ?? 0) !== 1) {
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
  await insertRevision.execute(trx, { id: env.id, number, definition: input.definition, author: input.author, now, etag: revision.etag });
  noteRevision(number);
  return { env: { ...env, latest_revision: number, updated_at: now, updated_by: input.author }, revision };
}
