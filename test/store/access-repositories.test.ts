import { Code } from "@connectrpc/connect";
import { beforeEach, describe, expect, it } from "vitest";
import { createGrantRepository, createTeamRepository, createTrustPolicyRepository, type Store } from "../../src/store/index.js";
import { DIALECTS, dialectAvailable, expectConnectError, useTestStore, type TestStore } from "./dialects.js";

// The access tables (migration 0005) are not in TABLES_CHILDREN_FIRST: clear them before the shared reset.
async function clearAccess(store: Store): Promise<void> {
  for (const table of ["team_members", "teams", "grants", "org_access_settings", "trust_policies"]) {
    await store.db.deleteFrom(table as never).execute();
  }
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`${dialect}: access repositories`, () => {
    let t: TestStore | undefined;
    beforeEach(async () => {
      if (t !== undefined) await clearAccess(t.store);
    });
    t = useTestStore(dialect);
    const s = () => (t as TestStore).store;

    async function seed() {
      await s().organizations.create({ name: "acme", description: "" });
      const ana = await s().identities.createIdentity({ org: "acme", login: "ana", kind: "user", role: "member" });
      const ci = await s().identities.createIdentity({ org: "acme", login: "ci", kind: "service_account", role: "member" });
      await s().identities.createToken({ id: "00000000000000a1", identityId: ana.id, description: "", secretHash: "h", expiresAt: null, scope: { permission: "read", resources: ["pay/prod", "ops"] } });
      return { ana, ci };
    }

    it("grants: upsert, filters, what applies to a caller, removal with subjects and environments, copies", async () => {
      const { ana } = await seed();
      const grants = createGrantRepository(s().db, () => 5);
      const teams = createTeamRepository(s().db);
      const team = await teams.create({ org: "acme", name: "pay", description: "" });
      await teams.addMember(team.id, ana.id);
      await grants.set({ org: "acme", subjectKind: "identity", subjectId: ana.id, project: "pay", environment: "prod", permission: "read", editor: "root" });
      await grants.set({ org: "acme", subjectKind: "identity", subjectId: ana.id, project: "pay", environment: "prod", permission: "write", editor: "root" });
      await grants.set({ org: "acme", subjectKind: "team", subjectId: team.id, project: "pay", environment: "", permission: "open", editor: "root" });
      await grants.set({ org: "acme", subjectKind: "token", subjectId: "00000000000000a1", project: "", environment: "", permission: "read", editor: "root" });
      await grants.set({ org: "acme", subjectKind: "identity", subjectId: "someone", project: "ops", environment: "", permission: "admin", editor: "root" });

      const mine = await grants.forCaller({ org: "acme", identityId: ana.id, tokenId: "00000000000000a1" });
      expect(mine.map((g) => `${g.project}/${g.environment}=${g.permission}`).sort()).toEqual(["/=read", "pay/=open", "pay/prod=write"]);
      expect((await grants.list({ org: "acme", appliesTo: { project: "pay", environment: "prod" } })).map((g) => `${g.project}/${g.environment}=${g.permission}`)).toEqual([
        "/=read",
        "pay/=open",
        "pay/prod=write",
      ]);
      expect((await grants.list({ org: "acme", subjectIds: [ana.id] })).map((g) => g.permission)).toEqual(["write"]);
      expect((await grants.list({ org: "acme", subjectIds: [] }))).toEqual([]);

      expect(await grants.copyEnvironmentGrants({ org: "acme", project: "pay", name: "prod" }, { org: "acme", project: "pay", name: "copy" }, "bob")).toBe(1);
      expect((await grants.list({ org: "acme", appliesTo: { project: "pay", environment: "copy" } })).find((g) => g.environment === "copy")?.editor).toBe("bob");
      await grants.removeOnEnvironment({ org: "acme", project: "pay", name: "prod" });
      expect((await grants.list({ org: "acme", subjectIds: [ana.id] })).map((g) => g.environment)).toEqual(["copy"]);
      await grants.removeSubject(ana.id);
      expect(await grants.list({ org: "acme", subjectIds: [ana.id] })).toEqual([]);
      expect(await grants.remove({ org: "acme", subjectKind: "team", subjectId: team.id, project: "pay", environment: "" })).toBe(true);
      expect(await grants.remove({ org: "acme", subjectKind: "team", subjectId: team.id, project: "pay", environment: "" })).toBe(false);

      expect(await grants.defaultPermission("acme")).toBe("none");
      await grants.setDefaultPermission("acme", "read");
      await grants.setDefaultPermission("acme", "open");
      expect(await grants.defaultPermission("acme")).toBe("open");
    });

    it("teams: unique names, paging, idempotent membership, teams of an identity, deletion", async () => {
      const { ana, ci } = await seed();
      const teams = createTeamRepository(s().db);
      for (const name of ["c", "a", "b"]) await teams.create({ org: "acme", name, description: `team ${name}` });
      await expectConnectError(teams.create({ org: "acme", name: "a", description: "" }), Code.AlreadyExists, `team "a" already exists in organization "acme"`);
      const a = await teams.get("acme", "a");
      await teams.addMember(a.id, ci.id);
      await teams.addMember(a.id, ana.id);
      await teams.addMember(a.id, ana.id);
      expect((await teams.get("acme", "a")).members).toEqual(["ana", "ci"]);
      const first = await teams.list("acme", { pageSize: 2, pageToken: "" });
      expect(first.items.map((x) => x.name)).toEqual(["a", "b"]);
      expect(first.items[0]?.members).toEqual(["ana", "ci"]);
      const second = await teams.list("acme", { pageSize: 2, pageToken: first.nextPageToken });
      expect([second.items.map((x) => x.name), second.nextPageToken]).toEqual([["c"], ""]);
      expect(await teams.teamsOf(ana.id)).toEqual(["a"]);
      expect(await teams.removeMember(a.id, ana.id)).toBe(true);
      expect(await teams.removeMember(a.id, ana.id)).toBe(false);
      expect(await teams.delete("acme", "a")).toBe(a.id);
      await expectConnectError(teams.get("acme", "a"), Code.NotFound, `team "a" not found in organization "acme"`);
      await expectConnectError(teams.delete("acme", "a"), Code.NotFound, `team "a" not found in organization "acme"`);
    });

    it("identities: listing by kind, roles, deletion with tokens and memberships; token scopes round-trip", async () => {
      const { ana, ci } = await seed();
      const teams = createTeamRepository(s().db);
      const team = await teams.create({ org: "acme", name: "t", description: "" });
      await teams.addMember(team.id, ana.id);
      expect((await s().identities.listIdentities({ org: "acme", kind: "user", pageSize: 10, pageToken: "" })).items.map((i) => i.login)).toEqual(["ana"]);
      expect((await s().identities.listIdentities({ org: "acme", kind: "service_account", pageSize: 10, pageToken: "" })).items.map((i) => i.id)).toEqual([ci.id]);
      expect((await s().identities.updateRole(ana.id, "auditor")).role).toBe("auditor");
      const found = await s().identities.findToken("00000000000000a1");
      expect([found?.token.scopePermission, found?.token.scopeResources]).toEqual(["read", ["pay/prod", "ops"]]);
      expect((await s().identities.listTokens({ org: "acme", identityId: ci.id, includeInactive: true, now: new Date(), pageSize: 10, pageToken: "" })).items).toEqual([]);
      await s().identities.deleteIdentity(ana.id);
      expect(await s().identities.findToken("00000000000000a1")).toBeUndefined();
      expect((await teams.get("acme", "t")).members).toEqual([]);
    });

    it("trust policies: create, list with the identity, unique names, delete", async () => {
      const { ci } = await seed();
      const policies = createTrustPolicyRepository(s().db, () => 7);
      const policy = {
        org: "acme",
        name: "gha",
        issuer: "https://token.actions.githubusercontent.com",
        audience: "openesc",
        subjectPattern: "repo:acme/*",
        claimConditions: { ref: "refs/heads/main" },
        identityId: ci.id,
        maxLifetimeSeconds: 900,
        scopePermission: "open",
        scopeResources: ["pay"],
      };
      await policies.create(policy);
      await expectConnectError(policies.create(policy), Code.AlreadyExists, `trust policy "gha" already exists in organization "acme"`);
      expect(await policies.list("acme")).toEqual([{ ...policy, identityLogin: "ci", identityKind: "service_account", createdAt: new Date(7) }]);
      await policies.delete("acme", "gha");
      await expectConnectError(policies.delete("acme", "gha"), Code.NotFound, `trust policy "gha" not found in organization "acme"`);
    });
  });
}
