import { describe, expect, test } from "vitest";
import { DIALECTS, dialectAvailable, T0 } from "../store/dialects.js";
import { useCryptoStore } from "./crypto-store.js";

const A = { org: "acme", project: "pay", name: "prod" };
const B = { org: "acme", project: "pay", name: "dev" };
const ID1 = "00000000-0000-4000-8000-000000000001";
const ID2 = "00000000-0000-4000-8000-000000000002";
const ID3 = "00000000-0000-4000-8000-000000000003";

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`${dialect}: key repository`, () => {
    const t = useCryptoStore(dialect);

    test("one active data key per environment; replacing keeps the old one", async () => {
      const keys = t.store.keys;
      expect(await keys.findActiveDataKey(A)).toBeUndefined();
      expect(await keys.insertActiveDataKey({ id: ID1, environment: A, provider: "local", keyVersion: 1, wrapped: "w1" })).toBe(true);
      // a second insert for the same environment loses the race
      expect(await keys.insertActiveDataKey({ id: ID2, environment: A, provider: "local", keyVersion: 1, wrapped: "w2" })).toBe(false);
      expect(await keys.findActiveDataKey(A)).toEqual({
        id: ID1, environment: A, provider: "local", keyVersion: 1, wrapped: "w1", createdAt: new Date(T0), active: true,
      });
      await keys.replaceActiveDataKey({ id: ID3, environment: A, provider: "local", keyVersion: 2, wrapped: "w3" });
      expect((await keys.findActiveDataKey(A))?.id).toBe(ID3);
      expect(await keys.getDataKey(ID1)).toMatchObject({ id: ID1, active: false, wrapped: "w1" });
      expect(await keys.getDataKey(ID2)).toBeUndefined();
    });

    test("rewrap is compare-and-set; listing pages by id; counts by version", async () => {
      const keys = t.store.keys;
      await keys.insertActiveDataKey({ id: ID2, environment: B, provider: "local", keyVersion: 1, wrapped: "b" });
      await keys.insertActiveDataKey({ id: ID1, environment: A, provider: "local", keyVersion: 1, wrapped: "a" });
      expect((await keys.listDataKeys({ afterId: "", limit: 1 })).map((k) => k.id)).toEqual([ID1]);
      expect((await keys.listDataKeys({ afterId: ID1, limit: 5 })).map((k) => k.id)).toEqual([ID2]);
      const expected = { provider: "local", keyVersion: 1, wrapped: "a" };
      expect(await keys.rewrapDataKey(ID1, expected, { provider: "local", keyVersion: 2, wrapped: "a2" })).toBe(true);
      expect(await keys.rewrapDataKey(ID1, expected, { provider: "local", keyVersion: 3, wrapped: "a3" })).toBe(false);
      expect(await keys.getDataKey(ID1)).toMatchObject({ keyVersion: 2, wrapped: "a2" });
      expect(await keys.countDataKeysByVersion()).toEqual([
        { provider: "local", keyVersion: 1, count: 1 },
        { provider: "local", keyVersion: 2, count: 1 },
      ]);
      expect(await keys.listKeyedEnvironments()).toEqual([B, A]);
      expect(await keys.deleteDataKeys(A)).toBe(1);
      expect(await keys.listKeyedEnvironments()).toEqual([B]);
    });

    test("key checks: one per provider and version", async () => {
      const keys = t.store.keys;
      expect(await keys.insertKeyCheck({ provider: "local", keyVersion: 1, wrapped: "c1" })).toBe(true);
      expect(await keys.insertKeyCheck({ provider: "local", keyVersion: 1, wrapped: "other" })).toBe(false);
      await keys.insertKeyCheck({ provider: "local", keyVersion: 2, wrapped: "c2" });
      expect(await keys.listKeyChecks()).toEqual([
        { provider: "local", keyVersion: 1, wrapped: "c1", createdAt: new Date(T0) },
        { provider: "local", keyVersion: 2, wrapped: "c2", createdAt: new Date(T0) },
      ]);
      await keys.deleteKeyCheck("local", 1);
      expect((await keys.listKeyChecks()).map((c) => c.keyVersion)).toEqual([2]);
    });

    test("a transaction's store sees and rolls back key writes", async () => {
      await t.store
        .transaction(async (tx) => {
          await tx.keys.insertActiveDataKey({ id: ID1, environment: A, provider: "local", keyVersion: 1, wrapped: "a" });
          expect(await tx.keys.getDataKey(ID1)).toBeDefined();
          throw new Error("roll back");
        })
        .catch(() => undefined);
      expect(await t.store.keys.getDataKey(ID1)).toBeUndefined();
    });
  });
}
