/**
 * What every repository is built from: a kysely handle (the database or an open transaction),
 * the dialect's capability flags and a clock. A repository built on a Transaction runs every
 * method inside it; one built on the database opens a transaction per method that needs one.
 */
import type { Kysely } from "kysely";
import type { Database } from "./database.js";
import type { StoreCapabilities } from "./dialect.js";
import { runTransaction } from "./transaction-hooks.js";

export interface RepositoryOptions {
  /** The dialect's flags. Default: no row locks (repositories are race-free without them). */
  readonly capabilities?: Pick<StoreCapabilities, "supportsRowLocks">;
  /** The current time in milliseconds. Default `Date.now`. */
  readonly now?: () => number;
}

/** @private The normalised options, shared by the helper modules of a repository. */
export interface RepositoryContext {
  readonly db: Kysely<Database>;
  readonly rowLocks: boolean;
  readonly now: () => number;
}

/** @private */
export function createRepositoryContext(db: Kysely<Database>, options: RepositoryOptions = {}): RepositoryContext {
  return { db, rowLocks: options.capabilities?.supportsRowLocks ?? false, now: options.now ?? Date.now };
}

/** Runs `fn` in the transaction `db` already is, or in a new one (with the request's transaction hook). */
export function inTransaction<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : runTransaction(db, fn);
}

/** Bytewise string order (the order of the database's key columns). */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Date of a millisecond column. */
export function toDate(ms: number): Date;
export function toDate(ms: number | null): Date | null;
export function toDate(ms: number | null): Date | null {
  return ms === null ? null : new Date(Number(ms));
}
