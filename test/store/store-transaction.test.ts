import { Code, ConnectError } from "@connectrpc/connect";
import { beforeEach, describe, expect, test } from "vitest";
import { createEnvironmentRepository, createOrganizationRepository, type EnvironmentKey } from "../../src/store/index.js";
import { DIALECTS, dialectAvailable, expectConnectError, useTestStore } from "./dialects.js";

const DEV: EnvironmentKey = { org: "acme", project: "payments", name: "dev" };

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`${dialect}: store transactions`, () => {
    const t = useTestStore(dialect);

    beforeEach(async () => {
      await t.store.organizations.create({ name: "acme", description: "" });
    });

    test("kind and capabilities name the dialect", () => {
      expect(t.store.kind).toBe(dialect);
      expect(t.store.capabilities.kind).toBe(dialect);
      expect(t.store.displayUrl.startsWith(dialect === "sqlite" ? "sqlite:" : "postgres://")).toBe(true);
    });

    test("commits every repository's writes together", async () => {
      const result = await t.store.transaction(async (tx) => {
        await tx.organizations.create({ name: "beta", description: "" });
        await tx.environments.create({ key: { ...DEV, org: "beta" }, definition: "a: 1\n", author: "x" });
        await tx.identities.createIdentity({ org: "beta", login: "bob", kind: "user", role: "member" });
        return "done";
      });
      expect(result).toBe("done");
      expect((await t.store.environments.get({ ...DEV, org: "beta" })).latestRevision).toBe(1);
      expect(await t.store.identities.countIdentities()).toBe(1);
    });

    test("rolls everything back when the function throws", async () => {
      await t.store.environments.create({ key: DEV, definition: "a: 1\n", author: "x" });
      const boom = new Error("audit write failed");
      await expect(
        t.store.transaction(async (tx) => {
          await tx.environments.update({ key: DEV, definition: "a: 2\n", baseRevision: 1, author: "x" });
          await tx.environments.setTag(DEV, { name: "team", value: "t", editor: "x" });
          await tx.organizations.create({ name: "beta", description: "" });
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(await t.store.environments.get(DEV)).toMatchObject({ latestRevision: 1, tags: {} });
      expect((await t.store.organizations.list({ pageSize: 10, pageToken: "" })).items.map((o) => o.name)).toEqual(["acme"]);
    });

    test("sees its own writes; nested transactions join the outer one", async () => {
      await t.store.transaction(async (tx) => {
        await tx.environments.create({ key: DEV, definition: "a: 1\n", author: "x" });
        expect((await tx.environments.get(DEV)).latestRevision).toBe(1);
        await tx.transaction(async (inner) => {
          expect(inner).toBe(tx);
          await inner.environments.update({ key: DEV, definition: "a: 2\n", baseRevision: 1, author: "x" });
        });
        expect((await tx.environments.get(DEV)).latestRevision).toBe(2);
      });
      expect((await t.store.environments.get(DEV)).latestRevision).toBe(2);
    });

    test("a refusal caught inside a transaction leaves it usable", async () => {
      await t.store.environments.create({ key: DEV, definition: "a: 1\n", author: "x" });
      await t.store.transaction(async (tx) => {
        const refused = await tx.environments.create({ key: DEV, definition: "b\n", author: "x" }).catch((e: unknown) => e);
        expect(refused).toBeInstanceOf(ConnectError);
        const stale = await tx.environments.update({ key: DEV, definition: "b\n", baseRevision: 7, author: "x" }).catch((e: unknown) => e);
        expect((stale as ConnectError).code).toBe(Code.Aborted);
        await tx.environments.update({ key: DEV, definition: "c: 1\n", baseRevision: 1, author: "x" });
      });
      expect((await t.store.environments.getRevision(DEV, 2)).definition).toBe("c: 1\n");
    });

    test("repositories built on a kysely transaction run inside it", async () => {
      await expect(
        t.store.db.transaction().execute(async (trx) => {
          const orgs = createOrganizationRepository(trx, { capabilities: t.store.capabilities, now: t.clock.now });
          const envs = createEnvironmentRepository(trx, { capabilities: t.store.capabilities, now: t.clock.now });
          await orgs.create({ name: "beta", description: "" });
          await envs.create({ key: { ...DEV, org: "beta" }, definition: "a: 1\n", author: "x" });
          // retract opens its own transaction on a database handle; here it must join the outer one.
          await envs.update({ key: { ...DEV, org: "beta" }, definition: "a: 2\n", baseRevision: 1, author: "x" });
          await envs.retractRevision({ key: { ...DEV, org: "beta" }, revision: 2, reason: "r", actor: "x" });
          expect((await envs.get({ ...DEV, org: "beta" })).latestRevision).toBe(3);
          throw new Error("roll back");
        }),
      ).rejects.toThrow("roll back");
      await expectConnectError(t.store.organizations.get("beta"), Code.NotFound, 'organization "beta" not found');
    });
  });
}
