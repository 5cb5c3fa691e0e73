/**
 * @private The revision half of the environment repository: resolving versions, reading and
 * listing revisions, retracting and rolling back. Revisions are immutable; retraction only marks.
 */
import { sql } from "kysely";
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
    const tag = await db.selectFrom("revision_tags").select("revision").where("environment_id", "=", env.id).where("name", "=", version).executeTakeFirst();
    if (tag === undefined) throw storeErrors.revisionTagNotFound(key, version);
    return tag.revision;
  }

  function readDefinitionJoined(key: EnvironmentKey, version: string) {
    const envs = db
      .selectFrom("environments as e")
      .where("e.org", "=", key.org)
      .where("e.project", "=", key.project)
      .where("e.name", "=", key.name);
    const columns = ["e.id", "r.number", "r.definition", "r.retracted", "r.retraction_reason"] as const;
    if (version === "" || version === "latest") {
      return envs
        .innerJoin("revisions as r", (j) => j.onRef("r.environment_id", "=", "e.id").onRef("r.number", "=", "e.latest_revision"))
        .select(columns)
        .executeTakeFirst();
    }
    if (/^[0-9]+$/.test(version)) {
      const number = Number(version);
      if (!Number.isSafeInteger(number) || number < 1) return Promise.resolve(undefined);
      return envs
        .innerJoin("revisions as r", (j) => j.onRef("r.environment_id", "=", "e.id").on("r.number", "=", number))
        .select(columns)
        .executeTakeFirst();
    }
    return envs
      .innerJoin("revision_tags as t", (j) => j.onRef("t.environment_id", "=", "e.id").on("t.name", "=", version))
      .innerJoin("revisions as r", (j) => j.onRef("r.environment_id", "=", "e.id").onRef("r.number", "=", "t.revision"))
      .select(columns)
      .executeTakeFirst();
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
      // One statement for all refs (a UNION ALL of one seek each): the per-request check of the open
      // caches, where N round trips would cost more than the answer saves.
      const arms = refs.map((ref, i) => sql`SELECT ${sql.lit(i)} AS i, e.id AS id, r.number AS number, r.retracted AS retracted ${pinSource(ref)} WHERE e.org = ${org} AND e.project = ${ref.project} AND e.name = ${ref.name}`);
      const { rows } = await sql<{ i: number; id: string; number: number; retracted: number | boolean }>`${sql.join(arms, sql` UNION ALL `)}`.execute(db);
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
      const tag = await db
        .selectFrom("revision_tags")
        .select("revision")
        .where("environment_id", "=", env.id)
        .where("name", "=", version)
        .executeTakeFirst();
      if (tag === undefined) throw storeErrors.revisionTagNotFound(key, version);
      return tag.revision;
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
        .where("environment_id", "=", env.id);
      if (after !== undefined) query = query.where("number", "<", after[0]);
      const rows = await query.orderBy("number", "desc").limit(page.pageSize + 1).execute();
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

/** The FROM clause naming the revision `ref.version` points at (latest, a number or a tag). */
function pinSource(ref: RevisionRef) {
  const version = ref.version;
  if (version === "" || version === "latest") return sql`FROM environments e JOIN revisions r ON r.environment_id = e.id AND r.number = e.latest_revision`;
  if (/^[0-9]+$/.test(version)) {
    const number = Number(version);
    // No revision has an unsafe or zero number: the seek finds nothing, like a missing revision.
    return sql`FROM environments e JOIN revisions r ON r.environment_id = e.id AND r.number = ${Number.isSafeInteger(number) ? number : -1}`;
  }
  return sql`FROM environments e JOIN revision_tags t ON t.environment_id = e.id AND t.name = ${version} JOIN revisions r ON r.environment_id = e.id AND r.number = t.revision`;
}
