import { Code } from "@connectrpc/connect";
import { beforeEach, describe, expect, test } from "vitest";
import { TOKEN_TOUCH_INTERVAL_MS, encodePageToken } from "../../src/store/index.js";
import { DIALECTS, T0, dialectAvailable, expectConnectError, useTestStore } from "./dialects.js";

const HASH = "a".repeat(64);
const at = (ms: number) => new Date(ms);

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`${dialect}: identity repository`, () => {
    const t = useTestStore(dialect);
    const ids = () => t.store.identities;

    beforeEach(async () => {
      await t.store.organizations.create({ name: "acme", description: "" });
      await t.store.organizations.create({ name: "beta", description: "" });
    });

    describe("identities", () => {
      test("create, get, find, count", async () => {
        expect(await ids().countIdentities()).toBe(0);
        const alice = await ids().createIdentity({ org: "acme", login: "alice", kind: "user", role: "admin" });
        expect(alice).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), org: "acme", login: "alice", kind: "user", role: "admin", createdAt: at(T0) });
        await ids().createIdentity({ org: "beta", login: "alice", kind: "service_account", role: "member" });
        expect(await ids().getIdentity(alice.id)).toEqual(alice);
        expect(await ids().findIdentity("acme", "alice")).toEqual(alice);
        expect(await ids().findIdentity("acme", "bob")).toBeUndefined();
        expect(await ids().countIdentities()).toBe(2);
      });

      test("refusals", async () => {
        await ids().createIdentity({ org: "acme", login: "alice", kind: "user", role: "admin" });
        await expectConnectError(ids().createIdentity({ org: "acme", login: "alice", kind: "user", role: "member" }), Code.AlreadyExists, 'identity "alice" already exists in organization "acme"');
        await expectConnectError(ids().createIdentity({ org: "nope", login: "alice", kind: "user", role: "member" }), Code.NotFound, 'organization "nope" not found');
        await expectConnectError(ids().getIdentity("nope"), Code.NotFound, 'identity "nope" not found');
      });
    });

    describe("tokens", () => {
      test("create and find with the identity", async () => {
        const alice = await ids().createIdentity({ org: "acme", login: "alice", kind: "user", role: "admin" });
        const token = await ids().createToken({ id: "tok1", identityId: alice.id, description: "ci", secretHash: HASH, expiresAt: at(T0 + 3600_000) });
        expect(token).toEqual({
          id: "tok1",
          identityId: alice.id,
          description: "ci",
          secretHash: HASH,
          createdAt: at(T0),
          expiresAt: at(T0 + 3600_000),
          revokedAt: null,
          lastUsedAt: null,
          scopePermission: null,
          scopeResources: [],
        });
        expect(await ids().findToken("tok1")).toEqual({ token, identity: alice });
        expect(await ids().findToken("nope")).toBeUndefined();
        await expectConnectError(ids().createToken({ id: "tok1", identityId: alice.id, description: "", secretHash: HASH, expiresAt: null }), Code.AlreadyExists, 'token "tok1" already exists');
        await expectConnectError(ids().createToken({ id: "tok2", identityId: "ghost", description: "", secretHash: HASH, expiresAt: null }), Code.NotFound, 'identity "ghost" not found');
      });

      test("touch records use at most once a minute", async () => {
        const alice = await ids().createIdentity({ org: "acme", login: "alice", kind: "user", role: "admin" });
        await ids().createToken({ id: "tok1", identityId: alice.id, description: "", secretHash: HASH, expiresAt: null });
        const lastUsed = async () => (await ids().findToken("tok1"))?.token.lastUsedAt;
        await ids().touchToken("tok1", at(T0 + 1000));
        expect(await lastUsed()).toEqual(at(T0 + 1000));
        await ids().touchToken("tok1", at(T0 + 1000 + TOKEN_TOUCH_INTERVAL_MS - 1));
        expect(await lastUsed()).toEqual(at(T0 + 1000));
        await ids().touchToken("tok1", at(T0 + 1000 + TOKEN_TOUCH_INTERVAL_MS));
        expect(await lastUsed()).toEqual(at(T0 + 1000 + TOKEN_TOUCH_INTERVAL_MS));
        await ids().touchToken("nope", at(T0)); // no error for a missing token
      });

      test("revoke keeps the first time", async () => {
        const alice = await ids().createIdentity({ org: "acme", login: "alice", kind: "user", role: "admin" });
        await ids().createToken({ id: "tok1", identityId: alice.id, description: "", secretHash: HASH, expiresAt: null });
        expect((await ids().revokeToken("tok1", at(T0 + 5))).revokedAt).toEqual(at(T0 + 5));
        expect((await ids().revokeToken("tok1", at(T0 + 9))).revokedAt).toEqual(at(T0 + 5));
        expect((await ids().findToken("tok1"))?.token.revokedAt).toEqual(at(T0 + 5));
        await expectConnectError(ids().revokeToken("nope", at(T0)), Code.NotFound, 'token "nope" not found');
      });

      test("list: an org's tokens, newest first, active only unless asked, exact page tokens", async () => {
        const alice = await ids().createIdentity({ org: "acme", login: "alice", kind: "user", role: "admin" });
        const bot = await ids().createIdentity({ org: "acme", login: "bot", kind: "service_account", role: "member" });
        const other = await ids().createIdentity({ org: "beta", login: "eve", kind: "user", role: "admin" });
        const make = async (id: string, identityId: string, expiresAt: Date | null) => {
          await ids().createToken({ id, identityId, description: id, secretHash: HASH, expiresAt });
          t.clock.advance();
        };
        await make("t1", alice.id, null);
        await make("t2", bot.id, at(T0 + 2000)); // expired by `now`
        await make("t3", alice.id, null); // revoked below
        await make("t4", bot.id, at(T0 + 999_000));
        await make("t5", other.id, null);
        await ids().revokeToken("t3", at(T0 + 4000));
        const now = at(T0 + 10_000);
        const active = await ids().listTokens({ org: "acme", includeInactive: false, now, pageSize: 10, pageToken: "" });
        expect(active.items.map((x) => [x.id, x.identityLogin])).toEqual([
          ["t4", "bot"],
          ["t1", "alice"],
        ]);
        const p1 = await ids().listTokens({ org: "acme", includeInactive: true, now, pageSize: 2, pageToken: "" });
        expect(p1.items.map((x) => x.id)).toEqual(["t4", "t3"]);
        expect(p1.nextPageToken).toBe(encodePageToken([T0 + 2000, "t3"]));
        const p2 = await ids().listTokens({ org: "acme", includeInactive: true, now, pageSize: 2, pageToken: p1.nextPageToken });
        expect(p2.items.map((x) => x.id)).toEqual(["t2", "t1"]);
        expect(p2.nextPageToken).toBe("");
        expect(p2.items[1]).toEqual({
          id: "t1",
          identityId: alice.id,
          description: "t1",
          secretHash: HASH,
          createdAt: at(T0),
          expiresAt: null,
          revokedAt: null,
          lastUsedAt: null,
          scopePermission: null,
          scopeResources: [],
          identityLogin: "alice",
        });
        await expectConnectError(ids().listTokens({ org: "acme", includeInactive: true, now, pageSize: 2, pageToken: encodePageToken(["x", "y"]) }), Code.InvalidArgument, "invalid page token");
      });

      test("tokens with the same creation time page by id", async () => {
        const alice = await ids().createIdentity({ org: "acme", login: "alice", kind: "user", role: "admin" });
        for (const id of ["b", "a", "c"]) await ids().createToken({ id, identityId: alice.id, description: "", secretHash: HASH, expiresAt: null });
        const now = at(T0);
        const p1 = await ids().listTokens({ org: "acme", includeInactive: true, now, pageSize: 2, pageToken: "" });
        expect(p1.items.map((x) => x.id)).toEqual(["c", "b"]);
        const p2 = await ids().listTokens({ org: "acme", includeInactive: true, now, pageSize: 2, pageToken: p1.nextPageToken });
        expect(p2.items.map((x) => x.id)).toEqual(["a"]);
      });
    });
  });
}
