/**
 * OIDC signing keys (migration 0004): one active key signs new tokens, retired keys are kept so the
 * JWKS can still list them during their grace period. The store only sees the sealed private key.
 */
import type { Kysely } from "kysely";
import type { Database } from "./database.js";
import { isUniqueViolation } from "./errors.js";

/** The oidc_signing_keys table. Times in epoch milliseconds. */
export interface OidcSigningKeysTable {
  kid: string;
  algorithm: string;
  public_jwk: string;
  private_sealed: string;
  created_at: number;
  retired_at: number | null;
  active: 0 | 1;
}

/** One signing key. */
export interface OidcKeyRecord {
  /** The JWK key id, also the `kid` header of the tokens it signs. */
  readonly kid: string;
  /** The JWS algorithm, e.g. `RS256`. */
  readonly algorithm: string;
  /** The public JWK as JSON text. */
  readonly publicJwk: string;
  /** The private key sealed by the crypto module; opaque to the store. */
  readonly privateSealed: Uint8Array;
  readonly createdAt: Date;
  /** When a newer key replaced it; undefined while it is active. */
  readonly retiredAt?: Date;
  readonly active: boolean;
}

export type NewOidcKey = Omit<OidcKeyRecord, "retiredAt" | "active">;

/** Signing keys shared by every replica. */
export interface OidcKeyRepository {
  /** Every key: the active one first, then the newest retired (the caller drops those past their grace period). */
  list(): Promise<readonly OidcKeyRecord[]>;
  /** The active key, or undefined before the first one is created. */
  findActive(): Promise<OidcKeyRecord | undefined>;
  /** Inserts the first active key; false (nothing written) when another process created one first. */
  insertFirst(key: NewOidcKey): Promise<boolean>;
  /** Retires the active key (at `key.createdAt`) and makes `key` the active one, in one transaction. */
  rotate(key: NewOidcKey): Promise<void>;
}

type Tables = { oidc_signing_keys: OidcSigningKeysTable };

/** Creates the repository over the database handle (it opens its own transaction for `rotate`). */
export function createOidcKeyRepository(db: Kysely<Database>): OidcKeyRepository {
  const q = db.withTables<Tables>();
  const row = (k: NewOidcKey, active: 0 | 1): OidcSigningKeysTable => ({
    kid: k.kid,
    algorithm: k.algorithm,
    public_jwk: k.publicJwk,
    private_sealed: Buffer.from(k.privateSealed).toString("base64"),
    created_at: k.createdAt.getTime(),
    retired_at: null,
    active,
  });
  return {
    async list() {
      const rows = await q.selectFrom("oidc_signing_keys").selectAll().orderBy("active", "desc").orderBy("created_at", "desc").orderBy("kid").execute();
      return rows.map(toRecord);
    },
    async findActive() {
      const r = await q.selectFrom("oidc_signing_keys").selectAll().where("active", "=", 1).executeTakeFirst();
      return r === undefined ? undefined : toRecord(r);
    },
    async insertFirst(key) {
      try {
        await q.insertInto("oidc_signing_keys").values(row(key, 1)).execute();
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },
    async rotate(key) {
      await q.transaction().execute(async (trx) => {
        await trx.updateTable("oidc_signing_keys").set({ active: 0, retired_at: key.createdAt.getTime() }).where("active", "=", 1).execute();
        await trx.insertInto("oidc_signing_keys").values(row(key, 1)).execute();
      });
    },
  };
}

function toRecord(r: OidcSigningKeysTable): OidcKeyRecord {
  return {
    kid: r.kid,
    algorithm: r.algorithm,
    publicJwk: r.public_jwk,
    privateSealed: new Uint8Array(Buffer.from(r.private_sealed, "base64")),
    createdAt: new Date(Number(r.created_at)),
    ...(r.retired_at === null ? {} : { retiredAt: new Date(Number(r.retired_at)) }),
    active: Number(r.active) === 1,
  };
}
