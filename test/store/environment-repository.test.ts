import { Code } from "@connectrpc/connect";
import { beforeEach, describe, expect, test } from "vitest";
import { encodePageToken, type EnvironmentKey, type EnvironmentRecord } from "../../src/store/index.js";
import { DIALECTS, T0, dialectAvailable, expectConnectError, useTestStore } from "./dialects.js";

const DEV: EnvironmentKey = { org: "acme", project: "payments", name: "dev" };
const DEF1 = "values:\n  a: 1\n";
const DEF2 = "values:\n  a: 2\n";

const at = (ms: number) => new Date(ms);
const names = (items: readonly EnvironmentRecord[]) => items.map((e) => `${e.org}/${e.project}/${e.name}`);

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`${dialect}: environment repository`, () => {
    const t = useTestStore(dialect);
    const envs = () => t.store.environments;

    beforeEach(async () => {
      await t.store.organizations.create({ name: "acme", description: "" });
      await t.store.organizations.create({ name: "beta", description: "" });
    });

    describe("create()", () => {
      test("writes the environment and revision 1", async () => {
        const created = await envs().create({ key: DEV, definition: DEF1, author: "alice" });
        expect(created).toEqual({
          environment: {
            org: "acme",
            project: "payments",
            name: "dev",
            latestRevision: 1,
            createdAt: at(T0),
            updatedAt: at(T0),
            createdBy: "alice",
            updatedBy: "alice",
            deletionProtected: false,
            tags: {},
          },
          revision: {
            number: 1,
            definition: DEF1,
            createdAt: at(T0),
            author: "alice",
            etag: expect.stringMatching(/^[0-9a-f]{64}$/),
            retracted: false,
            retractionReason: "",
            retractedBy: "",
            retractedAt: null,
            replacementRevision: null,
            tags: ["latest"],
          },
        });
        const rows = await t.store.db.selectFrom("revisions").select(["number", "definition", "author", "created_at", "retracted"]).execute();
        expect(rows).toEqual([{ number: 1, definition: DEF1, author: "alice", created_at: T0, retracted: 0 }]);
      });

      test("etag is the SHA-256 of the definition", async () => {
        const { revision } = await envs().create({ key: DEV, definition: "", author: "alice" });
        expect(revision.etag).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
      });

      test("refuses a taken name", async () => {
        await envs().create({ key: DEV, definition: DEF1, author: "alice" });
        await expectConnectError(envs().create({ key: DEV, definition: DEF2, author: "bob" }), Code.AlreadyExists, 'environment "acme/payments/dev" already exists');
      });

      test("names are case-sensitive and unique per parent", async () => {
        await envs().create({ key: DEV, definition: DEF1, author: "alice" });
        await envs().create({ key: { ...DEV, name: "Dev" }, definition: DEF1, author: "alice" });
        await envs().create({ key: { ...DEV, project: "other" }, definition: DEF1, author: "alice" });
        await envs().create({ key: { ...DEV, org: "beta" }, definition: DEF1, author: "alice" });
        expect((await envs().list({ pageSize: 10, pageToken: "" })).items).toHaveLength(4);
      });

      test("refuses a missing org", async () => {
        await expectConnectError(envs().create({ key: { ...DEV, org: "nope" }, definition: DEF1, author: "alice" }), Code.NotFound, 'organization "nope" not found');
      });
    });

    describe("get()", () => {
      test("returns the environment with its tags", async () => {
        await envs().create({ key: DEV, definition: DEF1, author: "alice" });
        await envs().setTag(DEV, { name: "team", value: "payments", editor: "bob" });
        await envs().setTag(DEV, { name: "tier", value: "1", editor: "bob" });
        const env = await envs().get(DEV);
        expect(env.tags).toEqual({ team: "payments", tier: "1" });
        expect(env.latestRevision).toBe(1);
      });

      test("NotFound names the environment", async () => {
        await expectConnectError(envs().get(DEV), Code.NotFound, 'environment "acme/payments/dev" not found');
      });
    });

    describe("update()", () => {
      test("writes revision base+1 and moves the environment", async () => {
        await envs().create({ key: DEV, definition: DEF1, author: "alice" });
        t.clock.advance(5000);
        const { environment, revision } = await envs().update({ key: DEV, definition: DEF2, baseRevision: 1, author: "bob" });
        expect(environment).toMatchObject({ latestRevision: 2, createdAt: at(T0), updatedAt: at(T0 + 5000), createdBy: "alice", updatedBy: "bob" });
        expect(revision).toMatchObject({ number: 2, definition: DEF2, author: "bob", createdAt: at(T0 + 5000), tags: ["latest"] });
        const rev1 = await envs().getRevision(DEV, 1);
        expect(rev1).toMatchObject({ number: 1, definition: DEF1, tags: [] });
      });

      test("a stale base is Aborted and writes nothing", async () => {
        await envs().create({ key: DEV, definition: DEF1, author: "alice" });
        await envs().update({ key: DEV, definition: DEF2, baseRevision: 1, author: "bob" });
        await expectConnectError(envs().update({ key: DEV, definition: "x: 1\n", baseRevision: 1, author: "carol" }), Code.Aborted, "base revision 1 is stale: latest is 2");
        await expectConnectError(envs().update({ key: DEV, definition: "x: 1\n", baseRevision: 7, author: "carol" }), Code.Aborted, "base revision 7 is stale: latest is 2");
        const rows = await t.store.db.selectFrom("revisions").select("number").orderBy("number").execute();
        expect(rows).toEqual([{ number: 1 }, { number: 2 }]);
        expect((await envs().get(DEV)).updatedBy).toBe("bob");
      });

      test("NotFound for a missing environment", async () => {
        await expectConnectError(envs().update({ key: DEV, definition: DEF1, baseRevision: 1, author: "a" }), Code.NotFound, 'environment "acme/payments/dev" not found');
      });
    });

    describe("delete() and settings", () => {
      test("deletes the environment with its revisions and tags", async () => {
        await envs().create({ key: DEV, definition: DEF1, author: "alice" });
        await envs().update({ key: DEV, definition: DEF2, baseRevision: 1, author: "alice" });
        await envs().createRevisionTag(DEV, { name: "stable", revision: 1, editor: "alice" });
        await envs().setTag(DEV, { name: "team", value: "payments", editor: "alice" });
        await envs().create({ key: { ...DEV, name: "prod" }, definition: DEF1, author: "alice" });
        await envs().delete(DEV);
        await expectConnectError(envs().get(DEV), Code.NotFound, 'environment "acme/payments/dev" not found');
        const db = t.store.db;
        expect(await db.selectFrom("revisions").select("number").execute()).toEqual([{ number: 1 }]);
        expect(await db.selectFrom("revision_tags").selectAll().execute()).toEqual([]);
        expect(await db.selectFrom("environment_tags").selectAll().execute()).toEqual([]);
        // The name is free again and starts over at revision 1.
        const again = await envs().create({ key: DEV, definition: DEF2, author: "bob" });
        expect(again.revision.number).toBe(1);
        expect(again.environment.tags).toEqual({});
      });

      test("deletion protection refuses delete until turned off", async () => {
        await envs().create({ key: DEV, definition: DEF1, author: "alice" });
        const protectedEnv = await envs().updateSettings(DEV, { deletionProtected: true });
        expect(protectedEnv.deletionProtected).toBe(true);
        expect((await envs().get(DEV)).deletionProtected).toBe(true);
        await expectConnectError(envs().delete(DEV), Code.FailedPrecondition, 'environment "acme/payments/dev" is deletion-protected');
        expect((await envs().updateSettings(DEV, {})).deletionProtected).toBe(true);
        expect((await envs().updateSettings(DEV, { deletionProtected: false })).deletionProtected).toBe(false);
        await envs().delete(DEV);
        await expectConnectError(envs().delete(DEV), Code.NotFound, 'environment "acme/payments/dev" not found');
      });

      test("updateSettings on a missing environment is NotFound", async () => {
        await expectConnectError(envs().updateSettings(DEV, { deletionProtected: true }), Code.NotFound, 'environment "acme/payments/dev" not found');
      });
    });

    describe("list()", () => {
      const keys: EnvironmentKey[] = [
        { org: "beta", project: "app", name: "prod" },
        { org: "acme", project: "payments", name: "prod" },
        { org: "acme", project: "payments", name: "dev" },
        { org: "acme", project: "infra", name: "shared" },
        { org: "acme", project: "payments", name: "Staging" },
        { org: "acme", project: "payments", name: "dev-2" },
      ];
      beforeEach(async () => {
        for (const key of keys) await envs().create({ key, definition: DEF1, author: "alice" });
        await envs().setTag({ org: "acme", project: "payments", name: "prod" }, { name: "team", value: "payments", editor: "a" });
        await envs().setTag({ org: "acme", project: "payments", name: "prod" }, { name: "tier", value: "1", editor: "a" });
        await envs().setTag({ org: "acme", project: "payments", name: "dev" }, { name: "team", value: "payments", editor: "a" });
        await envs().setTag({ org: "acme", project: "infra", name: "shared" }, { name: "team", value: "infra", editor: "a" });
      });

      test("orders by org, project, name (bytewise) with tags", async () => {
        const page = await envs().list({ pageSize: 100, pageToken: "" });
        expect(names(page.items)).toEqual([
          "acme/infra/shared",
          "acme/payments/Staging",
          "acme/payments/dev",
          "acme/payments/dev-2",
          "acme/payments/prod",
          "beta/app/prod",
        ]);
        expect(page.nextPageToken).toBe("");
        expect(page.items[4]?.tags).toEqual({ team: "payments", tier: "1" });
      });

      test("filters by org, project and every given tag", async () => {
        expect(names((await envs().list({ org: "beta", pageSize: 100, pageToken: "" })).items)).toEqual(["beta/app/prod"]);
        expect(names((await envs().list({ org: "acme", project: "infra", pageSize: 100, pageToken: "" })).items)).toEqual(["acme/infra/shared"]);
        expect(names((await envs().list({ project: "app", pageSize: 100, pageToken: "" })).items)).toEqual(["beta/app/prod"]);
        expect(names((await envs().list({ tags: { team: "payments" }, pageSize: 100, pageToken: "" })).items)).toEqual(["acme/payments/dev", "acme/payments/prod"]);
        expect(names((await envs().list({ tags: { team: "payments", tier: "1" }, pageSize: 100, pageToken: "" })).items)).toEqual(["acme/payments/prod"]);
        expect(names((await envs().list({ tags: { team: "nobody" }, pageSize: 100, pageToken: "" })).items)).toEqual([]);
        expect(names((await envs().list({ org: "acme", tags: { team: "infra" }, pageSize: 100, pageToken: "" })).items)).toEqual(["acme/infra/shared"]);
        expect(names((await envs().list({ org: "nope", pageSize: 100, pageToken: "" })).items)).toEqual([]);
      });

      test("pages with exact tokens", async () => {
        const p1 = await envs().list({ pageSize: 2, pageToken: "" });
        expect(names(p1.items)).toEqual(["acme/infra/shared", "acme/payments/Staging"]);
        expect(p1.nextPageToken).toBe(encodePageToken(["acme", "payments", "Staging"]));
        const p2 = await envs().list({ pageSize: 2, pageToken: p1.nextPageToken });
        expect(names(p2.items)).toEqual(["acme/payments/dev", "acme/payments/dev-2"]);
        const p3 = await envs().list({ pageSize: 2, pageToken: p2.nextPageToken });
        expect(names(p3.items)).toEqual(["acme/payments/prod", "beta/app/prod"]);
        expect(p3.nextPageToken).toBe("");
        // An exact fit ends without a token.
        const all = await envs().list({ pageSize: 6, pageToken: "" });
        expect(all.nextPageToken).toBe("");
      });

      test("pages with filters", async () => {
        const p1 = await envs().list({ org: "acme", project: "payments", pageSize: 3, pageToken: "" });
        expect(names(p1.items)).toEqual(["acme/payments/Staging", "acme/payments/dev", "acme/payments/dev-2"]);
        const p2 = await envs().list({ org: "acme", project: "payments", pageSize: 3, pageToken: p1.nextPageToken });
        expect(names(p2.items)).toEqual(["acme/payments/prod"]);
        expect(p2.nextPageToken).toBe("");
      });

      test("stays stable across inserts and deletes between pages", async () => {
        const p1 = await envs().list({ pageSize: 3, pageToken: "" });
        expect(names(p1.items)).toEqual(["acme/infra/shared", "acme/payments/Staging", "acme/payments/dev"]);
        await envs().create({ key: { org: "acme", project: "aaa", name: "first" }, definition: DEF1, author: "a" });
        await envs().create({ key: { org: "acme", project: "payments", name: "dev-1" }, definition: DEF1, author: "a" });
        await envs().delete({ org: "acme", project: "payments", name: "dev" });
        const p2 = await envs().list({ pageSize: 3, pageToken: p1.nextPageToken });
        expect(names(p2.items)).toEqual(["acme/payments/dev-1", "acme/payments/dev-2", "acme/payments/prod"]);
        const p3 = await envs().list({ pageSize: 3, pageToken: p2.nextPageToken });
        expect(names(p3.items)).toEqual(["beta/app/prod"]);
        expect(p3.nextPageToken).toBe("");
      });

      test("a malformed page token is InvalidArgument", async () => {
        for (const pageToken of ["!!", "bm90IGpzb24", encodePageToken(["only-one"]), encodePageToken([1, 2, 3]), Buffer.from('{"a":1}').toString("base64url")]) {
          await expectConnectError(envs().list({ pageSize: 2, pageToken }), Code.InvalidArgument, "invalid page token");
        }
      });
    });

    describe("clone()", () => {
      const COPY: EnvironmentKey = { org: "acme", project: "payments", name: "copy" };
      beforeEach(async () => {
        await envs().create({ key: DEV, definition: DEF1, author: "alice" });
        t.clock.advance();
        await envs().update({ key: DEV, definition: DEF2, baseRevision: 1, author: "bob" });
        t.clock.advance();
        await envs().update({ key: DEV, definition: "values:\n  a: 3\n", baseRevision: 2, author: "bob" });
        await envs().retractRevision({ key: DEV, revision: 2, reason: "leaked", actor: "carol" });
        await envs().createRevisionTag(DEV, { name: "stable", revision: 1, editor: "alice" });
        await envs().setTag(DEV, { name: "team", value: "payments", editor: "alice" });
        await envs().updateSettings(DEV, { deletionProtected: true });
        t.clock.advance();
      });

      test("without history: one revision with the latest definition", async () => {
        const copy = await envs().clone({ source: DEV, dest: COPY, author: "dave", preserveHistory: false, preserveRevisionTags: false, preserveEnvironmentTags: false });
        expect(copy).toEqual({
          org: "acme",
          project: "payments",
          name: "copy",
          latestRevision: 1,
          createdAt: at(T0 + 3000),
          updatedAt: at(T0 + 3000),
          createdBy: "dave",
          updatedBy: "dave",
          deletionProtected: false,
          tags: {},
        });
        const revs = await envs().listRevisions(COPY, { pageSize: 10, pageToken: "" });
        expect(revs.items.map((r) => [r.number, r.author, r.tags])).toEqual([[1, "dave", ["latest"]]]);
        expect((await envs().getRevision(COPY, 1)).definition).toBe("values:\n  a: 3\n");
        expect((await envs().listRevisionTags(COPY, { pageSize: 10, pageToken: "" })).items.map((x) => x.name)).toEqual(["latest"]);
      });

      test("without history but with environment tags", async () => {
        const copy = await envs().clone({ source: DEV, dest: COPY, author: "dave", preserveHistory: false, preserveRevisionTags: false, preserveEnvironmentTags: true });
        expect(copy.tags).toEqual({ team: "payments" });
        expect(await envs().getTag(COPY, "team")).toEqual({ name: "team", value: "payments", createdAt: at(T0 + 3000), updatedAt: at(T0 + 3000), editor: "dave" });
      });

      test("with history and tags: every revision keeps its number, author and retraction", async () => {
        const copy = await envs().clone({ source: DEV, dest: COPY, author: "dave", preserveHistory: true, preserveRevisionTags: true, preserveEnvironmentTags: true });
        expect(copy.latestRevision).toBe(3);
        const source = await envs().listRevisions(DEV, { pageSize: 10, pageToken: "" });
        const cloned = await envs().listRevisions(COPY, { pageSize: 10, pageToken: "" });
        expect(cloned).toEqual(source);
        expect(cloned.items.map((r) => [r.number, r.retracted, r.tags])).toEqual([
          [3, false, ["latest"]],
          [2, true, []],
          [1, false, ["stable"]],
        ]);
        expect((await envs().getRevision(COPY, 1)).definition).toBe(DEF1);
        expect(await envs().getRevisionTag(COPY, "stable")).toEqual({ name: "stable", revision: 1, createdAt: at(T0 + 3000), updatedAt: at(T0 + 3000), editor: "dave" });
        expect(copy.tags).toEqual({ team: "payments" });
        // The copy is independent of its source.
        await envs().update({ key: COPY, definition: "x: 1\n", baseRevision: 3, author: "dave" });
        expect((await envs().get(DEV)).latestRevision).toBe(3);
      });

      test("with history, without tags", async () => {
        const copy = await envs().clone({ source: DEV, dest: COPY, author: "dave", preserveHistory: true, preserveRevisionTags: false, preserveEnvironmentTags: false });
        expect(copy.tags).toEqual({});
        expect((await envs().listRevisionTags(COPY, { pageSize: 10, pageToken: "" })).items.map((x) => x.name)).toEqual(["latest"]);
        await expectConnectError(envs().getRevision(COPY, 2), Code.FailedPrecondition, 'revision 2 of "acme/payments/copy" is retracted: leaked');
      });

      test("refusals", async () => {
        const base = { author: "dave", preserveHistory: false, preserveRevisionTags: false, preserveEnvironmentTags: false };
        await expectConnectError(envs().clone({ ...base, source: DEV, dest: DEV }), Code.AlreadyExists, 'environment "acme/payments/dev" already exists');
        await expectConnectError(envs().clone({ ...base, source: { ...DEV, name: "nope" }, dest: COPY }), Code.NotFound, 'environment "acme/payments/nope" not found');
        await expectConnectError(envs().clone({ ...base, source: DEV, dest: { ...COPY, org: "beta" } }), Code.InvalidArgument, 'cannot clone "acme/payments/dev" to another organization ("beta")');
        await expectConnectError(envs().clone({ ...base, source: DEV, dest: COPY, preserveRevisionTags: true }), Code.InvalidArgument, "preserving revision tags requires preserving history");
        await expectConnectError(envs().get(COPY), Code.NotFound, 'environment "acme/payments/copy" not found');
      });
    });
  });
}
