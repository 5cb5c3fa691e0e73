/**
 * Turns a database URL into a kysely Dialect plus the capability flags repositories and migrations
 * read instead of comparing dialect names.
 *
 * - `sqlite:PATH`, `sqlite://PATH`, `file:PATH`, a plain path or `:memory:` → SQLite (better-sqlite3)
 *   with journal_mode=WAL, foreign_keys=ON, synchronous=NORMAL, a writer and a reader connection
 *   (sqlite-driver.ts).
 * - `postgres://…` / `postgresql://…` → PostgreSQL through a pg Pool; int8 is parsed to number.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { PostgresDialect, type Dialect } from "kysely";
import pg from "pg";
import { createSqliteDialect } from "./sqlite-driver.js";

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
  /** See Store.changeStamp. */
  readonly changeStamp?: () => number | undefined;
  /** A SQLite database in a file (not `:memory:`): other threads can open it too. */
  readonly sqliteFile?: string;
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
  let dataVersion: SqliteDatabase.Statement | undefined;
  return {
    // PRAGMA data_version of the reader moves whenever another connection — this process's writer
    // included — commits: a few microseconds, against a query through kysely for the versions table.
    changeStamp: () => {
      try {
        return dataVersion?.get() as number | undefined;
      } catch {
        return undefined; // closed
      }
    },
    capabilities: { kind: "sqlite", supportsRowLocks: false, keyTextType: "text" },
    displayUrl: `sqlite:${path}`,
    ...(path === ":memory:" ? {} : { sqliteFile: path }),
    dialect: createSqliteDialect({
      busyTimeoutMs: BUSY_TIMEOUT_MS,
      open: () => {
        if (path === ":memory:") return { writer: openSqlite(path, "writer") };
        mkdirSync(dirname(path), { recursive: true });
        // The writer first: it switches a new file to WAL, which the reader needs to read beside it.
        const writer = openSqlite(path, "writer");
        const reader = openSqlite(path, "reader");
        dataVersion = reader.prepare("pragma data_version").pluck();
        return { writer, reader };
      },
    }),
  };
}

const BUSY_TIMEOUT_MS = 5000;

function openSqlite(path: string, role: "writer" | "reader"): SqliteDatabase.Database {
  const db = new SqliteDatabase(path);
  if (role === "writer") {
    db.pragma("journal_mode = WAL");
    // The writer waits for another process's lock from the event loop (sqlite-driver.ts), not in SQLite.
    db.pragma("busy_timeout = 0");
  } else {
    // A reader in WAL mode waits only in rare cases (a crashed writer's WAL being recovered).
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Anything that writes belongs on the writer: here it fails instead of taking the lock.
    db.pragma("query_only = ON");
  }
  db.pragma("foreign_keys = ON");
  db.pragma("synchronous = NORMAL");
  return db;
}

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
