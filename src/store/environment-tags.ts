/**
 * @private Environment (key/value) tags of the environment repository.
 */
import type { Selectable } from "kysely";
import type { EnvironmentTagsTable } from "./database.js";
import type { EnvironmentRepository } from "./repositories.js";
import { requireEnvironment } from "./environment-rows.js";
import { isUniqueViolation, storeErrors } from "./errors.js";
import { decodePageToken, toPage } from "./page-token.js";
import { inTransaction, toDate, type RepositoryContext } from "./repository-context.js";
import type { EnvironmentTagRecord } from "./types.js";

type EnvironmentTagMethods = Pick<EnvironmentRepository, "setTag" | "getTag" | "renameTag" | "deleteTag" | "listTags">;

export function createEnvironmentTagMethods(ctx: RepositoryContext): EnvironmentTagMethods {
  const { db } = ctx;

  return {
    setTag(key, tag) {
      return inTransaction(db, async (trx) => {
        const env = await requireEnvironment(ctx, trx, key);
        const now = ctx.now();
        const row = await trx
          .insertInto("environment_tags")
          .values({ environment_id: env.id, name: tag.name, value: tag.value, created_at: now, updated_at: now, editor: tag.editor })
          .onConflict((oc) => oc.columns(["environment_id", "name"]).doUpdateSet({ value: tag.value, updated_at: now, editor: tag.editor }))
          .returningAll()
          .executeTakeFirstOrThrow();
        return toEnvironmentTagRecord(row);
      });
    },

    async getTag(key, name) {
      const env = await requireEnvironment(ctx, db, key);
      const row = await db
        .selectFrom("environment_tags")
        .selectAll()
        .where("environment_id", "=", env.id)
        .where("name", "=", name)
        .executeTakeFirst();
      if (row === undefined) throw storeErrors.environmentTagNotFound(key, name);
      return toEnvironmentTagRecord(row);
    },

    renameTag(key, input) {
      return inTransaction(db, async (trx) => {
        const env = await requireEnvironment(ctx, trx, key);
        const byName = (name: string) =>
          trx.selectFrom("environment_tags").selectAll().where("environment_id", "=", env.id).where("name", "=", name).executeTakeFirst();
        const existing = await byName(input.name);
        if (existing === undefined) throw storeErrors.environmentTagNotFound(key, input.name);
        if (input.newName !== input.name && (await byName(input.newName)) !== undefined) {
          throw storeErrors.environmentTagExists(key, input.newName);
        }
        const now = ctx.now();
        try {
          await trx
            .updateTable("environment_tags")
            .set({ name: input.newName, updated_at: now, editor: input.editor })
            .where("environment_id", "=", env.id)
            .where("name", "=", input.name)
            .execute();
        } catch (err) {
          if (isUniqueViolation(err)) throw storeErrors.environmentTagExists(key, input.newName);
          throw err;
        }
        return toEnvironmentTagRecord({ ...existing, name: input.newName, updated_at: now, editor: input.editor });
      });
    },

    async deleteTag(key, name) {
      const env = await requireEnvironment(ctx, db, key);
      const result = await db.deleteFrom("environment_tags").where("environment_id", "=", env.id).where("name", "=", name).executeTakeFirst();
      if (Number(result.numDeletedRows) !== 1) throw storeErrors.environmentTagNotFound(key, name);
    },

    async listTags(key, page) {
      const after = decodePageToken(page.pageToken, ["string"] as const);
      const env = await requireEnvironment(ctx, db, key);
      let query = db.selectFrom("environment_tags").selectAll().where("environment_id", "=", env.id);
      if (after !== undefined) query = query.where("name", ">", after[0]);
      const rows = await query.orderBy("name").limit(page.pageSize + 1).execute();
      return toPage(rows, page.pageSize, toEnvironmentTagRecord, (r) => [r.name]);
    },
  };
}

function toEnvironmentTagRecord(row: Selectable<EnvironmentTagsTable>): EnvironmentTagRecord {
  return {
    name: row.name,
    value: row.value,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
    editor: row.editor,
  };
}
