/**
 * Turns a database URL into a kysely Dialect plus the capability flags repositories and migrations
 * read instead of comparing dialect names.
 *
 * - `sqlite:PATH`, `sqlite://PATH`, `file:PATH`, a plain path or `:memory:` → SQLite (better-sqlite3)
 *   with journal_mode=WAL, busy_timeout=5000, foreign_keys=ON, synchronous=NORMAL.
 * - `postgres://…` / `postgresql://…` → PostgreSQL through a pg Pool; int8 is parsed to number.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { PostgresDialect, SqliteDialect, type Dialect, type SqliteDatabase as KyselySqliteDatabase } from "kysely";
import pg from "pg";

export type StoreKind = "sqlite" | "postgres";

/** What differs between dialects, as flags. */
export interface StoreCapabilities {
  readonly kind: StoreKind;
  /** `SELECT … FOR UPDATE` takes a row lock. (SQLite serialises whole transactions instead.) */
  readonly supportsRowLocks: boolean;
  /**
   * The column type of name columns that are ordered and paged: bytewise ordering on every
   * dialect, so listings have the same order whatever the server's locale.
   */
  readonly keyTextType: string;
}

export interface StoreDialect {
  readonly dialect: Dialect;
  readonly capabilities: StoreCapabilities;
  /** A URL for logs, without the password. */
  readonly displayUrl: string;
  /** Connection pool counts for metrics; undefined where there is no pool (SQLite) or before first use. */
  readonly poolStats?: () => PoolStats | undefined;
}

/** A connection pool's counts: open connections, idle ones, and callers waiting for one. */
export interface PoolStats {
  readonly total: number;
  readonly idle: number;
  readonly waiting: number;
}

export interface StoreDialectOptions {
  /** Postgres pool size. Default 10. */
  readonly poolSize?: number;
  /**
   * Called when an idle Postgres connection fails (server restart, network). The pool drops it
   * and the next query reconnects; without a listener such an error would crash the process.
   * Default: ignore.
   */
  readonly onPoolError?: (err: Error) => void;
}

const INT8_OID = 20;

/** Throws an Error naming the scheme when the URL is not SQLite or Postgres. */
export function createStoreDialect(url: string, options: StoreDialectOptions = {}): StoreDialect {
  if (/^postgres(ql)?:\/\//i.test(url)) return createPostgres(url, options.poolSize ?? 10, options.onPoolError ?? (() => {}));
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== "sqlite" && scheme !== "file" && url !== ":memory:") {
    throw new Error(`unsupported database url scheme "${scheme}:" (use sqlite:PATH or postgres://…)`);
  }
  return createSqlite(sqlitePath(url));
}

/** The file path of a SQLite URL (`:memory:` for an in-memory database). */
export function sqlitePath(url: string): string {
  for (const prefix of ["sqlite://", "sqlite:", "file://", "file:"]) {
    if (url.toLowerCase().startsWith(prefix)) return url.slice(prefix.length);
  }
  return url;
}

function createSqlite(path: string): StoreDialect {
  if (path === "") throw new Error("the sqlite database path is empty");
  return {
    capabilities: { kind: "sqlite", supportsRowLocks: false, keyTextType: "text" },
    displayUrl: `sqlite:${path}`,
    dialect: new SqliteDialect({
      database: async () => {
        if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
        const db = new SqliteDatabase(path);
        db.pragma("journal_mode = WAL");
        db.pragma("busy_timeout = 5000");
        db.pragma("foreign_keys = ON");
        db.pragma("synchronous = NORMAL");
        return adaptSqlite(db);
      },
    }),
  };
}

/**
 * Adapts better-sqlite3 for kysely with three changes:
 * - transactions are `BEGIN IMMEDIATE`: they take the write lock up front, so a second process on
 *   the same file (e.g. `openesc admin` beside the server) waits out busy_timeout instead of failing
 *   with SQLITE_BUSY when a read transaction turns into a write one. (Within one process kysely
 *   already runs transactions one at a time on its single connection.)
 * - a ROLLBACK after SQLite already rolled back by itself is skipped (see below);
 * - prepared statements are cached by SQL text (kysely prepares every query anew), which roughly
 *   halves the cost of the small queries repositories run.
 */
function adaptSqlite(db: SqliteDatabase.Database): KyselySqliteDatabase {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => {
      cache.clear();
      db.close();
    },
    prepare: (text: string) => {
      if (text.trim().toLowerCase() === "begin") return db.prepare("begin immediate");
      // SQLite rolls a transaction back by itself on some errors (SQLITE_FULL, SQLITE_IOERR): kysely's
      // ROLLBACK would then fail and replace the real error, so it becomes a no-op.
      if (text.trim().toLowerCase() === "rollback" && !db.inTransaction) return db.prepare("select 1");
      const cached = cache.get(text);
      // A statement still iterating (a streamed query) cannot run twice at once.
      if (cached !== undefined && !cached.busy) return cached;
      const stmt = db.prepare(text);
      if (cached === undefined) {
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
        cache.set(text, stmt);
      }
      return stmt;
    },
  };
}

const STATEMENT_CACHE_SIZE = 500;

function createPostgres(url: string, poolSize: number, onPoolError: (err: Error) => void): StoreDialect {
  const display = new URL(url);
  if (display.password !== "") display.password = "***";
  let created: pg.Pool | undefined;
  return {
    capabilities: { kind: "postgres", supportsRowLocks: true, keyTextType: 'text collate "C"' },
    displayUrl: display.toString(),
    poolStats: () => (created === undefined ? undefined : { total: created.totalCount, idle: created.idleCount, waiting: created.waitingCount }),
    dialect: new PostgresDialect({
      pool: async () => {
        const pool = new pg.Pool({
          connectionString: url,
          max: poolSize,
          types: {
            getTypeParser: ((oid: number, format?: "text" | "binary") =>
              oid === INT8_OID && format !== "binary"
                ? (value: string) => Number(value)
                : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
          },
        });
        pool.on("error", onPoolError);
        // A connection the server ends while kysely holds it (between the statements of a transaction)
        // emits 'error' on the client, outside the pool's idle listener: unhandled, that would crash the
        // process. The statement in flight fails on its own; the pool drops the dead client on release.
        pool.on("connect", (client) => client.on("error", onPoolError));
        created = pool;
        return pool;
      },
    }),
  };
}
