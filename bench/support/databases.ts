/**
 * The databases an in-process benchmark runs on: a SQLite file, and a throwaway PostgreSQL database
 * when PostgreSQL can run here (the test suite's, or a cluster started for the run). Each gets a
 * migrated store; everything is removed afterwards.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore, type Store } from "../../src/store/index.js";
import { createTestDatabase, startTestPostgres, testPostgresUrl } from "../../test/support/postgres.js";

export interface BenchDatabase {
  readonly name: "SQLite" | "PostgreSQL";
  readonly url: string;
  readonly store: Store;
}

export async function withBenchDatabases(prefix: string, run: (target: BenchDatabase) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `openesc-bench-${prefix}-`));
  let pgStop: (() => Promise<void>) | undefined;
  try {
    const targets: { name: BenchDatabase["name"]; url: string; drop?: () => Promise<void> }[] = [{ name: "SQLite", url: `sqlite:${join(dir, "bench.db")}` }];
    let pgUrl = testPostgresUrl();
    if (pgUrl === undefined) {
      const pg = await startTestPostgres();
      if (pg !== undefined) {
        pgUrl = pg.url;
        pgStop = pg.stop;
      }
    }
    if (pgUrl !== undefined) {
      const db = await createTestDatabase(pgUrl);
      targets.push({ name: "PostgreSQL", url: db.url, drop: db.drop });
    }
    for (const target of targets) {
      const store = await openStore({ url: target.url });
      try {
        const migrated = await store.migrate();
        if (migrated.error !== undefined) throw migrated.error;
        await run({ name: target.name, url: target.url, store });
      } finally {
        await store.close();
        await target.drop?.();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await pgStop?.();
  }
}
