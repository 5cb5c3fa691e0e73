/**
 * The version check of the change feed (see change-feed.ts): the last version of each topic this
 * process has seen, the subscribers to tell when it moves, and the shared `sync` query.
 */
import { sql, type Kysely } from "kysely";
import type { Database } from "./database.js";

/**
 * What can change under a cache. `access`: tokens, identities, grants, teams, org default permission.
 * `environments`: environments, revisions, revision tags (migration 0009).
 */
export type ChangeTopic = "access" | "environments";
export const CHANGE_TOPICS: readonly ChangeTopic[] = ["access", "environments"];

/** @private The shared core of both feeds. */
export interface VersionTracker {
  sync(): Promise<void>;
  subscribe(topic: ChangeTopic, listener: (topic: ChangeTopic) => void): () => void;
  /** A version learnt without a query (a notification): flushes the topic unless already seen. */
  learnt(topic: ChangeTopic, version: number): void;
  /** Anything may have changed (the listener was lost or is back): flushes every topic. */
  flushAll(): void;
}

function isTopic(s: string): s is ChangeTopic {
  return (CHANGE_TOPICS as readonly string[]).includes(s);
}

/** @private Parses a notification payload `<topic> <version>`; undefined when it is not one. */
export function parseChange(payload: string | undefined): { topic: ChangeTopic; version: number } | undefined {
  const m = /^([a-z-]+) (\d+)$/.exec(payload ?? "");
  if (m === null || !isTopic(m[1] as string)) return undefined;
  return { topic: m[1] as ChangeTopic, version: Number(m[2]) };
}

/** One committed version per topic. */
export interface TopicVersion {
  readonly topic: string;
  readonly version: number | string;
}

/** @private Reads the counters: one small query (bigint comes back as a string on some drivers). */
export async function readVersions(db: Kysely<Database>): Promise<readonly TopicVersion[]> {
  return (await sql<TopicVersion>`select topic, version from change_versions`.execute(db)).rows;
}

/** @private The tracker over a reader of the counters (`readVersions` on the store; a fake in tests). */
export function createVersionTracker(read: () => Promise<readonly TopicVersion[]>): VersionTracker {
  const seen = new Map<ChangeTopic, number>();
  const listeners = new Map<ChangeTopic, Set<(topic: ChangeTopic) => void>>();

  function tell(topic: ChangeTopic): void {
    for (const l of listeners.get(topic) ?? []) l(topic);
  }

  // Versions only grow (a rolled-back bump is never seen): a newer one means something committed.
  function observe(topic: ChangeTopic, version: number): void {
    const last = seen.get(topic);
    if (last !== undefined && version <= last) return;
    seen.set(topic, version);
    // The first reading is the baseline: caches filled before it started empty.
    if (last !== undefined) tell(topic);
  }

  async function readOnce(): Promise<void> {
    const rows = await read();
    for (const topic of CHANGE_TOPICS) {
      const row = rows.find((r) => r.topic === topic);
      // A counter row that is gone (deleted by hand) can vouch for nothing: every sync flushes.
      if (row === undefined) tell(topic);
      else observe(topic, Number(row.version));
    }
  }

  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  function start(): Promise<void> {
    const query: Promise<void> = readOnce().finally(() => {
      if (running === query) running = undefined;
    });
    running = query;
    return query;
  }
  function sync(): Promise<void> {
    if (running === undefined) return start();
    // The query on its way may have been sent before this caller's request began, so it cannot vouch
    // for writes the caller has already seen acknowledged: wait for the next one, shared by all waiters.
    // Any query started once this one has settled was sent after every waiter called: join it.
    queued ??= running
      .catch(() => undefined)
      .then(() => {
        queued = undefined;
        return running ?? start();
      });
    return queued;
  }

  return {
    sync,
    subscribe(topic, listener) {
      let set = listeners.get(topic);
      if (set === undefined) listeners.set(topic, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
    learnt: observe,
    flushAll() {
      for (const topic of CHANGE_TOPICS) tell(topic);
    },
  };
}
