import { Code } from "@connectrpc/connect";
import { beforeEach, describe, expect, test } from "vitest";
import { encodePageToken, type EnvironmentKey } from "../../src/store/index.js";
import { DIALECTS, T0, dialectAvailable, expectConnectError, useTestStore } from "./dialects.js";

const DEV: EnvironmentKey = { org: "acme", project: "payments", name: "dev" };
const def = (n: number) => `values:\n  n: ${n}\n`;
const at = (ms: number) => new Date(ms);

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`${dialect}: environment revisions`, () => {
    const t = useTestStore(dialect);
    const envs = () => t.store.environments;

    /** Revisions 1..count, one second apart, by "alice". */
    async function seed(count: number): Promise<void> {
      await envs().create({ key: DEV, definition: def(1), author: "alice" });
      for (let n = 2; n <= count; n++) {
        t.clock.advance();
        await envs().update({ key: DEV, definition: def(n), baseRevision: n - 1, author: "alice" });
      }
      t.clock.advance();
    }

    beforeEach(async () => {
      await t.store.organizations.create({ name: "acme", description: "" });
    });

    describe("resolveVersion()", () => {
      test("resolves latest, numbers and tags", async () => {
        await seed(3);
        await envs().createRevisionTag(DEV, { name: "stable", revision: 2, editor: "bob" });
        expect(await envs().resolveVersion(DEV, "")).toBe(3);
        expect(await envs().resolveVersion(DEV, "latest")).toBe(3);
        expect(await envs().resolveVersion(DEV, "1")).toBe(1);
        expect(await envs().resolveVersion(DEV, "stable")).toBe(2);
      });

      test("NotFound names the version", async () => {
        await seed(2);
        await expectConnectError(envs().resolveVersion(DEV, "9"), Code.NotFound, 'revision 9 of "acme/payments/dev" not found');
        await expectConnectError(envs().resolveVersion(DEV, "0"), Code.NotFound, 'version "0" of "acme/payments/dev" not found');
        await expectConnectError(envs().resolveVersion(DEV, "99999999999999999999"), Code.NotFound, 'version "99999999999999999999" of "acme/payments/dev" not found');
        await expectConnectError(envs().resolveVersion(DEV, "prod"), Code.NotFound, 'revision tag "prod" of "acme/payments/dev" not found');
        await expectConnectError(envs().resolveVersion({ ...DEV, name: "x" }, ""), Code.NotFound, 'environment "acme/payments/x" not found');
      });
    });

    describe("getAt()", () => {
      test("returns the environment and the revision a version names, like get + resolveVersion + getRevision", async () => {
        await seed(3);
        await envs().createRevisionTag(DEV, { name: "stable", revision: 2, editor: "bob" });
        await envs().setTag(DEV, { name: "team", value: "payments", editor: "bob" });
        for (const version of ["", "latest", "1", "stable"]) {
          const got = await envs().getAt(DEV, version);
          expect(got.environment).toEqual(await envs().get(DEV));
          expect(got.revision).toEqual(await envs().getRevision(DEV, await envs().resolveVersion(DEV, version)));
        }
        expect((await envs().getAt(DEV, "stable")).revision.tags).toEqual(["stable"]);
        expect((await envs().getAt(DEV, "")).environment.tags).toEqual({ team: "payments" });
      });

      test("fails like the calls it replaces", async () => {
        await seed(2);
        await expectConnectError(envs().getAt(DEV, "9"), Code.NotFound, 'revision 9 of "acme/payments/dev" not found');
        await expectConnectError(envs().getAt(DEV, "0"), Code.NotFound, 'version "0" of "acme/payments/dev" not found');
        await expectConnectError(envs().getAt(DEV, "prod"), Code.NotFound, 'revision tag "prod" of "acme/payments/dev" not found');
        await expectConnectError(envs().getAt({ ...DEV, name: "x" }, ""), Code.NotFound, 'environment "acme/payments/x" not found');
        await envs().retractRevision({ key: DEV, revision: 2, reason: "leaked", actor: "bob" });
        await expect(envs().getAt(DEV, "2")).rejects.toMatchObject({ code: Code.FailedPrecondition });
        expect((await envs().getAt(DEV, "2", { includeRetracted: true })).revision.retracted).toBe(true);
      });
    });

    describe("readDefinition()", () => {
      test("returns the number and definition a version names, failing like getAt", async () => {
        await seed(3);
        await envs().createRevisionTag(DEV, { name: "stable", revision: 2, editor: "bob" });
        const { environmentId } = await envs().readDefinition(DEV, "");
        expect(environmentId).toMatch(/^[0-9a-f-]{36}$/);
        expect(await envs().readDefinition(DEV, "")).toEqual({ revision: 3, definition: def(3), environmentId });
        expect(await envs().readDefinition(DEV, "latest")).toEqual({ revision: 3, definition: def(3), environmentId });
        expect(await envs().readDefinition(DEV, "1")).toEqual({ revision: 1, definition: def(1), environmentId });
        expect(await envs().readDefinition(DEV, "stable")).toEqual({ revision: 2, definition: def(2), environmentId });
        await expectConnectError(envs().readDefinition(DEV, "9"), Code.NotFound, 'revision 9 of "acme/payments/dev" not found');
        await expectConnectError(envs().readDefinition(DEV, "prod"), Code.NotFound, 'revision tag "prod" of "acme/payments/dev" not found');
        await expectConnectError(envs().readDefinition({ ...DEV, name: "x" }, ""), Code.NotFound, 'environment "acme/payments/x" not found');
        await envs().retractRevision({ key: DEV, revision: 2, reason: "leaked", actor: "bob" });
        await expect(envs().readDefinition(DEV, "stable")).rejects.toMatchObject({ code: Code.FailedPrecondition });
      });
    });

    describe("pinRevisions()", () => {
      const ref = (version: string, name = "dev") => ({ project: "payments", name, version });

      test("names the revision each version points at now, in the order asked, undefined where nothing is", async () => {
        await seed(3);
        await envs().createRevisionTag(DEV, { name: "stable", revision: 2, editor: "bob" });
        const { environmentId } = await envs().readDefinition(DEV, "");
        const pin = (revision: number, retracted = false) => ({ environmentId, revision, retracted });
        expect(await envs().pinRevisions("acme", [ref(""), ref("latest"), ref("1"), ref("stable"), ref("9"), ref("prod"), ref("", "x"), ref("99999999999999999999")])).toEqual([
          pin(3),
          pin(3),
          pin(1),
          pin(2),
          undefined,
          undefined,
          undefined,
          undefined,
        ]);
        expect(await envs().pinRevisions("other", [ref("")])).toEqual([undefined]);
        expect(await envs().pinRevisions("acme", [])).toEqual([]);
      });

      test("moves with every change the content of a version depends on", async () => {
        await seed(2);
        await envs().createRevisionTag(DEV, { name: "stable", revision: 1, editor: "bob" });
        const first = (await envs().readDefinition(DEV, "")).environmentId;
        await envs().update({ key: DEV, definition: def(3), baseRevision: 2, author: "alice" });
        await envs().updateRevisionTag(DEV, { name: "stable", revision: 2, editor: "bob" });
        expect(await envs().pinRevisions("acme", [ref(""), ref("stable")])).toEqual([
          { environmentId: first, revision: 3, retracted: false },
          { environmentId: first, revision: 2, retracted: false },
        ]);
        await envs().retractRevision({ key: DEV, revision: 2, reason: "leaked", actor: "bob" });
        expect(await envs().pinRevisions("acme", [ref("stable")])).toEqual([{ environmentId: first, revision: 2, retracted: true }]);
        // Deleted and created again under the same name: same number, another environment.
        await envs().delete(DEV);
        await envs().create({ key: DEV, definition: def(1), author: "alice" });
        const [again] = await envs().pinRevisions("acme", [ref("1")]);
        expect(again?.revision).toBe(1);
        expect(again?.environmentId).not.toBe(first);
      });
    });

    describe("getRevision()", () => {
      test("returns one revision with its definition and tags", async () => {
        await seed(2);
        await envs().createRevisionTag(DEV, { name: "stable", revision: 2, editor: "bob" });
        await envs().createRevisionTag(DEV, { name: "alpha", revision: 2, editor: "bob" });
        expect(await envs().getRevision(DEV, 2)).toEqual({
          number: 2,
          definition: def(2),
          createdAt: at(T0 + 1000),
          author: "alice",
          etag: expect.stringMatching(/^[0-9a-f]{64}$/),
          retracted: false,
          retractionReason: "",
          retractedBy: "",
          retractedAt: null,
          replacementRevision: null,
          tags: ["alpha", "latest", "stable"],
        });
        expect((await envs().getRevision(DEV, 1)).tags).toEqual([]);
      });

      test("NotFound for a missing revision or environment", async () => {
        await seed(1);
        await expectConnectError(envs().getRevision(DEV, 2), Code.NotFound, 'revision 2 of "acme/payments/dev" not found');
        await expectConnectError(envs().getRevision({ ...DEV, name: "x" }, 1), Code.NotFound, 'environment "acme/payments/x" not found');
      });
    });

    describe("listRevisions()", () => {
      test("newest first, definitions empty, exact page tokens", async () => {
        await seed(5);
        await envs().createRevisionTag(DEV, { name: "stable", revision: 3, editor: "bob" });
        const p1 = await envs().listRevisions(DEV, { pageSize: 2, pageToken: "" });
        expect(p1.items.map((r) => [r.number, r.definition, r.tags])).toEqual([
          [5, "", ["latest"]],
          [4, "", []],
        ]);
        expect(p1.nextPageToken).toBe(encodePageToken([4]));
        const p2 = await envs().listRevisions(DEV, { pageSize: 2, pageToken: p1.nextPageToken });
        expect(p2.items.map((r) => [r.number, r.tags])).toEqual([
          [3, ["stable"]],
          [2, []],
        ]);
        const p3 = await envs().listRevisions(DEV, { pageSize: 2, pageToken: p2.nextPageToken });
        expect(p3.items.map((r) => r.number)).toEqual([1]);
        expect(p3.nextPageToken).toBe("");
        expect(p3.items[0]).toMatchObject({ createdAt: at(T0), author: "alice", etag: expect.stringMatching(/^[0-9a-f]{64}$/) });
      });

      test("refuses a malformed page token", async () => {
        await seed(1);
        await expectConnectError(envs().listRevisions(DEV, { pageSize: 2, pageToken: encodePageToken(["4"]) }), Code.InvalidArgument, "invalid page token");
      });
    });

    describe("retractRevision()", () => {
      test("a non-latest revision: marked, replaced by the newest earlier served revision, nothing written", async () => {
        await seed(4);
        await envs().retractRevision({ key: DEV, revision: 2, reason: "typo", actor: "bob" });
        t.clock.advance();
        const result = await envs().retractRevision({ key: DEV, revision: 3, reason: "leaked a key", actor: "carol" });
        expect(result).toEqual({
          revision: {
            number: 3,
            definition: def(3),
            createdAt: at(T0 + 2000),
            author: "alice",
            etag: expect.any(String),
            retracted: true,
            retractionReason: "leaked a key",
            retractedBy: "carol",
            retractedAt: at(T0 + 5000),
            replacementRevision: 1,
            tags: [],
          },
          newRevision: null,
        });
        expect((await envs().get(DEV)).latestRevision).toBe(4);
        await expectConnectError(envs().getRevision(DEV, 3), Code.FailedPrecondition, 'revision 3 of "acme/payments/dev" is retracted: leaked a key');
        expect((await envs().getRevision(DEV, 3, { includeRetracted: true })).retracted).toBe(true);
        const listed = await envs().listRevisions(DEV, { pageSize: 10, pageToken: "" });
        expect(listed.items.map((r) => [r.number, r.retracted, r.replacementRevision])).toEqual([
          [4, false, null],
          [3, true, 1],
          [2, true, 1],
          [1, false, null],
        ]);
      });

      test("an explicit replacement", async () => {
        await seed(4);
        const { revision } = await envs().retractRevision({ key: DEV, revision: 2, replacementRevision: 4, reason: "", actor: "bob" });
        expect(revision.replacementRevision).toBe(4);
        await expectConnectError(envs().getRevision(DEV, 2), Code.FailedPrecondition, 'revision 2 of "acme/payments/dev" is retracted');
      });

      test("the latest revision: writes a new revision with the replacement's definition", async () => {
        await seed(3);
        const result = await envs().retractRevision({ key: DEV, revision: 3, reason: "bad", actor: "bob" });
        expect(result.revision).toMatchObject({ number: 3, retracted: true, replacementRevision: 2, tags: [] });
        expect(result.newRevision).toEqual({
          number: 4,
          definition: def(2),
          createdAt: at(T0 + 3000),
          author: "bob",
          etag: (await envs().getRevision(DEV, 2)).etag,
          retracted: false,
          retractionReason: "",
          retractedBy: "",
          retractedAt: null,
          replacementRevision: null,
          tags: ["latest"],
        });
        expect(await envs().get(DEV)).toMatchObject({ latestRevision: 4, updatedBy: "bob", updatedAt: at(T0 + 3000) });
        expect(await envs().resolveVersion(DEV, "latest")).toBe(4);
      });

      test("the latest revision with an explicit replacement", async () => {
        await seed(3);
        const result = await envs().retractRevision({ key: DEV, revision: 3, replacementRevision: 1, reason: "bad", actor: "bob" });
        expect(result.newRevision?.definition).toBe(def(1));
        expect(result.revision.replacementRevision).toBe(1);
      });

      test("refusals", async () => {
        await seed(3);
        await envs().retractRevision({ key: DEV, revision: 2, reason: "x", actor: "bob" });
        await expectConnectError(envs().retractRevision({ key: DEV, revision: 1, reason: "", actor: "bob" }), Code.FailedPrecondition, 'revision 1 of "acme/payments/dev" has no earlier revision to replace it');
        await expectConnectError(envs().retractRevision({ key: DEV, revision: 2, reason: "", actor: "bob" }), Code.FailedPrecondition, 'revision 2 of "acme/payments/dev" is already retracted');
        await expectConnectError(envs().retractRevision({ key: DEV, revision: 3, replacementRevision: 3, reason: "", actor: "bob" }), Code.InvalidArgument, "revision 3 cannot replace itself");
        await expectConnectError(envs().retractRevision({ key: DEV, revision: 3, replacementRevision: 2, reason: "", actor: "bob" }), Code.FailedPrecondition, 'revision 2 of "acme/payments/dev" is retracted: x');
        await expectConnectError(envs().retractRevision({ key: DEV, revision: 3, replacementRevision: 9, reason: "", actor: "bob" }), Code.NotFound, 'revision 9 of "acme/payments/dev" not found');
        await expectConnectError(envs().retractRevision({ key: DEV, revision: 7, reason: "", actor: "bob" }), Code.NotFound, 'revision 7 of "acme/payments/dev" not found');
        await expectConnectError(envs().retractRevision({ key: { ...DEV, name: "x" }, revision: 1, reason: "", actor: "bob" }), Code.NotFound, 'environment "acme/payments/x" not found');
        expect((await envs().get(DEV)).latestRevision).toBe(3);
      });

      test("a tag on a retracted revision stays and fails clearly when resolved", async () => {
        await seed(3);
        await envs().createRevisionTag(DEV, { name: "stable", revision: 2, editor: "bob" });
        await envs().retractRevision({ key: DEV, revision: 2, reason: "bad", actor: "bob" });
        expect(await envs().resolveVersion(DEV, "stable")).toBe(2);
        await expectConnectError(envs().getRevision(DEV, 2), Code.FailedPrecondition, 'revision 2 of "acme/payments/dev" is retracted: bad');
      });
    });

    describe("rollback()", () => {
      test("writes a new revision with the old definition", async () => {
        await seed(3);
        const rev = await envs().rollback({ key: DEV, revision: 1, author: "bob" });
        expect(rev).toMatchObject({ number: 4, definition: def(1), author: "bob", createdAt: at(T0 + 3000), tags: ["latest"], retracted: false });
        expect(rev.etag).toBe((await envs().getRevision(DEV, 1)).etag);
        expect(await envs().get(DEV)).toMatchObject({ latestRevision: 4, updatedBy: "bob" });
        expect((await envs().rollback({ key: DEV, revision: 2, baseRevision: 4, author: "bob" })).number).toBe(5);
      });

      test("refusals", async () => {
        await seed(3);
        await envs().retractRevision({ key: DEV, revision: 2, reason: "bad", actor: "bob" });
        await expectConnectError(envs().rollback({ key: DEV, revision: 1, baseRevision: 2, author: "bob" }), Code.Aborted, "base revision 2 is stale: latest is 3");
        await expectConnectError(envs().rollback({ key: DEV, revision: 2, author: "bob" }), Code.FailedPrecondition, 'revision 2 of "acme/payments/dev" is retracted: bad');
        await expectConnectError(envs().rollback({ key: DEV, revision: 8, author: "bob" }), Code.NotFound, 'revision 8 of "acme/payments/dev" not found');
        expect((await envs().get(DEV)).latestRevision).toBe(3);
      });
    });
  });
}
