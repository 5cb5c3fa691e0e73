/**
 * Envelope-encryption keys (migration 0002): wrapped data keys, at most one active per environment,
 * and key-check values per key-encryption-key version. The store only ever sees wrapped keys.
 */
import type { Kysely } from "kysely";
import type { Database } from "./database.js";
import { isUniqueViolation } from "./errors.js";
import type { RepositoryOptions } from "./repository-context.js";
import type { EnvironmentKey } from "./types.js";

/** The data_keys table. */
export interface DataKeysTable {
  id: string;
  org: string;
  project: string;
  environment: string;
  kek_provider: string;
  kek_version: number;
  wrapped: string;
  created_at: number;
  active: 0 | 1;
}

/** The key_checks table. */
export interface KeyChecksTable {
  kek_provider: string;
  kek_version: number;
  wrapped: string;
  created_at: number;
}

/** Where a wrapped key came from: the key provider's name and its key version. */
export interface WrappedKey {
  readonly provider: string;
  readonly keyVersion: number;
  /** Opaque text from the provider; never the raw key. */
  readonly wrapped: string;
}

/** One data key of one environment. */
export interface DataKeyRecord extends WrappedKey {
  readonly id: string;
  readonly environment: EnvironmentKey;
  readonly createdAt: Date;
  /** The key new ciphertext of the environment is sealed with. */
  readonly active: boolean;
}

/** A known value wrapped by one key version, proving later that the same key is in use. */
export interface KeyCheckRecord extends WrappedKey {
  readonly createdAt: Date;
}

/** Data keys and key checks. Methods never throw for a missing row: they return undefined/false. */
export interface KeyRepository {
  getDataKey(id: string): Promise<DataKeyRecord | undefined>;
  findActiveDataKey(environment: EnvironmentKey): Promise<DataKeyRecord | undefined>;
  /**
   * Inserts the environment's active data key. Returns false (nothing written) when the
   * environment already has one: another caller won the race, read it with findActiveDataKey.
   */
  insertActiveDataKey(input: { id: string; environment: EnvironmentKey } & WrappedKey): Promise<boolean>;
  /** Makes `input` the environment's active key; earlier keys stay for decrypting old ciphertext. */
  replaceActiveDataKey(input: { id: string; environment: EnvironmentKey } & WrappedKey): Promise<void>;
  /** Data keys ordered by id, after `afterId` (exclusive; "" for the start), at most `limit`. */
  listDataKeys(input: { afterId: string; limit: number }): Promise<readonly DataKeyRecord[]>;
  /** Replaces the wrapping of a key if it is still `expected`; false when someone changed it first. */
  rewrapDataKey(id: string, expected: WrappedKey, next: WrappedKey): Promise<boolean>;
  /** Distinct environments that have data keys, ordered by org, project, name. */
  listKeyedEnvironments(): Promise<readonly EnvironmentKey[]>;
  /** How many data keys each (provider, key version) wraps. */
  countDataKeysByVersion(): Promise<readonly { provider: string; keyVersion: number; count: number }[]>;
  /**
   * Deletes every data key of an environment; returns how many. Only for offline maintenance: a
   * running server may still hold the environment's active key in its cache and seal new values
   * with it, which would then never decrypt. Deleting an environment does not need it.
   */
  deleteDataKeys(environment: EnvironmentKey): Promise<number>;

  listKeyChecks(): Promise<readonly KeyCheckRecord[]>;
  /** Records a check value; false when (provider, version) already has one. */
  insertKeyCheck(check: WrappedKey): Promise<boolean>;
  deleteKeyCheck(provider: string, keyVersion: number): Promise<void>;
}

type KeyTables = { data_keys: DataKeysTable; key_checks: KeyChecksTable };

/** Creates the key repository over a kysely handle (the database or a transaction). */
export function createKeyRepository(db: Kysely<Database>, options: RepositoryOptions = {}): KeyRepository {
  const q = db.withTables<KeyTables>();
  const now = options.now ?? Date.now;
  const envWhere = (e: EnvironmentKey) => ({ org: e.org, project: e.project, environment: e.name });
  const row = (id: string, environment: EnvironmentKey, k: WrappedKey, active: 0 | 1): DataKeysTable => ({
    id,
    ...envWhere(environment),
    kek_provider: k.provider,
    kek_version: k.keyVersion,
    wrapped: k.wrapped,
    created_at: now(),
    active,
  });

  return {
    async getDataKey(id) {
      const r = await q.selectFrom("data_keys").selectAll().where("id", "=", id).executeTakeFirst();
      return r === undefined ? undefined : toDataKey(r);
    },
    async findActiveDataKey(e) {
      const r = await q
        .selectFrom("data_keys")
        .selectAll()
        .where("org", "=", e.org)
        .where("project", "=", e.project)
        .where("environment", "=", e.name)
        .where("active", "=", 1)
        .executeTakeFirst();
      return r === undefined ? undefined : toDataKey(r);
    },
    async insertActiveDataKey(input) {
      try {
        // A savepoint-free single statement: on Postgres a failed statement inside an outer
        // transaction would abort it, so callers insert outside transactions.
        await q.insertInto("data_keys").values(row(input.id, input.environment, input, 1)).execute();
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },
    async replaceActiveDataKey(input) {
      const run = async (trx: Kysely<Database & KeyTables>): Promise<void> => {
        await trx
          .updateTable("data_keys")
          .set({ active: 0 })
          .where("org", "=", input.environment.org)
          .where("project", "=", input.environment.project)
          .where("environment", "=", input.environment.name)
          .where("active", "=", 1)
          .execute();
        await trx.insertInto("data_keys").values(row(input.id, input.environment, input, 1)).execute();
      };
      if (q.isTransaction) await run(q);
      else await q.transaction().execute(run);
    },
    async listDataKeys({ afterId, limit }) {
      const rows = await q.selectFrom("data_keys").selectAll().where("id", ">", afterId).orderBy("id").limit(limit).execute();
      return rows.map(toDataKey);
    },
    async rewrapDataKey(id, expected, next) {
      const result = await q
        .updateTable("data_keys")
        .set({ kek_provider: next.provider, kek_version: next.keyVersion, wrapped: next.wrapped })
        .where("id", "=", id)
        .where("kek_provider", "=", expected.provider)
        .where("kek_version", "=", expected.keyVersion)
        .where("wrapped", "=", expected.wrapped)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async listKeyedEnvironments() {
      const rows = await q
        .selectFrom("data_keys")
        .select(["org", "project", "environment"])
        .distinct()
        .orderBy("org")
        .orderBy("project")
        .orderBy("environment")
        .execute();
      return rows.map((r) => ({ org: r.org, project: r.project, name: r.environment }));
    },
    async countDataKeysByVersion() {
      const rows = await q
        .selectFrom("data_keys")
        .select(["kek_provider", "kek_version", (eb) => eb.fn.countAll().as("count")])
        .groupBy(["kek_provider", "kek_version"])
        .orderBy("kek_provider")
        .orderBy("kek_version")
        .execute();
      return rows.map((r) => ({ provider: r.kek_provider, keyVersion: Number(r.kek_version), count: Number(r.count) }));
    },
    async deleteDataKeys(e) {
      const result = await q
        .deleteFrom("data_keys")
        .where("org", "=", e.org)
        .where("project", "=", e.project)
        .where("environment", "=", e.name)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async listKeyChecks() {
      const rows = await q.selectFrom("key_checks").selectAll().orderBy("kek_provider").orderBy("kek_version").execute();
      return rows.map((r) => ({
        provider: r.kek_provider,
        keyVersion: Number(r.kek_version),
        wrapped: r.wrapped,
        createdAt: new Date(Number(r.created_at)),
      }));
    },
    async insertKeyCheck(check) {
      try {
        await q
          .insertInto("key_checks")
          .values({ kek_provider: check.provider, kek_version: check.keyVersion, wrapped: check.wrapped, created_at: now() })
          .execute();
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },
    async deleteKeyCheck(provider, keyVersion) {
      await q.deleteFrom("key_checks").where("kek_provider", "=", provider).where("kek_version", "=", keyVersion).execute();
    },
  };
}

function toDataKey(r: DataKeysTable): DataKeyRecord {
  return {
    id: r.id,
    environment: { org: r.org, project: r.project, name: r.environment },
    provider: r.kek_provider,
    keyVersion: Number(r.kek_version),
    wrapped: r.wrapped,
    createdAt: new Date(Number(r.created_at)),
    active: Number(r.active) === 1,
  };
}
