/**
 * Cross-replica cache invalidation (issue 9 §1). Several replicas on one PostgreSQL each cache
 * token lookups and permission facts; a write through replica A must be visible through replica B
 * on B's NEXT request. How:
 *
 * - Publishing is done by the database: migration 0008 adds triggers that bump a per-topic version
 *   counter (`change_versions`) in the same transaction as every write that changes access, and on
 *   PostgreSQL send `pg_notify('openesc_changes', 'access <version>')`, delivered only on commit.
 *   Triggers instead of calls in each service, so no writer can forget (CLI admin commands, cascades).
 * - NOTIFY alone cannot give "next request": it is asynchronous, B's next request can arrive before B
 *   has read A's notification. So every request starts with `sync()`: one single-row primary-key
 *   SELECT of the counter, compared with the last version this process saw; a newer one flushes the
 *   subscribed caches before the request reads them. The counter is bumped under a row lock, so
 *   seeing version v means every write up to v has committed. Concurrent requests share one query
 *   (only one sent after they began counts). Measured in bench/RESULTS.md (`bench:invalidation`).
 * - The LISTEN connection (PostgreSQL; change-feed-postgres.ts) flushes the caches as soon as a
 *   change commits, between requests too, and its loss or return flushes everything: a
 *   notification missed while it was down can never leave a stale entry, and the per-request
 *   check keeps caches correct meanwhile. SQLite has no listener, only the same check, which sees the
 *   writes of every process on the file (the workers of `serve --workers`, the CLI's admin commands).
 * - On SQLite the check costs no query while `PRAGMA data_version` shows no commit since the last one
 *   (`changeStamp`; any connection, this process's writer and other processes included).
 * - The caches' TTLs stay as a backstop.
 */
import type { Kysely } from "kysely";
import type { Database } from "./database.js";
import { createPostgresListener, type PostgresListener } from "./change-feed-postgres.js";
import { createVersionTracker, readVersions, type TopicVersion } from "./change-feed-versions.js";
import type { ChangeTopic } from "./change-feed-versions.js";

export type { ChangeTopic } from "./change-feed-versions.js";
export { CHANGE_TOPICS } from "./change-feed-versions.js";

/** Called when cached data of a topic may be stale: drop it. */
export type ChangeListener = (topic: ChangeTopic) => void;

/** What one process knows about changes committed by every process. */
export interface ChangeFeed {
  /**
   * Learns every change committed before the call (one small query, shared by concurrent callers)
   * and tells the subscribers of each changed topic before it resolves. Await it at the start of a
   * request, before reading a cache.
   */
  sync(): Promise<void>;
  /** Calls `listener` whenever data of `topic` may have changed; returns the unsubscribe function. */
  subscribe(topic: ChangeTopic, listener: ChangeListener): () => void;
  /** `listening` (PostgreSQL, LISTEN connected), `reconnecting` (not yet connected, or lost and retrying), `local` (SQLite). */
  state(): ChangeFeedState;
  /** Stops listening (idempotent). `sync` keeps working on the store until the store closes. */
  close(): Promise<void>;
}

export type ChangeFeedState = "listening" | "reconnecting" | "local";

export interface ChangeFeedOptions {
  /** The store's kysely handle (not a transaction). */
  readonly db: Kysely<Database>;
  /** The database URL; a `postgres://` URL starts the LISTEN connection. */
  readonly url: string;
  /** Told when the listener connects or is lost (for logs). Never carries credentials. */
  readonly onState?: (state: ChangeFeedState, error?: Error) => void;
  /**
   * The store's change stamp (Store.changeStamp): while it has not moved, the versions have not either
   * and `sync` answers without a query. Default: none, a query every time.
   */
  readonly changeStamp?: () => number | undefined;
  /** Reconnect backoff of the listener: first delay and cap in ms. Default 100 and 5 000. */
  readonly reconnectMs?: { readonly min: number; readonly max: number };
}

/**
 * Creates the feed of the store at `url`: PostgreSQL listens, SQLite is local to this process. The
 * LISTEN connection opens at the first `sync` (the first request), so a server that fails to start
 * leaves no connection behind; until then nothing is cached, so nothing can be stale.
 */
export function createChangeFeed(options: ChangeFeedOptions): ChangeFeed {
  const read = () => readVersions(options.db);
  const tracker = createVersionTracker(options.changeStamp === undefined ? read : stampedReader(read, options.changeStamp));
  const postgres = /^postgres(ql)?:\/\//i.test(options.url);
  let listener: PostgresListener | undefined;
  let closed = false;
  return {
    sync() {
      if (postgres && listener === undefined && !closed) {
        listener = createPostgresListener({
          url: options.url,
          tracker,
          ...(options.onState === undefined ? {} : { onState: options.onState }),
          ...(options.reconnectMs === undefined ? {} : { reconnectMs: options.reconnectMs }),
        });
      }
      return tracker.sync();
    },
    subscribe: tracker.subscribe,
    state: () => (!postgres ? "local" : (listener?.state() ?? "reconnecting")),
    async close() {
      closed = true;
      await listener?.close();
    },
  };
}

/**
 * The versions again without a query while the stamp has not moved. The stamp is taken before the
 * query: a commit between the two moves it, so the next call reads again.
 */
function stampedReader(read: () => Promise<readonly TopicVersion[]>, stamp: () => number | undefined): () => Promise<readonly TopicVersion[]> {
  let last: { readonly stamp: number; readonly rows: Promise<readonly TopicVersion[]> } | undefined;
  return () => {
    const now = stamp();
    if (now !== undefined && last?.stamp === now) return last.rows;
    const rows = read();
    last = now === undefined ? undefined : { stamp: now, rows };
    // A failed read vouches for nothing.
    rows.catch(() => {
      if (last?.rows === rows) last = undefined;
    });
    return rows;
  };
}

