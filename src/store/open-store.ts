/**
 * Opens the store: a kysely instance on the dialect the URL names, the repositories on it, and
 * transactions that hand the same repositories bound to one transaction.
 */
import { Kysely } from "kysely";
import type { AuditEventDraft } from "../audit/index.js";
import { createAuditRepository } from "./audit-repository.js";
import { createAuditThread, type AuditThread } from "./audit-thread.js";
import type { Database } from "./database.js";
import { createStoreDialect, type PoolStats, type StoreCapabilities, type StoreKind } from "./dialect.js";
import { createEnvironmentRepository } from "./environment-repository.js";
import { createIdentityRepository } from "./identity-repository.js";
import { createKeyRepository, type KeyRepository } from "./key-repository.js";
import { migrateToLatest, type MigrateResult } from "./migrate.js";
import { createOrganizationRepository } from "./organization-repository.js";
import { runTransaction } from "./transaction-hooks.js";
import type { EnvironmentRepository, IdentityRepository, OrganizationRepository } from "./repositories.js";

export interface OpenStoreOptions {
  /** `sqlite:PATH`, `file:PATH`, a plain path, `:memory:`, or `postgres://…` (see createStoreDialect). */
  readonly url: string;
  /** Postgres pool size. Default 10. */
  readonly poolSize?: number;
  /** Called when an idle Postgres connection fails; the pool reconnects. Default: ignore. */
  readonly onPoolError?: (err: Error) => void;
  /** The clock repositories stamp rows with, in milliseconds. Default `Date.now`. */
  readonly now?: () => number;
}

/** The repositories over one database (or, inside `transaction`, over one transaction). */
export interface Store {
  readonly kind: StoreKind;
  readonly capabilities: StoreCapabilities;
  /** The database URL without its password, for logs. */
  readonly displayUrl: string;
  readonly environments: EnvironmentRepository;
  readonly organizations: OrganizationRepository;
  readonly identities: IdentityRepository;
  /** Wrapped data keys and key checks (src/crypto). */
  readonly keys: KeyRepository;
  /**
   * The kysely handle these repositories run on (a Transaction inside `transaction`). For other
   * modules' repositories (audit, grants, …) that must join the same transaction.
   */
  readonly db: Kysely<Database>;
  /**
   * Runs `fn` in one transaction: every repository of the `tx` it receives runs inside it, and
   * it commits when `fn` resolves, rolls back when it throws. Nested calls join the outer one.
   */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  /** Applies pending migrations; failures are in the result, not thrown. */
  migrate(): Promise<MigrateResult>;
  /** Closes the database (waits for queries in flight). Idempotent. */
  close(): Promise<void>;
  /** The connection pool's counts (PostgreSQL); undefined for SQLite. For metrics. */
  poolStats(): PoolStats | undefined;
  /**
   * A number that moves whenever a transaction commits on the database, by any process (SQLite: the
   * reader's `PRAGMA data_version`): while it stays, nothing changed. Undefined where there is none
   * (PostgreSQL, `:memory:`) or before the first query.
   */
  changeStamp(): number | undefined;
  /**
   * Appends audit events of one chain in one transaction (group commit of concurrent calls' events;
   * inside `transaction`, in that one). On a SQLite file a thread of its own runs it on its own
   * connection, so its statements do not take the event loop's time (audit-thread.ts).
   */
  appendAuditBatch(chain: string, drafts: readonly AuditEventDraft[]): Promise<void>;
}

/** Opens the store at `url`. It does not migrate: call `migrate()` (the server does at start). */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const dialect = createStoreDialect(options.url, {
    ...(options.poolSize === undefined ? {} : { poolSize: options.poolSize }),
    ...(options.onPoolError === undefined ? {} : { onPoolError: options.onPoolError }),
  });
  const db = new Kysely<Database>({ dialect: dialect.dialect });
  const auditThread = dialect.sqliteFile === undefined ? undefined : createAuditThread(`sqlite:${dialect.sqliteFile}`);
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= (async () => {
      await auditThread?.close();
      await db.destroy();
    })());
  return bindStore(db, {
    ...dialect,
    now: options.now,
    close,
    poolStats: () => dialect.poolStats?.(),
    changeStamp: () => dialect.changeStamp?.(),
    ...(auditThread === undefined ? {} : { auditThread }),
  });
}

interface StoreParts {
  readonly capabilities: StoreCapabilities;
  readonly displayUrl: string;
  readonly now: (() => number) | undefined;
  readonly close: () => Promise<void>;
  readonly poolStats?: () => PoolStats | undefined;
  readonly changeStamp?: () => number | undefined;
  readonly auditThread?: AuditThread;
}

/** @private The Store over `db` (the database or a transaction). */
export function bindStore(db: Kysely<Database>, parts: StoreParts): Store {
  const options = { capabilities: parts.capabilities, ...(parts.now === undefined ? {} : { now: parts.now }) };
  const store: Store = {
    kind: parts.capabilities.kind,
    capabilities: parts.capabilities,
    displayUrl: parts.displayUrl,
    db,
    environments: createEnvironmentRepository(db, options),
    organizations: createOrganizationRepository(db, options),
    identities: createIdentityRepository(db, options),
    keys: createKeyRepository(db, options),
    transaction(fn) {
      if (db.isTransaction) return fn(store);
      return runTransaction(db, (trx) => fn(bindStore(trx, parts)));
    },
    migrate: () => migrateToLatest(db, parts.capabilities),
    close: parts.close,
    poolStats: () => parts.poolStats?.(),
    changeStamp: () => parts.changeStamp?.(),
    async appendAuditBatch(chain, drafts) {
      if (parts.auditThread !== undefined && !db.isTransaction) return parts.auditThread.appendBatch(chain, drafts);
      await createAuditRepository(db, parts.capabilities).appendBatch(chain, drafts);
    },
  };
  return store;
}
