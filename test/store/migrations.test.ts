import { sql } from "kysely";
import { afterEach, describe, expect, test } from "vitest";
import { MIGRATIONS, MIGRATION_TABLE, migrateDown, openStore, type Store } from "../../src/store/index.js";
import { DIALECTS, createTestLocation, dialectAvailable } from "./dialects.js";

// Every table the migrations create, sorted. A new migration adds its tables here.
const TABLES = ["audit_chains", "audit_events", "change_versions", "data_keys", "environment_tags", "environments", "grants", "identities", "key_checks", "oidc_signing_keys", "open_sessions", "org_access_settings", "organizations", "revision_tags", "revisions", "team_members", "teams", "tokens", "trust_policies"];

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`${dialect}: migrations`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const c of cleanups.splice(0).reverse()) await c();
    });

    async function fresh(): Promise<{ store: Store; url: string }> {
      const location = await createTestLocation(dialect);
      const store = await openStore({ url: location.url });
      cleanups.push(location.dispose, store.close);
      return { store, url: location.url };
    }

    async function tables(store: Store): Promise<string[]> {
      const all = await store.db.introspection.getTables();
      return all.map((x) => x.name).filter((n) => !n.startsWith("openesc_migrations")).sort();
    }

    test("migrate applies every migration once, then nothing", async () => {
      const { store, url } = await fresh();
      expect(await store.migrate()).toEqual({ applied: Object.keys(MIGRATIONS) });
      expect(await store.migrate()).toEqual({ applied: [] });
      expect(await tables(store)).toEqual(TABLES);
      const recorded = await store.db.selectFrom(sql.table(MIGRATION_TABLE).as("m")).select(sql<string>`name`.as("name")).execute();
      expect(recorded.map((r) => r.name)).toEqual(Object.keys(MIGRATIONS));
      // A second store on the same database (a restart, another replica) finds nothing to do.
      const again = await openStore({ url });
      cleanups.push(again.close);
      expect(await again.migrate()).toEqual({ applied: [] });
    });

    test("concurrent migrate calls apply each migration exactly once", async () => {
      const { store, url } = await fresh();
      if (dialect === "sqlite") {
        // One process serves a SQLite file; concurrent calls share its single connection.
        const results = await Promise.all([store.migrate(), store.migrate(), store.migrate()]);
        expect(results.flatMap((r) => r.applied)).toEqual(Object.keys(MIGRATIONS));
        return;
      }
      const others = await Promise.all([1, 2, 3].map(() => openStore({ url })));
      for (const o of others) cleanups.push(o.close);
      const results = await Promise.all([store, ...others].map((s) => s.migrate()));
      expect(results.every((r) => r.error === undefined)).toBe(true);
      expect(results.flatMap((r) => r.applied)).toEqual(Object.keys(MIGRATIONS));
    });

    test("down reverts, up re-applies", async () => {
      const { store } = await fresh();
      await store.migrate();
      // each migrateDown reverts the newest applied migration
      const reverted: string[] = [];
      for (let step = 0; step < Object.keys(MIGRATIONS).length; step++) {
        reverted.push(...(await migrateDown(store.db, store.capabilities)).applied);
      }
      expect(reverted).toEqual(Object.keys(MIGRATIONS).reverse());
      expect(await tables(store)).toEqual([]);
      expect(await store.migrate()).toEqual({ applied: Object.keys(MIGRATIONS) });
      expect(await tables(store)).toEqual(TABLES);
    });

    test("a failing migration is reported, not thrown", async () => {
      const { store } = await fresh();
      await store.db.schema.createTable("organizations").addColumn("x", "text").execute();
      const result = await store.migrate();
      expect(result.applied).toEqual([]);
      expect(result.error).toBeInstanceOf(Error);
    });

    test("times are stored as integer milliseconds and read back as numbers", async () => {
      const { store } = await fresh();
      await store.migrate();
      const big = Date.UTC(2200, 0, 1);
      await store.db.insertInto("organizations").values({ name: "acme", description: "", created_at: big }).execute();
      const row = await store.db.selectFrom("organizations").select("created_at").executeTakeFirstOrThrow();
      expect(row.created_at).toBe(big);
      const count = await store.db.selectFrom("organizations").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
      expect(count.n).toBe(1);
    });
  });
}
