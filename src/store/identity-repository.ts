/**
 * The identity repository: identities (users, service accounts) and their API tokens. Only a
 * token's hash is stored; the caller compares hashes in constant time.
 */
import { randomUUID } from "node:crypto";
import type { Kysely, Selectable } from "kysely";
import type { Database, IdentitiesTable, TokensTable } from "./database.js";
import { isUniqueViolation, storeErrors } from "./errors.js";
import { decodePageToken, toPage } from "./page-token.js";
import type { IdentityRepository } from "./repositories.js";
import { createRepositoryContext, inTransaction, toDate, type RepositoryOptions } from "./repository-context.js";
import type { IdentityKind, IdentityRecord, OrgRole, TokenRecord } from "./types.js";

/** A token's last use is written at most this often. */
export const TOKEN_TOUCH_INTERVAL_MS = 60_000;

/** An IdentityRepository over `db` (the database or a transaction). */
export function createIdentityRepository(db: Kysely<Database>, options: RepositoryOptions = {}): IdentityRepository {
  const ctx = createRepositoryContext(db, options);
  return {
    createIdentity(input) {
      return inTransaction(db, async (trx) => {
        const org = await trx.selectFrom("organizations").select("name").where("name", "=", input.org).executeTakeFirst();
        if (org === undefined) throw storeErrors.organizationNotFound(input.org);
        const taken = await trx.selectFrom("identities").select("id").where("org", "=", input.org).where("login", "=", input.login).executeTakeFirst();
        if (taken !== undefined) throw storeErrors.identityExists(input.org, input.login);
        const row = { id: randomUUID(), org: input.org, login: input.login, kind: input.kind, role: input.role, created_at: ctx.now() };
        try {
          await trx.insertInto("identities").values(row).execute();
        } catch (err) {
          if (isUniqueViolation(err)) throw storeErrors.identityExists(input.org, input.login);
          throw err;
        }
        return toIdentityRecord(row);
      });
    },

    async getIdentity(id) {
      const row = await db
        .selectFrom("identities")
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirstOrThrow(() => storeErrors.identityNotFound(id));
      return toIdentityRecord(row);
    },

    async findIdentity(org, login) {
      const row = await db.selectFrom("identities").selectAll().where("org", "=", org).where("login", "=", login).executeTakeFirst();
      return row === undefined ? undefined : toIdentityRecord(row);
    },

    async listIdentities(input) {
      const after = decodePageToken(input.pageToken, ["string"] as const);
      let query = db.selectFrom("identities").selectAll().where("org", "=", input.org).where("kind", "=", input.kind);
      if (after !== undefined) query = query.where("login", ">", after[0]);
      const rows = await query.orderBy("login").limit(input.pageSize + 1).execute();
      return toPage(rows, input.pageSize, toIdentityRecord, (r) => [r.login]);
    },

    async updateRole(id, role) {
      await db.updateTable("identities").set({ role }).where("id", "=", id).execute();
      const row = await db.selectFrom("identities").selectAll().where("id", "=", id).executeTakeFirstOrThrow(() => storeErrors.identityNotFound(id));
      return toIdentityRecord(row);
    },

    async deleteIdentity(id) {
      // Tokens, team memberships and trust policies go with it (ON DELETE CASCADE); grants are the caller's.
      await db.deleteFrom("identities").where("id", "=", id).execute();
    },

    async countIdentities() {
      const row = await db.selectFrom("identities").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
      return Number(row.n);
    },

    createToken(input) {
      return inTransaction(db, async (trx) => {
        const identity = await trx.selectFrom("identities").select("id").where("id", "=", input.identityId).executeTakeFirst();
        if (identity === undefined) throw storeErrors.identityNotFound(input.identityId);
        const taken = await trx.selectFrom("tokens").select("id").where("id", "=", input.id).executeTakeFirst();
        if (taken !== undefined) throw storeErrors.tokenExists(input.id);
        const row: Selectable<TokensTable> = {
          id: input.id,
          identity_id: input.identityId,
          description: input.description,
          secret_hash: input.secretHash,
          created_at: ctx.now(),
          expires_at: input.expiresAt === null ? null : input.expiresAt.getTime(),
          revoked_at: null,
          last_used_at: null,
          scope_permission: input.scope?.permission ?? null,
          scope_resources: input.scope === undefined || input.scope.resources.length === 0 ? null : JSON.stringify(input.scope.resources),
        };
        try {
          await trx.insertInto("tokens").values(row).execute();
        } catch (err) {
          if (isUniqueViolation(err)) throw storeErrors.tokenExists(input.id);
          throw err;
        }
        return toTokenRecord(row);
      });
    },

    async findToken(id) {
      const row = await db
        .selectFrom("tokens as t")
        .innerJoin("identities as i", "i.id", "t.identity_id")
        .selectAll("t")
        .select(["i.org", "i.login", "i.kind", "i.role", "i.created_at as identity_created_at"])
        .where("t.id", "=", id)
        .executeTakeFirst();
      if (row === undefined) return undefined;
      const identity = toIdentityRecord({ id: row.identity_id, org: row.org, login: row.login, kind: row.kind, role: row.role, created_at: row.identity_created_at });
      return { token: toTokenRecord(row), identity };
    },

    async touchToken(id, at) {
      const ms = at.getTime();
      await db
        .updateTable("tokens")
        .set({ last_used_at: ms })
        .where("id", "=", id)
        .where((eb) => eb.or([eb("last_used_at", "is", null), eb("last_used_at", "<=", ms - TOKEN_TOUCH_INTERVAL_MS)]))
        .execute();
    },

    async listTokens(input) {
      const after = decodePageToken(input.pageToken, ["number", "string"] as const);
      const now = input.now.getTime();
      let query = db
        .selectFrom("tokens as t")
        .innerJoin("identities as i", "i.id", "t.identity_id")
        .selectAll("t")
        .select("i.login as identity_login")
        .where("i.org", "=", input.org);
      if (input.identityId !== undefined) query = query.where("t.identity_id", "=", input.identityId);
      if (!input.includeInactive) {
        query = query
          .where("t.revoked_at", "is", null)
          .where((eb) => eb.or([eb("t.expires_at", "is", null), eb("t.expires_at", ">", now)]));
      }
      if (after !== undefined) {
        query = query.where((eb) => eb(eb.refTuple("t.created_at", "t.id"), "<", eb.tuple(after[0], after[1])));
      }
      const rows = await query.orderBy("t.created_at", "desc").orderBy("t.id", "desc").limit(input.pageSize + 1).execute();
      return toPage(rows, input.pageSize, (r) => ({ ...toTokenRecord(r), identityLogin: r.identity_login }), (r) => [r.created_at, r.id]);
    },

    revokeToken(id, at) {
      return inTransaction(db, async (trx) => {
        const row = await trx.selectFrom("tokens").selectAll().where("id", "=", id).executeTakeFirst();
        if (row === undefined) throw storeErrors.tokenNotFound(id);
        if (row.revoked_at !== null) return toTokenRecord(row);
        // Conditional, so a concurrent revocation keeps the first time; re-read to return it.
        await trx.updateTable("tokens").set({ revoked_at: at.getTime() }).where("id", "=", id).where("revoked_at", "is", null).execute();
        return toTokenRecord(await trx.selectFrom("tokens").selectAll().where("id", "=", id).executeTakeFirstOrThrow());
      });
    },
  };
}

function toIdentityRecord(row: Selectable<IdentitiesTable>): IdentityRecord {
  return {
    id: row.id,
    org: row.org,
    login: row.login,
    kind: row.kind as IdentityKind,
    role: row.role as OrgRole,
    createdAt: toDate(row.created_at),
  };
}

function toTokenRecord(row: Selectable<TokensTable>): TokenRecord {
  return {
    id: row.id,
    identityId: row.identity_id,
    description: row.description,
    secretHash: row.secret_hash,
    createdAt: toDate(row.created_at),
    expiresAt: toDate(row.expires_at),
    revokedAt: toDate(row.revoked_at),
    lastUsedAt: toDate(row.last_used_at),
    scopePermission: row.scope_permission ?? null,
    scopeResources: row.scope_resources === null || row.scope_resources === undefined ? [] : (JSON.parse(row.scope_resources) as string[]),
  };
}
