/**
 * Identities, roles and organizations over a real server: members and their roles (admin, member,
 * auditor) take effect at once; removing a member or a service account revokes its tokens and
 * grants; another organization's callers see nothing of this one.
 */
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditService } from "../../src/gen/openesc/v1/audit_pb.js";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { GrantService } from "../../src/gen/openesc/v1/grant_pb.js";
import { IdentityService } from "../../src/gen/openesc/v1/identity_pb.js";
import { MemberService } from "../../src/gen/openesc/v1/member_pb.js";
import { OrganizationService } from "../../src/gen/openesc/v1/organization_pb.js";
import { ServiceAccountService } from "../../src/gen/openesc/v1/service_account_pb.js";
import { TeamService } from "../../src/gen/openesc/v1/team_pb.js";
import { TokenService } from "../../src/gen/openesc/v1/token_pb.js";
import { transportFor } from "../support/clients.js";
import { startTestServer, type TestServer } from "../support/server.js";

async function refusal(p: Promise<unknown>): Promise<[Code, string]> {
  try {
    await p;
  } catch (e) {
    const ce = ConnectError.from(e);
    return [ce.code, ce.rawMessage];
  }
  throw new Error("expected a refusal");
}

let server: TestServer;
const clients = (token: string) => {
  const t = transportFor("connect", server.url, token);
  return {
    envs: createClient(EnvironmentService, t),
    members: createClient(MemberService, t),
    accounts: createClient(ServiceAccountService, t),
    teams: createClient(TeamService, t),
    tokens: createClient(TokenService, t),
    grants: createClient(GrantService, t),
    orgs: createClient(OrganizationService, t),
    whoami: createClient(IdentityService, t),
    audit: createClient(AuditService, t),
  };
};
let admin: ReturnType<typeof clients>;

beforeAll(async () => {
  server = await startTestServer();
  admin = clients(server.token);
  await admin.envs.createEnvironment({ org: "default", project: "app", environment: "prod", definition: "values:\n  a: 1\n" });
}, 60_000);
afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

describe("members and roles", () => {
  it("creates, lists, changes roles (effective at once) and removes users", async () => {
    const created = await admin.members.createMember({ org: "default", login: "ana" });
    expect(created.member?.role).toBe("member");
    expect((await admin.members.listMembers({ org: "default" })).members.map((m) => `${m.login}:${m.role}`)).toEqual(["admin:admin", "ana:member"]);
    expect(await refusal(admin.members.createMember({ org: "default", login: "bob", role: "root" }))).toEqual([Code.InvalidArgument, "role: must be admin, member or auditor"]);
    const ana = clients((await admin.tokens.createToken({ org: "default", user: "ana" })).secret);
    const denied: [Code, string] = [Code.PermissionDenied, `permission denied: needs "admin" on organization "default"`];
    expect(await refusal(ana.teams.createTeam({ org: "default", name: "ops" }))).toEqual(denied);
    expect(await refusal(ana.audit.listAuditEvents({ org: "default" }))).toEqual([Code.PermissionDenied, `permission denied: needs the "auditor" or "admin" role in organization "default"`]);

    await admin.members.updateMemberRole({ org: "default", login: "ana", role: "auditor" });
    await expect(ana.audit.listAuditEvents({ org: "default" })).resolves.toBeDefined();
    expect(await refusal(ana.teams.createTeam({ org: "default", name: "ops" }))).toEqual(denied);
    expect((await ana.whoami.whoAmI({})).role).toBe("auditor");

    await admin.members.updateMemberRole({ org: "default", login: "ana", role: "admin" });
    await ana.teams.createTeam({ org: "default", name: "ops" });
    await ana.teams.addTeamMember({ org: "default", team: "ops", login: "ana" });
    expect((await ana.whoami.whoAmI({})).teams).toEqual(["ops"]);

    await admin.grants.setGrant({ org: "default", project: "app", subject: "user:ana", permission: "read" });
    await admin.members.removeMember({ org: "default", login: "ana" });
    expect(await refusal(ana.whoami.whoAmI({}))).toEqual([Code.Unauthenticated, "invalid token"]);
    expect((await admin.grants.listGrants({ org: "default", project: "app" })).grants).toEqual([]);
    expect((await admin.teams.listTeamMembers({ org: "default", team: "ops" })).logins).toEqual([]);
    expect(await refusal(admin.members.removeMember({ org: "default", login: "ana" }))).toEqual([Code.NotFound, `user "ana" not found in organization "default"`]);
  });
});

describe("service accounts", () => {
  it("are members with tokens; deleting one revokes its tokens", async () => {
    await admin.accounts.createServiceAccount({ org: "default", name: "ci" });
    expect(await refusal(admin.accounts.createServiceAccount({ org: "default", name: "ci" }))).toEqual([Code.AlreadyExists, `identity "ci" already exists in organization "default"`]);
    expect((await admin.accounts.listServiceAccounts({ org: "default" })).serviceAccounts.map((s) => s.name)).toEqual(["ci"]);
    const minted = await admin.tokens.createToken({ org: "default", serviceAccount: "ci", ttlSeconds: 3600n });
    expect(minted.token?.identityKind).toBe("service_account");
    const ci = clients(minted.secret);
    expect((await ci.whoami.whoAmI({})).kind).toBe("service_account");
    expect(await refusal(ci.envs.getEnvironment({ org: "default", project: "app", environment: "prod" }))).toEqual([Code.NotFound, `environment "default/app/prod" not found`]);
    await admin.grants.setGrant({ org: "default", project: "app", environment: "prod", subject: "service-account:ci", permission: "read" });
    expect((await ci.envs.getEnvironment({ org: "default", project: "app", environment: "prod" })).environment?.name).toBe("prod");
    await admin.accounts.deleteServiceAccount({ org: "default", name: "ci" });
    expect(await refusal(ci.whoami.whoAmI({}))).toEqual([Code.Unauthenticated, "invalid token"]);
    // A user of that name is not a service account.
    expect(await refusal(admin.tokens.createToken({ org: "default", serviceAccount: "admin" }))).toEqual([Code.NotFound, `service account "admin" not found in organization "default"`]);
  });
});

describe("organizations", () => {
  it("server admins create organizations and their first admins; other organizations see nothing", async () => {
    await admin.orgs.createOrganization({ name: "acme" });
    const bob = clients((await admin.tokens.createToken({ org: "acme", user: "bob", role: "admin" })).secret);
    expect((await bob.whoami.whoAmI({})).org).toBe("acme");
    expect((await bob.orgs.listOrganizations({})).organizations.map((o) => o.name)).toEqual(["acme"]);
    expect((await admin.orgs.listOrganizations({})).organizations.map((o) => o.name)).toEqual(["acme", "default"]);
    expect(await refusal(bob.orgs.createOrganization({ name: "evil" }))).toEqual([Code.PermissionDenied, `permission denied: needs server admin (an admin of organization "default")`]);
    expect(await refusal(bob.envs.getEnvironment({ org: "default", project: "app", environment: "prod" }))).toEqual([Code.NotFound, `organization "default" not found`]);
    expect((await bob.envs.listEnvironments({ org: "default" })).environments).toEqual([]);
    expect((await bob.envs.listEnvironments({})).environments).toEqual([]);
    expect(await refusal(bob.members.listMembers({ org: "default" }))).toEqual([Code.NotFound, `organization "default" not found`]);
    // bob administers acme: environments, teams, grants there
    await bob.envs.createEnvironment({ org: "acme", project: "web", environment: "dev", definition: "values: {}\n" });
    await bob.teams.createTeam({ org: "acme", name: "web" });
    expect((await bob.envs.listEnvironments({})).environments.map((e) => `${e.org}/${e.project}/${e.name}`)).toEqual(["acme/web/dev"]);
    // a token for another organization's identity needs admin there
    expect(await refusal(bob.tokens.createToken({ org: "default", user: "mallory" }))).toEqual([Code.NotFound, `organization "default" not found`]);
  });
});
