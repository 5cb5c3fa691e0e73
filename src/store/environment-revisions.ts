/**
 * @private The revision half of the environment repository: resolving versions, reading and
 * listing revisions, retracting and rolling back. Revisions are immutable; retraction only marks.
 */
import { sql, type Kysely } from "kysely";
import { createQueryTemplate } from "./compiled-query-cache.js";
import type { Database } from "./database.js";
import type { EnvironmentRepository } from "./repositories.js";
import {
  appendRevision,
  loadEnvironmentTags,
  loadRevisionTags,
  toEnvironmentRecord,
  requireEnvironment,
  requireRevision,
  toRevisionRecord,
  type EnvironmentRow,
  type RevisionRow,
} from "./environment-rows.js";
import { storeErrors } from "./errors.js";
import { decodePageToken, toPage } from "./page-token.js";
import { inTransaction, type RepositoryContext } from "./repository-context.js";
import type { EnvironmentKey, RevisionPin, RevisionRecord, RevisionRef } from "./types.js";

// The queries of the per-call read paths (Get, Resolve, the open caches' check) are query templates,
// compiled once per dialect and shape (compiled-query-cache.ts); the rarer writes build theirs per call.

const selectTaggedRevision = createQueryTemplate((db: Kysely<Database>, p: { id: string; name: string }) =>
  db.selectFrom("revision_tags").select("revision").where("environment_id", "=", p.id).where("name", "=", p.name),
);

type KeyArgs = { org: string; project: string; name: string };
const DEFINITION_COLUMNS = ["e.id", "r.number", "r.definition", "r.retracted", "r.retraction_reason"] as const;
const environmentByKey = (db: Kysely<Database>, p: KeyArgs) =>
  db.selectFrom("environments as e").where("e.org", "=", p.org).where("e.project", "=", p.project).where("e.name", "=", p.name);

const selectLatestDefinition = createQueryTemplate((db: Kysely<Database>, p: KeyArgs) =>
  environmentByKey(db, p)
    .innerJoin("revisions as r", (j) => j.onRef("r.environment_id", "=", "e.id").onRef("r.number", "=", "e.latest_revision"))
    .select(DEFINITION_COLUMNS),
);

const selectNumberedDefinition = createQueryTemplate((db: Kysely<Database>, p: KeyArgs & { number: number }) =>
  environmentByKey(db, p)
    .innerJoin("revisions as r", (j) => j.onRef("r.environment_id", "=", "e.id").on("r.number", "=", p.number))
    .select(DEFINITION_COLUMNS),
);

const selectTaggedDefinition = createQueryTemplate((db: Kysely<Database>, p: KeyArgs & { tag: string }) =>
  environmentByKey(db, p)
    .innerJoin("revision_tags as t", (j) => j.onRef("t.environment_id", "=", "e.id").on("t.name", "=", p.tag))
    .innerJoin("revisions as r", (j) => j.onRef("r.environment_id", "=", "e.id").onRef("r.number", "=", "t.revision"))
    .select(DEFINITION_COLUMNS),
);

const selectRevisionPage = createQueryTemplate((db: Kysely<Database>, p: { id: string; before: number | undefined; limit: number }) => {
  let query = db
    .selectFrom("revisions")
    .select([
      "environment_id",
      "number",
      "author",
      "created_at",
      "etag",
      "retracted",
      "retraction_reason",
      "retracted_by",
      "retracted_at",
      "replacement_revision",
    ])
    .where("environment_id", "=", p.id);
  if (p.before !== undefined) query = query.where("number", "<", p.before);
  return query.orderBy("number", "desc").limit(p.limit);
});

/**
 * Refs as arrays of one element per ref: `numbers[i]` set for a revision number, `tags[i]` for a
 * revision tag, neither for latest (the shape of the statement).
 */
type PinArgs = { org: string; projects: readonly string[]; names: readonly string[]; numbers: readonly (number | undefined)[]; tags: readonly (string | undefined)[] };

// One statement for all refs (a UNION ALL of one seek each): the per-request check of the open
// caches, where N round trips would cost more than the answer saves.
const selectPins = createQueryTemplate((_db: Kysely<Database>, p: PinArgs) => {
  const arms = p.projects.map(
    (project, i) =>
      sql`SELECT ${sql.lit(i)} AS i, e.id AS id, r.number AS number, r.retracted AS retracted ${pinSource(p.numbers[i], p.tags[i])} WHERE e.org = ${p.org} AND e.project = ${project} AND e.name = ${p.names[i]}`,
  );
  return sql<{ i: number; id: string; number: number; retracted: number | boolean }>`${sql.join(arms, sql` UNION ALL `)}`;
});

type RevisionMethods = Pick<EnvironmentRepository, "resolveVersion" | "getAt" | "readDefinition" | "pinRevisions" | "getRevision" | "listRevisions" | "retractRevision" | "rollback">;

export function createRevisionMethods(ctx: RepositoryContext): RevisionMethods {
  const { db } = ctx;

  async function record(env: EnvironmentRow, row: RevisionRow): Promise<RevisionRecord> {
    const tags = await loadRevisionTags(ctx.db, env, [row.number]);
    return toRevisionRecord(row, tags.get(row.number) ?? []);
  }

  async function numberOf(env: EnvironmentRow, key: EnvironmentKey, version: string): Promise<number> {
    if (version === "" || version === "latest") return env.latest_revision;
    if (/^[0-9]+$/.test(version)) {
      const number = Number(version);
      if (!Number.isSafeInteger(number) || number < 1) throw storeErrors.versionNotFound(key, version);
      return number;
    }
    return taggedRevision(env, key, version);
  }

  async function taggedRevision(env: EnvironmentRow, key: EnvironmentKey, tag: string): Promise<number> {
    const { rows } = await selectTaggedRevision.execute(db, { id: env.id, name: tag });
    const row = rows[0];
    if (row === undefined) throw storeErrors.revisionTagNotFound(key, tag);
    return row.revision;
  }

  async function readDefinitionJoined(key: EnvironmentKey, version: string) {
    const args = { org: key.org, project: key.project, name: key.name };
    if (version === "" || version === "latest") return (await selectLatestDefinition.execute(db, args)).rows[0];
    if (/^[0-9]+$/.test(version)) {
      const number = Number(version);
      if (!Number.isSafeInteger(number) || number < 1) return undefined;
      return (await selectNumberedDefinition.execute(db, { ...args, number })).rows[0];
    }
    return (await selectTaggedDefinition.execute(db, { ...args, tag: version })).rows[0];
  }

  return {
    async readDefinition(key, version) {
      // The hot path of every open and import: one query joining the environment, the tag (if any)
      // and the revision. Only when it finds nothing does the step-by-step path below run, to say
      // exactly what is missing.
      const found = await readDefinitionJoined(key, version);
      if (found !== undefined) {
        if (Number(found.retracted) === 1) throw storeErrors.revisionRetracted(key, found.number, found.retraction_reason);
        return { revision: found.number, definition: found.definition, environmentId: found.id };
      }
      const env = await requireEnvironment(ctx, db, key);
      const number = await numberOf(env, key, version);
      const row = await db
        .selectFrom("revisions")
        .select(["definition", "retracted", "retraction_reason"])
        .where("environment_id", "=", env.id)
        .where("number", "=", number)
        .executeTakeFirstOrThrow(() => storeErrors.revisionNotFound(key, number));
      if (Number(row.retracted) === 1) throw storeErrors.revisionRetracted(key, number, row.retraction_reason);
      return { revision: number, definition: row.definition, environmentId: env.id };
    },

    async pinRevisions(org, refs) {
      if (refs.length === 0) return [];
      const { rows } = await selectPins.execute(db, pinArgs(org, refs));
      const pins: (RevisionPin | undefined)[] = refs.map(() => undefined);
      for (const row of rows) pins[Number(row.i)] = { environmentId: row.id, revision: Number(row.number), retracted: Number(row.retracted) === 1 };
      return pins;
    },

    async getAt(key, version, options = {}) {
      const env = await requireEnvironment(ctx, db, key);
      const number = await numberOf(env, key, version);
      const row = await requireRevision(db, env, key, number);
      if (Number(row.retracted) === 1 && options.includeRetracted !== true) {
        throw storeErrors.revisionRetracted(key, number, row.retraction_reason);
      }
      const [envTags, revision] = await Promise.all([loadEnvironmentTags(db, [env.id]), record(env, row)]);
      return { environment: toEnvironmentRecord(env, envTags.get(env.id) ?? {}), revision };
    },

    async resolveVersion(key, version) {
      const env = await requireEnvironment(ctx, db, key);
      if (version === "" || version === "latest") return env.latest_revision;
      if (/^[0-9]+$/.test(version)) {
        const number = Number(version);
        if (!Number.isSafeInteger(number) || number < 1) throw storeErrors.versionNotFound(key, version);
        await requireRevision(db, env, key, number);
        return number;
      }
      return taggedRevision(env, key, version);
    },

    async getRevision(key, revision, options = {}) {
      const env = await requireEnvironment(ctx, db, key);
      const row = await requireRevision(db, env, key, revision);
      if (Number(row.retracted) === 1 && options.includeRetracted !== true) {
        throw storeErrors.revisionRetracted(key, revision, row.retraction_reason);
      }
      return record(env, row);
    },

    async listRevisions(key, page) {
      const after = decodePageToken(page.pageToken, ["number"] as const);
      const env = await requireEnvironment(ctx, db, key);
      const { rows } = await selectRevisionPage.execute(db, { id: env.id, before: after?.[0], limit: page.pageSize + 1 });
      const tags = await loadRevisionTags(db, env, rows.slice(0, page.pageSize).map((r) => r.number));
      return toPage(rows, page.pageSize, (r) => toRevisionRecord(r, tags.get(r.number) ?? []), (r) => [r.number]);
    },

    retractRevision(input) {
      return inTransaction(db, async (trx) => {
        const { key } = input;
        const env = await requireEnvironment(ctx, trx, key, { lock: true });
        const target = await requireRevision(trx, env, key, input.revision);
        if (Number(target.retracted) === 1) throw storeErrors.alreadyRetracted(key, input.revision);
        const replacement = await findReplacement(trx, env, key, input.revision, input.replacementRevision);
        const now = ctx.now();
        const marked = await trx
          .updateTable("revisions")
          .set({
            retracted: 1,
            retraction_reason: input.reason,
            retracted_by: input.actor,
            retracted_at: now,
            replacement_revision: replacement.number,
          })
          .where("environment_id", "=", env.id)
          .where("number", "=", input.revision)
          .where("retracted", "=", 0)
          .executeTakeFirst();
        if (Number(marked.numUpdatedRows) !== 1) throw storeErrors.alreadyRetracted(key, input.revision);

        let after = env;
        let newRevision: RevisionRecord | null = null;
        if (input.revision === env.latest_revision) {
          // `latest` must never serve retracted content: write the replacement's definition anew.
          const written = await appendRevision(ctx, trx, env, { base: env.latest_revision, definition: replacement.definition, author: input.actor });
          after = written.env;
          newRevision = toRevisionRecord(written.revision, ["latest"]);
        }
        const retracted = await requireRevision(trx, after, key, input.revision);
        const tags = await loadRevisionTags(trx, after, [input.revision]);
        return { revision: toRevisionRecord(retracted, tags.get(input.revision) ?? []), newRevision };
      });
    },

    rollback(input) {
      return inTransaction(db, async (trx) => {
        // Without a base the caller means "on top of whatever is latest": lock so that a
        // concurrent writer makes this wait rather than fail as stale.
        const env = await requireEnvironment(ctx, trx, input.key, { lock: input.baseRevision === undefined });
        const source = await requireRevision(trx, env, input.key, input.revision);
        if (Number(source.retracted) === 1) throw storeErrors.revisionRetracted(input.key, input.revision, source.retraction_reason);
        const base = input.baseRevision ?? env.latest_revision;
        const written = await appendRevision(ctx, trx, env, { base, definition: source.definition, author: input.author });
        return toRevisionRecord(written.revision, ["latest"]);
      });
    },
  };
}

/** The explicit replacement (must exist and not be retracted), or the newest earlier one that is not retracted. */
async function findReplacement(
  trx: RepositoryContext["db"],
  env: EnvironmentRow,
  key: EnvironmentKey,
  revision: number,
  explicit: number | undefined,
): Promise<RevisionRow> {
  if (explicit !== undefined) {
    if (explicit === revision) throw storeErrors.selfReplacement(revision);
    const row = await requireRevision(trx, env, key, explicit);
    if (Number(row.retracted) === 1) throw storeErrors.revisionRetracted(key, explicit, row.retraction_reason);
    return row;
  }
  const row = await trx
    .selectFrom("revisions")
    .selectAll()
    .where("environment_id", "=", env.id)
    .where("number", "<", revision)
    .where("retracted", "=", 0)
    .orderBy("number", "desc")
    .limit(1)
    .executeTakeFirst();
  if (row === undefined) throw storeErrors.noReplacement(key, revision);
  return row;
}

/** The refs as the arrays of selectPins: what each version names (latest, a number or a tag). */
function pinArgs(org: string, refs: readonly RevisionRef[]): PinArgs {
  const projects: string[] = [];
  const names: string[] = [];
  const numbers: (number | undefined)[] = [];
  const tags: (string | undefined)[] = [];
  for (const ref of refs) {
    const version = ref.version;
    projects.push(ref.project);
    names.push(ref.name);
    if (version === "" || version === "latest") {
      numbers.push(undefined);
      tags.push(undefined);
    } else if (/^[0-9]+$/.test(version)) {
      const number = Number(version);
      // No revision has an unsafe or zero number: the seek finds nothing, like a missing revision.
      numbers.push(Number.isSafeInteger(number) ? number : -1);
      tags.push(undefined);
    } else {
      numbers.push(undefined);
      tags.push(version);
    }
  }
  return { org, projects, names, numbers, tags };
}

/** The FROM clause naming the revision of one ref: a number, a tag, or (neither) the latest. */
function pinSource(number: number | undefined, tag: string | undefined) {
  if (number !== undefined) return sql`FROM environments e JOIN revisions r ON r.environment_id = e.id AND r.number = ${number}`;
  if (tag !== undefined) return sql`FROM environments e JOIN revision_tags t ON t.environment_id = e.id AND t.name = ${tag} JOIN revisions r ON r.environment_id = e.id AND r.number = t.revision`;
  return sql`FROM environments e JOIN revisions r ON r.environment_id = e.id AND r.number = e.latest_revision`;
}
