/**
 * The LISTEN side of the change feed on PostgreSQL: one dedicated connection per process (outside the
 * pool, which recycles connections), `LISTEN openesc_changes`, reconnecting with exponential backoff
 * when it is lost. Losing it and getting it back both flush every cache: a notification sent while
 * it was down is lost for good. Correctness never rests on this connection (the per-request version
 * check does, see change-feed.ts); it makes other replicas drop stale entries as soon as a change commits.
 */
import pg from "pg";
import { parseChange, type VersionTracker } from "./change-feed-versions.js";

/** The channel the triggers of migration 0008 notify. */
export const CHANGE_CHANNEL = "openesc_changes";
/** The listener's `application_name`, to find it in `pg_stat_activity`. */
export const LISTENER_APPLICATION_NAME = "openesc-change-feed";

export interface PostgresListenerOptions {
  readonly url: string;
  readonly tracker: VersionTracker;
  readonly onState?: (state: "listening" | "reconnecting", error?: Error) => void;
  readonly reconnectMs?: { readonly min: number; readonly max: number };
}

export interface PostgresListener {
  state(): "listening" | "reconnecting";
  close(): Promise<void>;
}

/** Starts listening at once (in the background; failures are retried, never thrown). */
export function createPostgresListener(options: PostgresListenerOptions): PostgresListener {
  const min = options.reconnectMs?.min ?? 100;
  const max = options.reconnectMs?.max ?? 5_000;
  let state: "listening" | "reconnecting" = "reconnecting";
  let client: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  let delay = min;
  let closed = false;

  function lost(c: pg.Client, error?: Error): void {
    if (client !== c) return;
    client = undefined;
    c.removeAllListeners("notification");
    c.on("error", () => undefined);
    void c.end().catch(() => undefined);
    if (closed) return;
    state = "reconnecting";
    // Whatever was sent while the connection was down is gone: nothing cached may be trusted.
    options.tracker.flushAll();
    options.onState?.("reconnecting", error);
    timer = setTimeout(connect, delay);
    timer.unref();
    delay = Math.min(delay * 2, max);
  }

  function connect(): void {
    timer = undefined;
    if (closed) return;
    const c = new pg.Client({ connectionString: options.url, application_name: LISTENER_APPLICATION_NAME });
    client = c;
    c.on("notification", (msg) => {
      if (msg.channel !== CHANGE_CHANNEL) return;
      const change = parseChange(msg.payload);
      // An unreadable payload still means something changed.
      if (change === undefined) options.tracker.flushAll();
      else options.tracker.learnt(change.topic, change.version);
    });
    c.on("error", (err: Error) => lost(c, err));
    c.on("end", () => lost(c));
    c.connect()
      .then(() => c.query(`LISTEN ${CHANGE_CHANNEL}`))
      .then(
        () => {
          if (client !== c) return;
          state = "listening";
          delay = min;
          // Changes committed before LISTEN took effect were never notified to this connection.
          options.tracker.flushAll();
          options.onState?.("listening");
        },
        (err: unknown) => lost(c, err instanceof Error ? err : new Error(String(err))),
      );
  }

  connect();
  return {
    state: () => state,
    async close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      const c = client;
      client = undefined;
      if (c !== undefined) {
        c.on("error", () => undefined);
        // A database that stopped answering must not hold up the shutdown.
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([c.end().catch(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, 1_000)))]);
        clearTimeout(timer);
      }
    },
  };
}
