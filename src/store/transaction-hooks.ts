/**
 * A request-scoped hook that runs inside every top-level transaction before it commits, so that
 * work which must commit with a mutation — the RPC's audit event — joins the mutation's own
 * transaction: both commit, or neither does. The store knows nothing about audit; it only offers
 * the seam. The scope is an AsyncLocalStorage entered around the RPC handler, so repositories need
 * no extra parameter and a transaction opened outside any scope (startup, admin tools) is untouched.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Kysely } from "kysely";
import type { Database } from "./database.js";

/** What the transaction wrote that the hook may record (set by repositories through `noteRevision`). */
export interface TransactionFacts {
  /** The revision the transaction wrote (the last one, when it wrote several). */
  revision?: number;
}

export interface TransactionHook {
  /**
   * Called inside each top-level transaction of the scope after its work succeeded, before the
   * commit. Throwing rolls the transaction back and the error reaches the caller.
   */
  beforeCommit(trx: Kysely<Database>, facts: TransactionFacts): Promise<void>;
  /**
   * Called when that transaction has ended, with the same `facts` object `beforeCommit` received (if
   * it ran): `committed` false when it rolled back, whatever the reason, the hook's own failure included.
   */
  settled(committed: boolean, facts: TransactionFacts): void;
}

interface Scope {
  readonly hook: TransactionHook;
  /** The facts of the transaction in progress; undefined between transactions. */
  readonly facts?: TransactionFacts;
}

const scope = new AsyncLocalStorage<Scope>();

/** Runs `fn` with `hook` applying to every transaction it opens. */
export function withTransactionHook<T>(hook: TransactionHook, fn: () => T): T {
  return scope.run({ hook }, fn);
}

/** Opens a transaction on `db` (not already a transaction), running the scope's hook before commit. */
export function runTransaction<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  const current = scope.getStore();
  if (current === undefined) return db.transaction().execute(fn);
  const facts: TransactionFacts = {};
  const run = scope.run({ hook: current.hook, facts }, () =>
    db.transaction().execute(async (trx) => {
      const result = await fn(trx);
      await current.hook.beforeCommit(trx, facts);
      return result;
    }),
  );
  return run.then(
    (result) => {
      current.hook.settled(true, facts);
      return result;
    },
    (err: unknown) => {
      current.hook.settled(false, facts);
      throw err;
    },
  );
}

/** Records that the current transaction wrote revision `n` (a no-op outside a hooked transaction). */
export function noteRevision(n: number): void {
  const facts = scope.getStore()?.facts;
  if (facts !== undefined) facts.revision = n;
}
