// The compiled-query cache on both dialects: a query is built and compiled once per dialect and
// shape, each call binds its own values, and the rows are those the builder's query returns.
import { sql, type Kysely } from "kysely";
import { beforeEach, describe, expect, test } from "vitest";
import { dialectAvailable, DIALECTS, useTestStore } from "../../test/store/dialects.js";
import { createQueryTemplate, firstRow } from "./compiled-query-cache.js";
import type { Database } from "./database.js";

/** A template over organizations that counts how often its query is built. */
function counted() {
  let builds = 0;
  const template = createQueryTemplate((db: Kysely<Database>, p: { name: string }) => {
    builds++;
    return db.selectFrom("organizations").select(["name", "description"]).where("name", "=", p.name);
  });
  return { template, builds: () => builds };
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`${dialect}: compiled query cache`, () => {
    const t = useTestStore(dialect);
    const db = () => t.store.db;
    const mark = dialect === "sqlite" ? ["?", "?", "?"] : ["$1", "$2", "$3"];

    beforeEach(async () => {
      for (const [name, description] of [["acme", "A"], ["beta", "B"], ["gamma", "C"]] as const) {
        await t.store.organizations.create({ name, description });
      }
    });

    test("compiles once: the same SQL text for every call, each call's own parameters and rows", async () => {
      const { template, builds } = counted();
      const first = template.compile(db(), { name: "acme" });
      const second = template.compile(db(), { name: "beta" });
      expect(first.sql).toBe(`select "name", "description" from "organizations" where "name" = ${mark[0]}`);
      expect(second.sql).toBe(first.sql);
      expect([first.parameters, second.parameters]).toEqual([["acme"], ["beta"]]);
      expect((await template.execute(db(), { name: "beta" })).rows).toEqual([{ name: "beta", description: "B" }]);
      expect((await template.execute(db(), { name: "gamma" })).rows).toEqual([{ name: "gamma", description: "C" }]);
      expect((await template.execute(db(), { name: "nobody" })).rows).toEqual([]);
      expect(builds()).toBe(1);
    });

    test("the SQL is the builder's own for this dialect", async () => {
      const template = createQueryTemplate((q: Kysely<Database>, p: { name: string; limit: number }) =>
        q.selectFrom("organizations").select("name").where("name", ">", p.name).orderBy("name").limit(p.limit),
      );
      const builder = db().selectFrom("organizations").select("name").where("name", ">", "acme").orderBy("name").limit(1).compile();
      const compiled = template.compile(db(), { name: "acme", limit: 1 });
      expect({ sql: compiled.sql, parameters: compiled.parameters }).toEqual({ sql: builder.sql, parameters: ["acme", 1] });
      expect((await template.execute(db(), { name: "acme", limit: 1 })).rows).toEqual([{ name: "beta" }]);
    });

    test("undefined values and array lengths choose the shape; each shape is compiled once", async () => {
      let builds = 0;
      const template = createQueryTemplate((q: Kysely<Database>, p: { names: readonly string[]; description: string | undefined }) => {
        builds++;
        let query = q.selectFrom("organizations").select("name").where("name", "in", p.names);
        if (p.description !== undefined) query = query.where("description", "=", p.description);
        return query.orderBy("name");
      });
      const names = (args: { names: readonly string[]; description: string | undefined }) => template.execute(db(), args).then((r) => r.rows.map((row) => row.name));
      expect(await names({ names: ["acme"], description: undefined })).toEqual(["acme"]);
      expect(await names({ names: ["gamma", "acme", "beta"], description: undefined })).toEqual(["acme", "beta", "gamma"]);
      expect(await names({ names: ["gamma", "acme", "beta"], description: "B" })).toEqual(["beta"]);
      expect(await names({ names: ["beta", "gamma", "nobody"], description: undefined })).toEqual(["beta", "gamma"]);
      expect(await names({ names: ["gamma"], description: undefined })).toEqual(["gamma"]);
      expect(builds).toBe(3);
      expect(template.compile(db(), { names: ["a", "b", "c"], description: "d" })).toMatchObject({
        sql: `select "name" from "organizations" where "name" in (${mark.join(", ")}) and "description" = ${dialect === "sqlite" ? "?" : "$4"} order by "name"`,
        parameters: ["a", "b", "c", "d"],
      });
    });

    test("a value written into the query is kept as a constant parameter", async () => {
      const template = createQueryTemplate((q: Kysely<Database>, p: { name: string }) =>
        q.selectFrom("organizations").select("name").where("description", "=", "A").where("name", "=", p.name),
      );
      expect(template.compile(db(), { name: "acme" }).parameters).toEqual(["A", "acme"]);
      expect(template.compile(db(), { name: "beta" }).parameters).toEqual(["A", "beta"]);
      expect((await template.execute(db(), { name: "acme" })).rows).toEqual([{ name: "acme" }]);
      expect((await template.execute(db(), { name: "beta" })).rows).toEqual([]);
    });

    test("sql templates work the same way", async () => {
      const template = createQueryTemplate((q: Kysely<Database>, p: { name: string }) => sql<{ n: number }>`SELECT ${sql.lit(7)} AS n FROM organizations WHERE name = ${p.name}`);
      expect(template.compile(db(), { name: "acme" })).toMatchObject({ sql: `SELECT 7 AS n FROM organizations WHERE name = ${mark[0]}`, parameters: ["acme"] });
      expect((await template.execute(db(), { name: "acme" })).rows.map((r) => Number(r.n))).toEqual([7]);
    });

    test("a transaction uses the database's compiled query, and sees its own writes", async () => {
      const { template, builds } = counted();
      await template.execute(db(), { name: "acme" });
      const inside = await db()
        .transaction()
        .execute(async (trx) => {
          await trx.insertInto("organizations").values({ name: "delta", description: "D", created_at: 0 }).execute();
          return (await template.execute(trx, { name: "delta" })).rows;
        });
      expect(inside).toEqual([{ name: "delta", description: "D" }]);
      expect(builds()).toBe(1);
    });

    test("a handle with plugins gets the query built per call, so that the plugins see it", async () => {
      const { template, builds } = counted();
      let seen = 0;
      const withPlugin = db().withPlugin({
        transformQuery: (args) => {
          seen++;
          return args.node;
        },
        transformResult: async (args) => args.result,
      });
      await template.execute(withPlugin, { name: "acme" });
      const { rows } = await template.execute(withPlugin, { name: "beta" });
      expect({ rows, builds: builds(), seen }).toEqual({ rows: [{ name: "beta", description: "B" }], builds: 2, seen: 2 });
    });

    test("firstRow returns the first row, or throws the given error when there is none", async () => {
      const { template } = counted();
      expect(firstRow(await template.execute(db(), { name: "acme" }), () => new Error("none"))).toEqual({ name: "acme", description: "A" });
      const missing = await template.execute(db(), { name: "nobody" });
      expect(() => firstRow(missing, () => new Error("no organization nobody"))).toThrow("no organization nobody");
    });
  });
}
