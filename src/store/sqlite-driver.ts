/**
 * The SQLite side of the store: a kysely Dialect over better-sqlite3 with two connections to one
 * file — a writer for transactions and writes, and a reader for everything that only reads.
 *
 * kysely's own SqliteDriver has one connection behind a mutex, and a transaction holds it from BEGIN
 * to COMMIT across the awaits of the code inside it: every read of every other call in the process
 * waited for the slowest transaction (an update encrypting its secrets, an audit batch). In WAL mode a
 * second connection reads the last committed state without waiting, and better-sqlite3 runs a statement
 * to its end synchronously, so reads need no lock at all; only writers take turns.
 *
 * Other differences from kysely's driver:
 * - transactions are `BEGIN IMMEDIATE`, which takes the write lock up front so a read transaction never
 *   has to upgrade and fail with SQLITE_BUSY. When another process holds the lock (a worker of
 *   `serve --workers`, `openesc admin`) it is retried from the event loop, not in SQLite's busy handler,
 *   which would sleep on the thread and stall every call of this process for up to the whole timeout;
 * - a ROLLBACK after SQLite already rolled back by itself (SQLITE_FULL, SQLITE_IOERR) is skipped, so the
 *   real error reaches the caller instead of "no transaction is active";
 * - prepared statements are cached by SQL text (kysely prepares every query anew), which roughly halves
 *   the cost of the small queries repositories run.
 *
 * `:memory:` has no second connection (each would be its own database): everything runs on the writer,
 * one caller at a time, as kysely's driver does.
 */
import SqliteDatabase from "better-sqlite3";
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
} from "kysely";

export interface SqliteConnections {
  /** Runs transactions and every statement that writes. */
  readonly writer: SqliteDatabase.Database;
  /** Runs read-only statements outside transactions; undefined for `:memory:`. */
  readonly reader?: SqliteDatabase.Database;
}

export interface SqliteDialectOptions {
  /** Opens the connections (called once, on first use). */
  readonly open: () => SqliteConnections;
  /** How long a writer waits for another process's write lock before SQLITE_BUSY. Default 5000 ms. */
  readonly busyTimeoutMs?: number;
}

/** A kysely Dialect for SQLite with a reader and a writer connection (see the module comment). */
export function createSqliteDialect(options: SqliteDialectOptions): Dialect {
  return {
    createDriver: () => new SplitSqliteDriver(options),
    createQueryCompiler: (): QueryCompiler => new SqliteQueryCompiler(),
    createAdapter: () => new SqliteAdapter(),
    createIntrospector: (db: Kysely<unknown>) => new SqliteIntrospector(db),
  };
}

const STATEMENT_CACHE_SIZE = 500;

/** Prepared statements of one connection, by SQL text, least recently prepared out first. */
function createStatementCache(db: SqliteDatabase.Database): (sql: string) => SqliteDatabase.Statement {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return (sql) => {
    const cached = cache.get(sql);
    // A statement still iterating (a streamed query) cannot run twice at once.
    if (cached !== undefined && !cached.busy) return cached;
    const stmt = db.prepare(sql);
    if (cached === undefined) {
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      cache.set(sql, stmt);
    }
    return stmt;
  };
}

/** One caller at a time: the writer's turn. */
function createMutex(): { lock(): Promise<void>; unlock(): void } {
  let held = false;
  const waiting: (() => void)[] = [];
  return {
    lock: () => {
      if (!held) {
        held = true;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
    unlock: () => {
      const next = waiting.shift();
      if (next === undefined) held = false;
      else next(); // the lock passes straight to the next waiter
    },
  };
}

function run(stmt: SqliteDatabase.Statement, parameters: readonly unknown[]): QueryResult<unknown> {
  if (stmt.reader) return { rows: stmt.all(parameters) };
  const { changes, lastInsertRowid } = stmt.run(parameters);
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
}

const QUERY = /^\s*(select|with)\b/i;

const isBusy = (e: unknown): boolean => (e as { code?: unknown } | null)?.code === "SQLITE_BUSY";

class SplitSqliteDriver implements Driver {
  #options: SqliteDialectOptions;
  #connections: SqliteConnections | undefined;
  #writer!: (sql: string) => SqliteDatabase.Statement;
  #reader: ((sql: string) => SqliteDatabase.Statement) | undefined;
  /** Whether a statement only reads, by SQL text (asked once of SQLite). */
  #readonly = new Map<string, boolean>();
  #mutex = createMutex();

  constructor(options: SqliteDialectOptions) {
    this.#options = options;
  }

  async init(): Promise<void> {
    const connections = this.#options.open();
    this.#connections = connections;
    this.#writer = createStatementCache(connections.writer);
    if (connections.reader !== undefined) this.#reader = createStatementCache(connections.reader);
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    // Without a reader every caller takes the writer's turn for its whole use, as kysely's driver does.
    if (this.#reader === undefined) await this.#mutex.lock();
    return new SessionConnection(this, this.#reader === undefined);
  }

  async beginTransaction(connection: SessionConnection): Promise<void> {
    if (!connection.holdsWriter) {
      await this.#mutex.lock();
      connection.holdsWriter = true;
    }
    await this.beginImmediate();
    connection.inTransaction = true;
  }

  async commitTransaction(connection: SessionConnection): Promise<void> {
    this.#writer("commit").run();
    this.endTransaction(connection);
  }

  async rollbackTransaction(connection: SessionConnection): Promise<void> {
    try {
      // SQLite rolls a transaction back by itself on some errors (SQLITE_FULL, SQLITE_IOERR).
      if (this.#connections?.writer.inTransaction === true) this.#writer("rollback").run();
    } finally {
      this.endTransaction(connection);
    }
  }

  async savepoint(connection: SessionConnection, name: string): Promise<void> {
    await connection.executeQuery(savepointCommand("savepoint", name));
  }

  async rollbackToSavepoint(connection: SessionConnection, name: string): Promise<void> {
    await connection.executeQuery(savepointCommand("rollback to", name));
  }

  async releaseSavepoint(connection: SessionConnection, name: string): Promise<void> {
    await connection.executeQuery(savepointCommand("release", name));
  }

  async releaseConnection(connection: SessionConnection): Promise<void> {
    if (connection.holdsWriter) {
      connection.holdsWriter = false;
      this.#mutex.unlock();
    }
  }

  async destroy(): Promise<void> {
    this.#connections?.reader?.close();
    this.#connections?.writer.close();
  }

  /** @private Runs one statement for `connection` on the connection it belongs on. */
  async execute(connection: SessionConnection, query: CompiledQuery): Promise<QueryResult<unknown>> {
    if (connection.inTransaction || this.#reader === undefined) return run(this.#writer(query.sql), query.parameters);
    if (this.isReadonly(query.sql)) return run(this.#reader(query.sql), query.parameters);
    // Anything else outside a transaction (a write, DDL, a PRAGMA) runs on the writer in its turn, by
    // itself: SQLite makes it atomic, and a statement refused with SQLITE_BUSY did nothing, so it is
    // retried like BEGIN.
    await this.#mutex.lock();
    try {
      return await this.retryWhileBusy(() => run(this.#writer(query.sql), query.parameters));
    } finally {
      this.#mutex.unlock();
    }
  }

  /**
   * Queries (SELECT, or WITH … SELECT) that SQLite says do not write. Only queries: what SQLite says of
   * other statements depends on the schema when it was prepared (a `DROP TRIGGER IF EXISTS` of a
   * trigger not there yet writes nothing), and the answer is kept by SQL text.
   */
  private isReadonly(sql: string): boolean {
    let readonly = this.#readonly.get(sql);
    if (readonly === undefined) {
      readonly = QUERY.test(sql) && (this.#reader as (sql: string) => SqliteDatabase.Statement)(sql).readonly;
      if (this.#readonly.size >= STATEMENT_CACHE_SIZE * 4) this.#readonly.clear();
      this.#readonly.set(sql, readonly);
    }
    return readonly;
  }

  /** BEGIN IMMEDIATE on the writer, retried from the event loop while another process holds the lock. */
  private async beginImmediate(): Promise<void> {
    await this.retryWhileBusy(() => this.#writer("begin immediate").run());
  }

  /** Runs `fn` on the writer again while it fails with SQLITE_BUSY, up to the busy timeout. */
  private async retryWhileBusy<T>(fn: () => T): Promise<T> {
    const deadline = Date.now() + (this.#options.busyTimeoutMs ?? 5000);
    for (;;) {
      try {
        return fn();
      } catch (e) {
        if (!isBusy(e) || Date.now() >= deadline) throw e;
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  private endTransaction(connection: SessionConnection): void {
    connection.inTransaction = false;
  }
}

function savepointCommand(command: "savepoint" | "rollback to" | "release", name: string): CompiledQuery {
  return CompiledQuery.raw(`${command} "${name.replaceAll('"', '""')}"`);
}

/** What kysely holds between acquireConnection and releaseConnection. */
class SessionConnection implements DatabaseConnection {
  inTransaction = false;
  holdsWriter: boolean;
  readonly #driver: SplitSqliteDriver;

  constructor(driver: SplitSqliteDriver, holdsWriter: boolean) {
    this.#driver = driver;
    this.holdsWriter = holdsWriter;
  }

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.#driver.execute(this, query) as Promise<QueryResult<R>>;
  }

  /**
   * Rows one by one, but read in one go: better-sqlite3 refuses every other statement on a connection
   * while an iterator is open on it, and the reader is shared by all calls. (Nothing streams today.)
   */
  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const { rows } = await this.executeQuery<R>(query);
    for (const row of rows) yield { rows: [row] };
  }
}
