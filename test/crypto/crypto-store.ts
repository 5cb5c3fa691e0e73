/**
 * Test helpers for the crypto suites: a store per dialect (test/store/dialects.ts) whose key tables
 * are emptied before each test too, and a fresh data directory for the local key file.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeEach } from "vitest";
import type { EnvironmentKey, Store } from "../../src/store/index.js";
import { useTestStore, type TestDialect, type TestStore } from "../store/dialects.js";

export interface CryptoTestStore extends TestStore {
  /** A new empty data directory (removed after the file). */
  dataDir(): string;
  /** Creates the org (once) and the environment with `definition` as revision 1. */
  createEnvironment(key: EnvironmentKey, definition: string): Promise<void>;
}

export function useCryptoStore(dialect: TestDialect): CryptoTestStore {
  const base = useTestStore(dialect);
  const dirs: string[] = [];
  beforeEach(async () => {
    await clearKeyTables(base.store);
  });
  afterAll(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return {
    get store() {
      return base.store;
    },
    get url() {
      return base.url;
    },
    clock: base.clock,
    dataDir() {
      const d = mkdtempSync(join(tmpdir(), "openesc-crypto-"));
      dirs.push(d);
      return join(d, "data");
    },
    async createEnvironment(key, definition) {
      const s = base.store;
      await s.organizations.create({ name: key.org, description: "" }).catch(() => undefined);
      await s.environments.create({ key, definition, author: "test" });
    },
  };
}

/** Empties data_keys and key_checks (not in TABLES_CHILDREN_FIRST). */
export async function clearKeyTables(store: Store): Promise<void> {
  await sql`delete from data_keys`.execute(store.db);
  await sql`delete from key_checks`.execute(store.db);
}

/** Every text value of every row of the tables, for "never stored in the clear" checks. */
export async function dumpTables(store: Store, tables: readonly string[]): Promise<string> {
  let out = "";
  for (const t of tables) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(t)}`.execute(store.db);
    out += JSON.stringify(rows.rows);
  }
  return out;
}
