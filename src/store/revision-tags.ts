/**
 * @private Revision tags of the environment repository. `latest` is virtual: it always names the
 * newest revision, is listed in its place by name, and cannot be created, moved or deleted.
 */
import type { Kysely, Selectable } from "kysely";
import type { Database, RevisionTagsTable } from "./database.js";
import type { EnvironmentRepository } from "./repositories.js";
import { requireEnvironment, requireRevision, type EnvironmentRow } from "./environment-rows.js";
import { isUniqueViolation, storeErrors } from "./errors.js";
import { decodePageToken, toPage } from "./page-token.js";
import { compareKeys, inTransaction, toDate, type RepositoryContext } from "./repository-context.js";
import type { EnvironmentKey, RevisionTagRecord } from "./types.js";

/** The built-in tag. */
export const LATEST_TAG = "latest";

type RevisionTagMethods = Pick<
  EnvironmentRepository,
  "createRevisionTag" | "getRevisionTag" | "updateRevisionTag" | "deleteRevisionTag" | "listRevisionTags"
>;

export function createRevisionTagMethods(ctx: RepositoryContext): RevisionTagMethods {
  const { db } = ctx;

  /** The tag may only point at a revision that exists and is served. */
  async function requireTaggable(trx: Kysely<Database>, env: EnvironmentRow, key: EnvironmentKey, revision: number): Promise<void> {
    const row = await requireRevision(trx, env, key, revision);
    if (Number(row.retracted) === 1) throw storeErrors.revisionRetracted(key, revision, row.retraction_reason);
  }

  return {
    createRevisionTag(key, tag) {
      if (tag.name === LATEST_TAG) return Promise.reject(storeErrors.latestTagReadOnly());
      return inTransaction(db, async (trx) => {
        const env = await requireEnvironment(ctx, trx, key);
        await requireTaggable(trx, env, key, tag.revision);
        const existing = await trx
          .selectFrom("revision_tags")
          .select("name")
          .where("environment_id", "=", env.id)
          .where("name", "=", tag.name)
          .executeTakeFirst();
        if (existing !== undefined) throw storeErrors.revisionTagExists(key, tag.name);
        const now = ctx.now();
        const row = { environment_id: env.id, name: tag.name, revision: tag.revision, created_at: now, updated_at: now, editor: tag.editor };
        try {
          await trx.insertInto("revision_tags").values(row).execute();
        } catch (err) {
          if (isUniqueViolation(err)) throw storeErrors.revisionTagExists(key, tag.name);
          throw err;
        }
        return toRevisionTagRecord(row);
      });
    },

    async getRevisionTag(key, name) {
      const env = await requireEnvironment(ctx, db, key);
      if (name === LATEST_TAG) return latestTag(env);
      const row = await db
        .selectFrom("revision_tags")
        .selectAll()
        .where("environment_id", "=", env.id)
        .where("name", "=", name)
        .executeTakeFirst();
      if (row === undefined) throw storeErrors.revisionTagNotFound(key, name);
      return toRevisionTagRecord(row);
    },

    updateRevisionTag(key, tag) {
      if (tag.name === LATEST_TAG) return Promise.reject(storeErrors.latestTagReadOnly());
      return inTransaction(db, async (trx) => {
        const env = await requireEnvironment(ctx, trx, key);
        const existing = await trx
          .selectFrom("revision_tags")
          .selectAll()
          .where("environment_id", "=", env.id)
          .where("name", "=", tag.name)
          .executeTakeFirst();
        if (existing === undefined) throw storeErrors.revisionTagNotFound(key, tag.name);
        await requireTaggable(trx, env, key, tag.revision);
        const now = ctx.now();
        await trx
          .updateTable("revision_tags")
          .set({ revision: tag.revision, updated_at: now, editor: tag.editor })
          .where("environment_id", "=", env.id)
          .where("name", "=", tag.name)
          .execute();
        return toRevisionTagRecord({ ...existing, revision: tag.revision, updated_at: now, editor: tag.editor });
      });
    },

    async deleteRevisionTag(key, name) {
      if (name === LATEST_TAG) throw storeErrors.latestTagReadOnly();
      const env = await requireEnvironment(ctx, db, key);
      const result = await db
        .deleteFrom("revision_tags")
        .where("environment_id", "=", env.id)
        .where("name", "=", name)
        .executeTakeFirst();
      if (Number(result.numDeletedRows) !== 1) throw storeErrors.revisionTagNotFound(key, name);
    },

    async listRevisionTags(key, page) {
      const after = decodePageToken(page.pageToken, ["string"] as const);
      const env = await requireEnvironment(ctx, db, key);
      let query = db.selectFrom("revision_tags").selectAll().where("environment_id", "=", env.id);
      if (after !== undefined) query = query.where("name", ">", after[0]);
      const rows = (await query.orderBy("name").limit(page.pageSize + 1).execute()).map(toRevisionTagRecord);
      // Merge the virtual tag into the sorted page; the extra row still only signals "more".
      if (after === undefined || compareKeys(LATEST_TAG, after[0]) > 0) {
        rows.push(latestTag(env));
        rows.sort((a, b) => compareKeys(a.name, b.name));
      }
      return toPage(rows, page.pageSize, (r) => r, (r) => [r.name]);
    },
  };
}

function latestTag(env: EnvironmentRow): RevisionTagRecord {
  return {
    name: LATEST_TAG,
    revision: env.latest_revision,
    createdAt: toDate(env.created_at),
    updatedAt: toDate(env.updated_at),
    editor: env.updated_by,
  };
}

function toRevisionTagRecord(row: Selectable<RevisionTagsTable>): RevisionTagRecord {
  return {
    name: row.name,
    revision: row.revision,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
    editor: row.editor,
  };
}
