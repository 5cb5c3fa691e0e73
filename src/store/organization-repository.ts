/**
 * The organization repository. Orgs are explicit resources, ordered by name in listings.
 */
import type { Kysely, Selectable } from "kysely";
import type { Database, OrganizationsTable } from "./database.js";
import { isUniqueViolation, storeErrors } from "./errors.js";
import { decodePageToken, toPage } from "./page-token.js";
import type { OrganizationRepository } from "./repositories.js";
import { createRepositoryContext, inTransaction, toDate, type RepositoryOptions } from "./repository-context.js";
import type { OrganizationRecord } from "./types.js";

/** An OrganizationRepository over `db` (the database or a transaction). */
export function createOrganizationRepository(db: Kysely<Database>, options: RepositoryOptions = {}): OrganizationRepository {
  const ctx = createRepositoryContext(db, options);
  return {
    create(input) {
      return inTransaction(db, async (trx) => {
        const existing = await trx.selectFrom("organizations").select("name").where("name", "=", input.name).executeTakeFirst();
        if (existing !== undefined) throw storeErrors.organizationExists(input.name);
        const row = { name: input.name, description: input.description, created_at: ctx.now() };
        try {
          await trx.insertInto("organizations").values(row).execute();
        } catch (err) {
          if (isUniqueViolation(err)) throw storeErrors.organizationExists(input.name);
          throw err;
        }
        return toOrganizationRecord(row);
      });
    },

    async get(name) {
      const row = await db
        .selectFrom("organizations")
        .selectAll()
        .where("name", "=", name)
        .executeTakeFirstOrThrow(() => storeErrors.organizationNotFound(name));
      return toOrganizationRecord(row);
    },

    async list(page) {
      const after = decodePageToken(page.pageToken, ["string"] as const);
      let query = db.selectFrom("organizations").selectAll();
      if (after !== undefined) query = query.where("name", ">", after[0]);
      const rows = await query.orderBy("name").limit(page.pageSize + 1).execute();
      return toPage(rows, page.pageSize, toOrganizationRecord, (r) => [r.name]);
    },
  };
}

function toOrganizationRecord(row: Selectable<OrganizationsTable>): OrganizationRecord {
  return { name: row.name, description: row.description, createdAt: toDate(row.created_at) };
}
