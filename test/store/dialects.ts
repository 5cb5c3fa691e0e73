/**
 * The dialects every store suite runs against: SQLite always (a file in a temp dir), Postgres
 * when the global setup found or started a server (`OPENESC_TEST_POSTGRES_URL`); otherwise the
 * Postgres suites show as skipped. `useTestStore` gives each test file its own database, migrated
 * once, with every table emptied and the clock reset before each test.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConnectError, type Code } from "@connectrpc/connect";
import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import { openStore, TABLES_CHILDREN_FIRST, type Store } from "../../src/store/index.js";
import { createTestDatabase, testPostgresUrl } from "../support/postgres.js";

export type TestDialect = "sqlite" | "postgres";

export const DIALECTS: readonly TestDialect[] = ["sqlite", "postgres"];

/** False for Postgres when no server is available: use with `describe.skipIf(!…)`. */
export function dialectAvailable(dialect: TestDialect): boolean {
  return dialect === "sqlite" || testPostgresUrl() !== undefined;
}

/** The fixed start of the test clock: 2026-01-01T00:00:00.000Z. */
export const T0 = Date.UTC(2026, 0, 1);

/** A clock that moves only when told. */
export interface TestClock {
  now(): number;
  /** Moves the clock forward and returns the new time. Default 1 s. */
  advance(ms?: number): number;
  at(ms: number): Date;
}

export interface TestStore {
  /** The store of the current file (valid inside tests and hooks). */
  readonly store: Store;
  readonly clock: TestClock;
  /** A URL of the same database, for opening a second store on it. */
  readonly url: string;
}

/** A location for a fresh database of `dialect`; `dispose` deletes it. */
export async function createTestLocation(dialect: TestDialect): Promise<{ url: string; dispose(): Promise<void> }> {
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "openesc-sqlite-"));
    return { url: `sqlite:${join(dir, "openesc.db")}`, dispose: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const db = await createTestDatabase();
  return { url: db.url, dispose: () => db.drop() };
}

/** Registers hooks that open, migrate, reset and close a store for the enclosing describe. */
export function useTestStore(dialect: TestDialect, options: { poolSize?: number } = {}): TestStore {
  let time = T0;
  const clock: TestClock = {
    now: () => time,
    advance: (ms = 1000) => (time += ms),
    at: (ms) => new Date(ms),
  };
  let store: Store | undefined;
  let location: { url: string; dispose(): Promise<void> } | undefined;

  beforeAll(async () => {
    location = await createTestLocation(dialect);
    store = await openStore({ url: location.url, now: clock.now, ...options });
    const result = await store.migrate();
    expect(result.error).toBeUndefined();
  });
  beforeEach(async () => {
    time = T0;
    await resetTables(current());
  });
  afterAll(async () => {
    await store?.close();
    await location?.dispose();
  });

  function current(): Store {
    if (store === undefined) throw new Error("the test store is not open yet");
    return store;
  }
  return {
    get store() {
      return current();
    },
    get url() {
      if (location === undefined) throw new Error("the test store is not open yet");
      return location.url;
    },
    clock,
  };
}

/** Empties every table (children first). */
export async function resetTables(store: Store): Promise<void> {
  for (const table of TABLES_CHILDREN_FIRST) await store.db.deleteFrom(table).execute();
}

/** Asserts that `promise` rejects with a ConnectError of `code` and exactly `message`. */
export async function expectConnectError(promise: Promise<unknown>, code: Code, message: string): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected ${message}`).toBeInstanceOf(ConnectError);
  const ce = err as ConnectError;
  expect({ code: ce.code, message: ce.rawMessage }).toEqual({ code, message });
}
