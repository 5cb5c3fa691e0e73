import { Code } from "@connectrpc/connect";
import { describe, expect, test } from "vitest";
import { encodePageToken } from "../../src/store/index.js";
import { DIALECTS, T0, dialectAvailable, expectConnectError, useTestStore } from "./dialects.js";

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`${dialect}: organization repository`, () => {
    const t = useTestStore(dialect);
    const orgs = () => t.store.organizations;

    test("create and get", async () => {
      const created = await orgs().create({ name: "acme", description: "Acme Corp" });
      expect(created).toEqual({ name: "acme", description: "Acme Corp", createdAt: new Date(T0) });
      expect(await orgs().get("acme")).toEqual(created);
      expect(await t.store.db.selectFrom("organizations").selectAll().execute()).toEqual([{ name: "acme", description: "Acme Corp", created_at: T0 }]);
    });

    test("refusals", async () => {
      await orgs().create({ name: "acme", description: "" });
      await expectConnectError(orgs().create({ name: "acme", description: "again" }), Code.AlreadyExists, 'organization "acme" already exists');
      await expectConnectError(orgs().get("nope"), Code.NotFound, 'organization "nope" not found');
      await expectConnectError(orgs().list({ pageSize: 1, pageToken: "x" }), Code.InvalidArgument, "invalid page token");
    });

    test("list by name with exact page tokens", async () => {
      for (const name of ["zeta", "Acme", "acme", "beta"]) await orgs().create({ name, description: "" });
      const p1 = await orgs().list({ pageSize: 3, pageToken: "" });
      expect(p1.items.map((o) => o.name)).toEqual(["Acme", "acme", "beta"]);
      expect(p1.nextPageToken).toBe(encodePageToken(["beta"]));
      const p2 = await orgs().list({ pageSize: 3, pageToken: p1.nextPageToken });
      expect(p2).toEqual({ items: [{ name: "zeta", description: "", createdAt: new Date(T0) }], nextPageToken: "" });
      expect(await orgs().list({ pageSize: 4, pageToken: "" })).toMatchObject({ nextPageToken: "" });
    });
  });
}
