/**
 * Runs the store's migrations with kysely's Migrator (which takes a lock, so several servers
 * starting at once on Postgres apply each migration once). Returns a result instead of throwing.
 */
import { Migrator, type Kysely, type Migration, type MigrationProvider } from "kysely";
import type { StoreCapabilities } from "./dialect.js";
import { MIGRATIONS, type StoreMigration } from "./migrations/index.js";

/** The table kysely records applied migrations in. */
export const MIGRATION_TABLE = "openesc_migrations";
export const MIGRATION_LOCK_TABLE = "openesc_migrations_lock";

export interface MigrateResult {
  /** Names applied (or reverted, for `migrateDown`) by this call, in order. */
  readonly applied: readonly string[];
  /** Set when a step failed; the steps before it stay applied. */
  readonly error?: Error;
}

/** A kysely Migrator over `migrations` (default: all of the store's). */
export function createStoreMigrator(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: Kysely<any>,
  caps: StoreCapabilities,
  migrations: Readonly<Record<string, StoreMigration>> = MIGRATIONS,
): Migrator {
  const provider: MigrationProvider = {
    getMigrations: async () => {
      const out: Record<string, Migration> = {};
      for (const [name, m] of Object.entries(migrations)) {
        out[name] = { up: (d) => m.up(d, caps), down: (d) => m.down(d, caps) };
      }
      return out;
    },
  };
  return new Migrator({ db, provider, migrationTableName: MIGRATION_TABLE, migrationLockTableName: MIGRATION_LOCK_TABLE });
}

/** Applies every pending migration. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrateToLatest(db: Kysely<any>, caps: StoreCapabilities): Promise<MigrateResult> {
  return toResult(await createStoreMigrator(db, caps).migrateToLatest());
}

/** Reverts the newest applied migration (for tests and operators). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrateDown(db: Kysely<any>, caps: StoreCapabilities): Promise<MigrateResult> {
  return toResult(await createStoreMigrator(db, caps).migrateDown());
}

function toResult(set: { error?: unknown; results?: readonly { migrationName: string; status: string }[] }): MigrateResult {
  const applied = (set.results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
  if (set.error === undefined) return { applied };
  const error = set.error instanceof Error ? set.error : new Error(String(set.error));
  return { applied, error };
}
