import { Code } from "@connectrpc/connect";
import { beforeEach, describe, expect, test } from "vitest";
import { encodePageToken, type EnvironmentKey } from "../../src/store/index.js";
import { DIALECTS, T0, dialectAvailable, expectConnectError, useTestStore } from "./dialects.js";

const DEV: EnvironmentKey = { org: "acme", project: "payments", name: "dev" };
const MISSING: EnvironmentKey = { ...DEV, name: "missing" };
const at = (ms: number) => new Date(ms);
const FIRST = { pageSize: 100, pageToken: "" };

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`${dialect}: revision tags`, () => {
    const t = useTestStore(dialect);
    const envs = () => t.store.environments;

    beforeEach(async () => {
      await t.store.organizations.create({ name: "acme", description: "" });
      await envs().create({ key: DEV, definition: "a: 1\n", author: "alice" });
      t.clock.advance();
      await envs().update({ key: DEV, definition: "a: 2\n", baseRevision: 1, author: "alice" });
      t.clock.advance();
      await envs().update({ key: DEV, definition: "a: 3\n", baseRevision: 2, author: "bob" });
      t.clock.advance();
    });

    test("create, get, move, delete", async () => {
      const created = await envs().createRevisionTag(DEV, { name: "stable", revision: 1, editor: "carol" });
      expect(created).toEqual({ name: "stable", revision: 1, createdAt: at(T0 + 3000), updatedAt: at(T0 + 3000), editor: "carol" });
      expect(await envs().getRevisionTag(DEV, "stable")).toEqual(created);
      t.clock.advance();
      const moved = await envs().updateRevisionTag(DEV, { name: "stable", revision: 2, editor: "dave" });
      expect(moved).toEqual({ name: "stable", revision: 2, createdAt: at(T0 + 3000), updatedAt: at(T0 + 4000), editor: "dave" });
      expect(await envs().getRevisionTag(DEV, "stable")).toEqual(moved);
      await envs().deleteRevisionTag(DEV, "stable");
      await expectConnectError(envs().getRevisionTag(DEV, "stable"), Code.NotFound, 'revision tag "stable" of "acme/payments/dev" not found');
    });

    test("latest is virtual and read-only", async () => {
      expect(await envs().getRevisionTag(DEV, "latest")).toEqual({ name: "latest", revision: 3, createdAt: at(T0), updatedAt: at(T0 + 2000), editor: "bob" });
      const readOnly = 'revision tag "latest" is built in and read-only';
      await expectConnectError(envs().createRevisionTag(DEV, { name: "latest", revision: 1, editor: "x" }), Code.FailedPrecondition, readOnly);
      await expectConnectError(envs().updateRevisionTag(DEV, { name: "latest", revision: 1, editor: "x" }), Code.FailedPrecondition, readOnly);
      await expectConnectError(envs().deleteRevisionTag(DEV, "latest"), Code.FailedPrecondition, readOnly);
      await envs().update({ key: DEV, definition: "a: 4\n", baseRevision: 3, author: "x" });
      expect((await envs().getRevisionTag(DEV, "latest")).revision).toBe(4);
    });

    test("list is ordered by name with latest in its place, exact page tokens", async () => {
      for (const name of ["stable", "alpha", "prod", "beta"]) await envs().createRevisionTag(DEV, { name, revision: 2, editor: "x" });
      const all = await envs().listRevisionTags(DEV, FIRST);
      expect(all.items.map((x) => [x.name, x.revision])).toEqual([
        ["alpha", 2],
        ["beta", 2],
        ["latest", 3],
        ["prod", 2],
        ["stable", 2],
      ]);
      expect(all.nextPageToken).toBe("");
      const p1 = await envs().listRevisionTags(DEV, { pageSize: 2, pageToken: "" });
      expect(p1.items.map((x) => x.name)).toEqual(["alpha", "beta"]);
      expect(p1.nextPageToken).toBe(encodePageToken(["beta"]));
      const p2 = await envs().listRevisionTags(DEV, { pageSize: 2, pageToken: p1.nextPageToken });
      expect(p2.items.map((x) => x.name)).toEqual(["latest", "prod"]);
      expect(p2.nextPageToken).toBe(encodePageToken(["prod"]));
      const p3 = await envs().listRevisionTags(DEV, { pageSize: 2, pageToken: p2.nextPageToken });
      expect(p3.items.map((x) => x.name)).toEqual(["stable"]);
      expect(p3.nextPageToken).toBe("");
      // latest ends a page exactly.
      const q1 = await envs().listRevisionTags(DEV, { pageSize: 3, pageToken: "" });
      expect(q1.items.map((x) => x.name)).toEqual(["alpha", "beta", "latest"]);
      expect(q1.nextPageToken).toBe(encodePageToken(["latest"]));
      const q2 = await envs().listRevisionTags(DEV, { pageSize: 3, pageToken: q1.nextPageToken });
      expect(q2.items.map((x) => x.name)).toEqual(["prod", "stable"]);
    });

    test("a fresh environment lists only latest", async () => {
      const page = await envs().listRevisionTags(DEV, { pageSize: 1, pageToken: "" });
      expect(page).toEqual({ items: [{ name: "latest", revision: 3, createdAt: at(T0), updatedAt: at(T0 + 2000), editor: "bob" }], nextPageToken: "" });
    });

    test("refusals", async () => {
      await envs().createRevisionTag(DEV, { name: "stable", revision: 1, editor: "x" });
      await envs().retractRevision({ key: DEV, revision: 2, reason: "bad", actor: "x" });
      await expectConnectError(envs().createRevisionTag(DEV, { name: "stable", revision: 3, editor: "x" }), Code.AlreadyExists, 'revision tag "stable" of "acme/payments/dev" already exists');
      await expectConnectError(envs().createRevisionTag(DEV, { name: "prod", revision: 9, editor: "x" }), Code.NotFound, 'revision 9 of "acme/payments/dev" not found');
      await expectConnectError(envs().createRevisionTag(DEV, { name: "prod", revision: 2, editor: "x" }), Code.FailedPrecondition, 'revision 2 of "acme/payments/dev" is retracted: bad');
      await expectConnectError(envs().updateRevisionTag(DEV, { name: "stable", revision: 2, editor: "x" }), Code.FailedPrecondition, 'revision 2 of "acme/payments/dev" is retracted: bad');
      await expectConnectError(envs().updateRevisionTag(DEV, { name: "stable", revision: 9, editor: "x" }), Code.NotFound, 'revision 9 of "acme/payments/dev" not found');
      await expectConnectError(envs().updateRevisionTag(DEV, { name: "prod", revision: 1, editor: "x" }), Code.NotFound, 'revision tag "prod" of "acme/payments/dev" not found');
      await expectConnectError(envs().deleteRevisionTag(DEV, "prod"), Code.NotFound, 'revision tag "prod" of "acme/payments/dev" not found');
      await expectConnectError(envs().getRevisionTag(MISSING, "stable"), Code.NotFound, 'environment "acme/payments/missing" not found');
      await expectConnectError(envs().createRevisionTag(MISSING, { name: "x", revision: 1, editor: "x" }), Code.NotFound, 'environment "acme/payments/missing" not found');
      await expectConnectError(envs().listRevisionTags(MISSING, FIRST), Code.NotFound, 'environment "acme/payments/missing" not found');
      await expectConnectError(envs().listRevisionTags(DEV, { pageSize: 1, pageToken: "%%" }), Code.InvalidArgument, "invalid page token");
      expect(await envs().getRevisionTag(DEV, "stable")).toMatchObject({ revision: 1 });
    });
  });

  describe.skipIf(!dialectAvailable(dialect))(`${dialect}: environment tags`, () => {
    const t = useTestStore(dialect);
    const envs = () => t.store.environments;

    beforeEach(async () => {
      await t.store.organizations.create({ name: "acme", description: "" });
      await envs().create({ key: DEV, definition: "a: 1\n", author: "alice" });
      t.clock.advance();
    });

    test("set creates, set again updates the value and keeps createdAt", async () => {
      expect(await envs().setTag(DEV, { name: "team", value: "payments", editor: "bob" })).toEqual({
        name: "team",
        value: "payments",
        createdAt: at(T0 + 1000),
        updatedAt: at(T0 + 1000),
        editor: "bob",
      });
      t.clock.advance();
      expect(await envs().setTag(DEV, { name: "team", value: "billing", editor: "carol" })).toEqual({
        name: "team",
        value: "billing",
        createdAt: at(T0 + 1000),
        updatedAt: at(T0 + 2000),
        editor: "carol",
      });
      expect(await envs().getTag(DEV, "team")).toMatchObject({ value: "billing" });
      expect((await envs().get(DEV)).tags).toEqual({ team: "billing" });
    });

    test("rename keeps the value, refuses a taken name", async () => {
      await envs().setTag(DEV, { name: "team", value: "payments", editor: "bob" });
      await envs().setTag(DEV, { name: "tier", value: "1", editor: "bob" });
      t.clock.advance();
      expect(await envs().renameTag(DEV, { name: "team", newName: "owner", editor: "carol" })).toEqual({
        name: "owner",
        value: "payments",
        createdAt: at(T0 + 1000),
        updatedAt: at(T0 + 2000),
        editor: "carol",
      });
      expect((await envs().get(DEV)).tags).toEqual({ owner: "payments", tier: "1" });
      await expectConnectError(envs().getTag(DEV, "team"), Code.NotFound, 'environment tag "team" of "acme/payments/dev" not found');
      await expectConnectError(envs().renameTag(DEV, { name: "owner", newName: "tier", editor: "x" }), Code.AlreadyExists, 'environment tag "tier" of "acme/payments/dev" already exists');
      await expectConnectError(envs().renameTag(DEV, { name: "nope", newName: "x", editor: "x" }), Code.NotFound, 'environment tag "nope" of "acme/payments/dev" not found');
      expect(await envs().renameTag(DEV, { name: "tier", newName: "tier", editor: "x" })).toMatchObject({ name: "tier", value: "1" });
    });

    test("delete and list with exact page tokens", async () => {
      for (const [name, value] of [["c", "3"], ["a", "1"], ["b", "2"], ["d", "4"]] as const) await envs().setTag(DEV, { name, value, editor: "x" });
      await envs().deleteTag(DEV, "d");
      await expectConnectError(envs().deleteTag(DEV, "d"), Code.NotFound, 'environment tag "d" of "acme/payments/dev" not found');
      const p1 = await envs().listTags(DEV, { pageSize: 2, pageToken: "" });
      expect(p1.items.map((x) => [x.name, x.value])).toEqual([
        ["a", "1"],
        ["b", "2"],
      ]);
      expect(p1.nextPageToken).toBe(encodePageToken(["b"]));
      const p2 = await envs().listTags(DEV, { pageSize: 2, pageToken: p1.nextPageToken });
      expect(p2.items.map((x) => x.name)).toEqual(["c"]);
      expect(p2.nextPageToken).toBe("");
      await expectConnectError(envs().listTags(DEV, { pageSize: 2, pageToken: encodePageToken([1]) }), Code.InvalidArgument, "invalid page token");
    });

    test("missing environment", async () => {
      const notFound = 'environment "acme/payments/missing" not found';
      await expectConnectError(envs().setTag(MISSING, { name: "a", value: "b", editor: "x" }), Code.NotFound, notFound);
      await expectConnectError(envs().getTag(MISSING, "a"), Code.NotFound, notFound);
      await expectConnectError(envs().renameTag(MISSING, { name: "a", newName: "b", editor: "x" }), Code.NotFound, notFound);
      await expectConnectError(envs().deleteTag(MISSING, "a"), Code.NotFound, notFound);
      await expectConnectError(envs().listTags(MISSING, FIRST), Code.NotFound, notFound);
    });
  });
}
