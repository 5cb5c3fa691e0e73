/**
 * The authorization matrix (issue 6 §6): every RPC of the contract, called as each kind of caller,
 * against a real server on SQLite and on PostgreSQL; each cell asserts the exact outcome. The RPC
 * list comes from the contract (contractServices), so a new RPC without a row here fails, and so
 * does one without a rule in access-rules.ts.
 *
 * Calls rotate over the Connect, gRPC-Web and gRPC protocols. Requests are built so that an allowed call has a fixed, harmless result (an AlreadyExists, a stale
 * base revision, a deletion-protected environment…): the matrix can run every cell against one
 * shared state.
 */
import type { DescMethod } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { GrantService } from "../../src/gen/openesc/v1/grant_pb.js";
import { RevisionService } from "../../src/gen/openesc/v1/revision_pb.js";
import { RevisionTagService } from "../../src/gen/openesc/v1/revision_tag_pb.js";
import { EnvironmentTagService } from "../../src/gen/openesc/v1/environment_tag_pb.js";
import { ServiceAccountService } from "../../src/gen/openesc/v1/service_account_pb.js";
import { TeamService } from "../../src/gen/openesc/v1/team_pb.js";
import { TokenService } from "../../src/gen/openesc/v1/token_pb.js";
import { TrustPolicyService } from "../../src/gen/openesc/v1/trust_policy_pb.js";
import { IdentityService } from "../../src/gen/openesc/v1/identity_pb.js";
import { ACCESS_RULES } from "../../src/server/rpc/access-rules.js";
import { contractServices } from "../../src/server/service-catalog.js";
import { PROTOCOLS, transportFor, type Protocol } from "../support/clients.js";
import { createTestDatabase, testPostgresUrl, type TestDatabase } from "../support/postgres.js";
import { startTestServer, type TestServer } from "../support/server.js";

const pgUrl = testPostgresUrl();
if (pgUrl === undefined) console.warn("\n*** PostgreSQL not available: the authorization matrix on Postgres is SKIPPED ***\n");

const ORG = "default";
const TARGET = { org: ORG, project: "app", environment: "target" };
const NOT_FOUND = `environment "default/app/target" not found`;

type Level = "none" | "read" | "open" | "write" | "admin";
/** A caller of the matrix: `unauthenticated` ones never get past authentication. */
interface Caller {
  readonly name: string;
  /** Its effective permission on default/app/target; "unauthenticated" for bad credentials. */
  readonly level: Level | "unauthenticated";
  /** Admin of the organization (and so server admin: it is org `default`). */
  readonly orgAdmin: boolean;
  token?: string;
}

const CALLERS: Caller[] = [
  { name: "anonymous", level: "unauthenticated", orgAdmin: false },
  { name: "bad token", level: "unauthenticated", orgAdmin: false, token: `oesc_0123456789abcdef_${"A".repeat(43)}` },
  { name: "expired token", level: "unauthenticated", orgAdmin: false },
  { name: "revoked token", level: "unauthenticated", orgAdmin: false },
  { name: "member, no grant", level: "none", orgAdmin: false },
  { name: "read on env", level: "read", orgAdmin: false },
  { name: "open on env", level: "open", orgAdmin: false },
  { name: "write on env", level: "write", orgAdmin: false },
  { name: "admin on env", level: "admin", orgAdmin: false },
  { name: "read via team", level: "read", orgAdmin: false },
  { name: "open via team", level: "open", orgAdmin: false },
  { name: "write via team", level: "write", orgAdmin: false },
  { name: "admin via team", level: "admin", orgAdmin: false },
  { name: "token scoped to read (identity: admin on env)", level: "read", orgAdmin: false },
  { name: "org admin", level: "admin", orgAdmin: true },
];

/** What a cell expects: a code, and for refusals the exact message. */
interface Outcome {
  readonly code: Code | "ok";
  readonly message?: string;
}
const ok: Outcome = { code: "ok" };
const is = (code: Code, message?: string): Outcome => ({ code, ...(message === undefined ? {} : { message }) });
const UNAUTH: Record<string, Outcome> = {
  anonymous: is(Code.Unauthenticated, "missing authorization header: send `authorization: Bearer <token>`"),
  "bad token": is(Code.Unauthenticated, "invalid token"),
  "expired token": is(Code.Unauthenticated, "token expired"),
  "revoked token": is(Code.Unauthenticated, "token revoked"),
};
const RANK: Record<Level, number> = { none: 0, read: 1, open: 2, write: 3, admin: 4 };

type Expect = (caller: Caller) => Outcome;
/** Needs `need` on the target; below read it does not exist. */
const onEnv =
  (need: Level, allowed: Outcome): Expect =>
  (c) =>
    c.level === "unauthenticated"
      ? (UNAUTH[c.name] as Outcome)
      : RANK[c.level] >= RANK[need]
        ? allowed
        : RANK[c.level] < RANK.read
          ? is(Code.NotFound, NOT_FOUND)
          : is(Code.PermissionDenied, `permission denied: needs "${need}" on environment "default/app/target"`);
/** Needs `need` on the target, with no hiding (creating, granting: the answer is the same whether it exists or not). */
const onEnvOpenly =
  (need: Level, allowed: Outcome): Expect =>
  (c) =>
    c.level === "unauthenticated"
      ? (UNAUTH[c.name] as Outcome)
      : RANK[c.level] >= RANK[need]
        ? allowed
        : is(Code.PermissionDenied, `permission denied: needs "${need}" on environment "default/app/target"`);
const authenticated =
  (allowed: Outcome): Expect =>
  (c) =>
    c.level === "unauthenticated" ? (UNAUTH[c.name] as Outcome) : allowed;
const orgAdmin =
  (allowed: Outcome): Expect =>
  (c) =>
    c.level === "unauthenticated" ? (UNAUTH[c.name] as Outcome) : c.orgAdmin ? allowed : is(Code.PermissionDenied, `permission denied: needs "admin" on organization "default"`);
const serverAdmin =
  (allowed: Outcome): Expect =>
  (c) =>
    c.level === "unauthenticated" ? (UNAUTH[c.name] as Outcome) : c.orgAdmin ? allowed : is(Code.PermissionDenied, `permission denied: needs server admin (an admin of organization "default")`);
const auditor =
  (allowed: Outcome): Expect =>
  (c) =>
    c.level === "unauthenticated" ? (UNAUTH[c.name] as Outcome) : c.orgAdmin ? allowed : is(Code.PermissionDenied, `permission denied: needs the "auditor" or "admin" role in organization "default"`);
const everyone =
  (allowed: Outcome): Expect =>
  () =>
    allowed;

/** One row: the request and the expectation of every cell. */
interface Row {
  readonly request: Record<string, unknown>;
  readonly expect: Expect;
}

const MISSING_TOKEN = "00000000000000aa";
const ROWS: Readonly<Record<string, Row>> = {
  "openesc.v1.EnvironmentService/CreateEnvironment": { request: { ...TARGET, definition: "values: {}\n" }, expect: onEnvOpenly("write", is(Code.AlreadyExists)) },
  "openesc.v1.EnvironmentService/GetEnvironment": { request: TARGET, expect: onEnv("read", ok) },
  "openesc.v1.EnvironmentService/UpdateEnvironment": { request: { ...TARGET, definition: "values: {}\n", baseRevision: 1n }, expect: onEnv("write", is(Code.Aborted)) },
  "openesc.v1.EnvironmentService/DeleteEnvironment": { request: TARGET, expect: onEnv("admin", is(Code.FailedPrecondition)) },
  "openesc.v1.EnvironmentService/ListEnvironments": { request: { org: ORG }, expect: authenticated(ok) },
  "openesc.v1.EnvironmentService/CloneEnvironment": {
    request: { ...TARGET, destEnvironment: "other" },
    // write on the source, then write on the destination (which only org admins have): it exists.
    expect: (c) =>
      c.level !== "unauthenticated" && RANK[c.level] >= RANK.write && !c.orgAdmin
        ? is(Code.PermissionDenied, `permission denied: needs "write" on environment "default/app/other"`)
        : onEnv("write", is(Code.AlreadyExists))(c),
  },
  "openesc.v1.EnvironmentService/GetEnvironmentSettings": { request: TARGET, expect: onEnv("read", ok) },
  "openesc.v1.EnvironmentService/UpdateEnvironmentSettings": { request: { ...TARGET, deletionProtected: true }, expect: onEnv("admin", ok) },
  "openesc.v1.EnvironmentService/CheckEnvironment": { request: TARGET, expect: onEnv("read", ok) },
  "openesc.v1.RevisionService/ListRevisions": { request: TARGET, expect: onEnv("read", ok) },
  "openesc.v1.RevisionService/GetRevision": { request: { ...TARGET, version: "1" }, expect: onEnv("read", ok) },
  "openesc.v1.RevisionService/RetractRevision": { request: { ...TARGET, revision: 2n, reason: "again" }, expect: onEnv("write", is(Code.FailedPrecondition)) },
  "openesc.v1.RevisionService/RollbackEnvironment": { request: { ...TARGET, version: "1", baseRevision: 1n }, expect: onEnv("write", is(Code.Aborted)) },
  "openesc.v1.RevisionTagService/CreateRevisionTag": { request: { ...TARGET, tag: "stable", revision: 1n }, expect: onEnv("write", is(Code.AlreadyExists)) },
  "openesc.v1.RevisionTagService/GetRevisionTag": { request: { ...TARGET, tag: "stable" }, expect: onEnv("read", ok) },
  "openesc.v1.RevisionTagService/UpdateRevisionTag": { request: { ...TARGET, tag: "stable", revision: 1n }, expect: onEnv("write", ok) },
  "openesc.v1.RevisionTagService/DeleteRevisionTag": { request: { ...TARGET, tag: "latest" }, expect: onEnv("write", is(Code.FailedPrecondition)) },
  "openesc.v1.RevisionTagService/ListRevisionTags": { request: TARGET, expect: onEnv("read", ok) },
  "openesc.v1.EnvironmentTagService/SetEnvironmentTag": { request: { ...TARGET, name: "team", value: "payments" }, expect: onEnv("write", ok) },
  "openesc.v1.EnvironmentTagService/GetEnvironmentTag": { request: { ...TARGET, name: "team" }, expect: onEnv("read", ok) },
  "openesc.v1.EnvironmentTagService/RenameEnvironmentTag": { request: { ...TARGET, name: "team", newName: "owner" }, expect: onEnv("write", is(Code.AlreadyExists)) },
  "openesc.v1.EnvironmentTagService/DeleteEnvironmentTag": {
    request: { ...TARGET, name: "nope" },
    expect: onEnv("write", is(Code.NotFound, `environment tag "nope" of "default/app/target" not found`)),
  },
  "openesc.v1.EnvironmentTagService/ListEnvironmentTags": { request: TARGET, expect: onEnv("read", ok) },
  "openesc.v1.OpenService/OpenEnvironment": { request: TARGET, expect: onEnv("open", ok) },
  "openesc.v1.OpenService/ReadOpenEnvironment": {
    request: { ...TARGET, sessionId: "00000000-0000-0000-0000-000000000000" },
    expect: onEnv("open", is(Code.NotFound, `session "00000000-0000-0000-0000-000000000000" not found`)),
  },
  "openesc.v1.OpenService/ResolveEnvironment": { request: TARGET, expect: onEnv("open", ok) },
  "openesc.v1.OpenService/ResolveAnonymousEnvironment": { request: { org: ORG, definition: "values:\n  a: 1\n" }, expect: authenticated(ok) },
  "openesc.v1.OrganizationService/CreateOrganization": { request: { name: ORG }, expect: serverAdmin(is(Code.AlreadyExists)) },
  "openesc.v1.OrganizationService/GetOrganization": { request: { name: ORG }, expect: authenticated(ok) },
  "openesc.v1.OrganizationService/ListOrganizations": { request: {}, expect: authenticated(ok) },
  "openesc.v1.OrganizationService/GetOrganizationSettings": { request: { org: ORG }, expect: authenticated(ok) },
  "openesc.v1.OrganizationService/UpdateOrganizationSettings": { request: { org: ORG, settings: { defaultPermission: "none" } }, expect: orgAdmin(ok) },
  "openesc.v1.MemberService/CreateMember": { request: { org: ORG, login: "admin" }, expect: orgAdmin(is(Code.AlreadyExists)) },
  "openesc.v1.MemberService/ListMembers": { request: { org: ORG }, expect: authenticated(ok) },
  "openesc.v1.MemberService/UpdateMemberRole": { request: { org: ORG, login: "nobody", role: "member" }, expect: orgAdmin(is(Code.NotFound)) },
  "openesc.v1.MemberService/RemoveMember": { request: { org: ORG, login: "nobody" }, expect: orgAdmin(is(Code.NotFound)) },
  "openesc.v1.ServiceAccountService/CreateServiceAccount": { request: { org: ORG, name: "ci" }, expect: orgAdmin(is(Code.AlreadyExists)) },
  "openesc.v1.ServiceAccountService/ListServiceAccounts": { request: { org: ORG }, expect: authenticated(ok) },
  "openesc.v1.ServiceAccountService/DeleteServiceAccount": { request: { org: ORG, name: "nobody" }, expect: orgAdmin(is(Code.NotFound)) },
  "openesc.v1.TeamService/CreateTeam": { request: { org: ORG, name: "team-read" }, expect: orgAdmin(is(Code.AlreadyExists)) },
  "openesc.v1.TeamService/ListTeams": { request: { org: ORG }, expect: authenticated(ok) },
  "openesc.v1.TeamService/DeleteTeam": { request: { org: ORG, name: "nope" }, expect: orgAdmin(is(Code.NotFound)) },
  "openesc.v1.TeamService/AddTeamMember": { request: { org: ORG, team: "team-read", login: "nobody" }, expect: orgAdmin(is(Code.NotFound)) },
  "openesc.v1.TeamService/RemoveTeamMember": { request: { org: ORG, team: "team-read", login: "nobody" }, expect: orgAdmin(is(Code.NotFound)) },
  "openesc.v1.TeamService/ListTeamMembers": { request: { org: ORG, team: "team-read" }, expect: authenticated(ok) },
  "openesc.v1.GrantService/SetGrant": { request: { ...TARGET, subject: "user:nobody", permission: "read" }, expect: onEnvOpenly("admin", is(Code.NotFound)) },
  "openesc.v1.GrantService/RemoveGrant": { request: { ...TARGET, subject: "user:nobody" }, expect: onEnvOpenly("admin", is(Code.NotFound)) },
  "openesc.v1.GrantService/ListGrants": { request: TARGET, expect: onEnvOpenly("admin", ok) },
  "openesc.v1.TokenService/CreateToken": { request: { description: "matrix", ttlSeconds: 60n }, expect: authenticated(ok) },
  "openesc.v1.TokenService/ListTokens": { request: {}, expect: authenticated(ok) },
  "openesc.v1.TokenService/RevokeToken": { request: { id: MISSING_TOKEN }, expect: authenticated(is(Code.NotFound, `token "${MISSING_TOKEN}" not found`)) },
  "openesc.v1.IdentityService/WhoAmI": { request: {}, expect: authenticated(ok) },
  "openesc.v1.TrustPolicyService/CreateTrustPolicy": {
    request: { policy: { org: ORG, name: "gha", issuer: "https://token.actions.githubusercontent.com", audience: "openesc", subjectPattern: "repo:acme/*", identity: "service-account:ci" } },
    expect: orgAdmin(is(Code.AlreadyExists)),
  },
  "openesc.v1.TrustPolicyService/ListTrustPolicies": { request: { org: ORG }, expect: orgAdmin(ok) },
  "openesc.v1.TrustPolicyService/DeleteTrustPolicy": { request: { org: ORG, name: "nope" }, expect: orgAdmin(is(Code.NotFound)) },
  "openesc.v1.TrustPolicyService/ExchangeToken": {
    request: { org: ORG, oidcToken: "not.a.jwt" },
    expect: everyone(is(Code.Unauthenticated, `oidc token rejected: no trust policy of organization "default" accepts its issuer`)),
  },
  "openesc.v1.ProviderService/ListProviders": { request: {}, expect: authenticated(ok) },
  "openesc.v1.ProviderService/GetProviderSchema": { request: { name: "aws-login" }, expect: authenticated(ok) },
  "openesc.v1.AuditService/ListAuditEvents": { request: { org: ORG }, expect: auditor(ok) },
  "openesc.v1.AuditService/VerifyAuditLog": { request: { org: ORG }, expect: auditor(ok) },
  "openesc.v1.AuditService/ExportAuditEvents": { request: { org: ORG }, expect: auditor(ok) },
};

const METHODS: DescMethod[] = contractServices.flatMap((s) => s.methods);
const rpcName = (m: DescMethod) => `${m.parent.typeName}/${m.name}`;

describe("the authorization matrix covers the contract", () => {
  it("has a row for every RPC and no row for an RPC that does not exist", () => {
    expect(METHODS.map(rpcName).filter((n) => ROWS[n] === undefined)).toEqual([]);
    expect(Object.keys(ROWS).filter((n) => !METHODS.some((m) => rpcName(m) === n))).toEqual([]);
  });
  it("every RPC has an access rule (a method without one is refused by the pipeline)", () => {
    expect(METHODS.map(rpcName).filter((n) => ACCESS_RULES[n] === undefined)).toEqual([]);
  });
});

async function call(protocol: Protocol, baseUrl: string, token: string | undefined, method: DescMethod, request: Record<string, unknown>): Promise<{ code: Code | "ok"; message: string }> {
  const client = createClient(method.parent, transportFor(protocol, baseUrl, token)) as unknown as Record<string, (r: unknown) => unknown>;
  try {
    const fn = client[method.localName] as (r: unknown) => unknown;
    if (method.methodKind === "server_streaming") {
      for await (const _ of fn(request) as AsyncIterable<unknown>) void _;
    } else {
      await fn(request);
    }
    return { code: "ok", message: "" };
  } catch (e) {
    const ce = ConnectError.from(e);
    return { code: ce.code, message: ce.rawMessage };
  }
}

const DIALECTS = [
  { name: "sqlite", enabled: true },
  { name: "postgres", enabled: pgUrl !== undefined },
] as const;

describe.each(DIALECTS)("authorization matrix on $name", ({ name, enabled }) => {
  let server: TestServer;
  let database: TestDatabase | undefined;
  const callers = CALLERS.map((c) => ({ ...c }));

  beforeAll(async () => {
    if (!enabled) return;
    database = name === "postgres" ? await createTestDatabase() : undefined;
    server = await startTestServer({ database: database?.url });
    await seed(server, callers);
  }, 120_000);
  afterAll(async () => {
    if (!enabled) return;
    expect(await server.stop()).toBe(0);
    await database?.drop();
  });

  it.skipIf(!enabled)("every cell has the exact expected outcome", async () => {
    const mismatches: string[] = [];
    for (const method of METHODS) {
      const row = ROWS[rpcName(method)] as Row;
      for (const [i, caller] of callers.entries()) {
        const want = row.expect(caller);
        // Each caller on a different protocol in turn (Connect, gRPC-Web, gRPC): the rules hold on all.
        const got = await call(PROTOCOLS[(i + METHODS.indexOf(method)) % PROTOCOLS.length] as Protocol, server.url, caller.token, method, row.request);
        const codeOk = got.code === want.code;
        const messageOk = want.message === undefined || got.message === want.message;
        if (!codeOk || !messageOk) {
          const show = (o: { code: Code | "ok"; message?: string }) => `${o.code === "ok" ? "ok" : Code[o.code]}${o.message === undefined || o.message === "" ? "" : ` "${o.message}"`}`;
          mismatches.push(`${rpcName(method)} as ${caller.name}: want ${show(want)}, got ${show(got)}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  }, 300_000);
});

/** The shared state: the target environment, one identity (and token) per caller, teams and grants. */
async function seed(server: TestServer, callers: Caller[]): Promise<void> {
  const admin = transportFor("connect", server.url, server.token);
  const envs = createClient(EnvironmentService, admin);
  const revisions = createClient(RevisionService, admin);
  const tokens = createClient(TokenService, admin);
  const grants = createClient(GrantService, admin);
  const teams = createClient(TeamService, admin);

  await envs.createEnvironment({ ...TARGET, definition: "values:\n  greeting: hello\n  password:\n    fn::secret: hunter2\n" });
  await envs.updateEnvironment({ ...TARGET, definition: "values:\n  greeting: hi\n", baseRevision: 1n });
  await envs.updateEnvironment({ ...TARGET, definition: "values:\n  greeting: hey\n", baseRevision: 2n });
  await revisions.retractRevision({ ...TARGET, revision: 2n, reason: "typo" });
  await createClient(RevisionTagService, admin).createRevisionTag({ ...TARGET, tag: "stable", revision: 1n });
  const tags = createClient(EnvironmentTagService, admin);
  await tags.setEnvironmentTag({ ...TARGET, name: "team", value: "payments" });
  await tags.setEnvironmentTag({ ...TARGET, name: "owner", value: "ana" });
  await envs.updateEnvironmentSettings({ ...TARGET, deletionProtected: true });
  await envs.createEnvironment({ org: ORG, project: "app", environment: "other", definition: "values: {}\n" });
  await createClient(ServiceAccountService, admin).createServiceAccount({ org: ORG, name: "ci" });
  await createClient(TrustPolicyService, admin).createTrustPolicy({
    policy: { org: ORG, name: "gha", issuer: "https://token.actions.githubusercontent.com", audience: "openesc", subjectPattern: "repo:acme/*", identity: "service-account:ci" },
  });
  for (const level of ["read", "open", "write", "admin"] as const) {
    await teams.createTeam({ org: ORG, name: `team-${level}` });
    await grants.setGrant({ ...TARGET, subject: `team:team-${level}`, permission: level });
  }

  const tokenFor = async (user: string, options: { role?: string; ttlSeconds?: bigint; scope?: { permission: string } } = {}) =>
    (await tokens.createToken({ org: ORG, user, role: options.role ?? "member", ttlSeconds: options.ttlSeconds ?? 0n, ...(options.scope === undefined ? {} : { scope: options.scope }) })).secret;
  const grant = (user: string, permission: string) => grants.setGrant({ ...TARGET, subject: `user:${user}`, permission });

  for (const caller of callers) {
    switch (caller.name) {
      case "expired token": {
        caller.token = await tokenFor("expiring", { ttlSeconds: 1n });
        await grant("expiring", "admin");
        break;
      }
      case "revoked token": {
        const res = await tokens.createToken({ org: ORG, user: "revoked" });
        await grant("revoked", "admin");
        await tokens.revokeToken({ id: res.token?.id ?? "" });
        caller.token = res.secret;
        break;
      }
      case "member, no grant":
        caller.token = await tokenFor("nogrant");
        break;
      case "read on env":
      case "open on env":
      case "write on env":
      case "admin on env": {
        const level = caller.name.split(" ")[0] as string;
        caller.token = await tokenFor(`direct-${level}`);
        await grant(`direct-${level}`, level);
        break;
      }
      case "read via team":
      case "open via team":
      case "write via team":
      case "admin via team": {
        const level = caller.name.split(" ")[0] as string;
        caller.token = await tokenFor(`member-${level}`);
        await teams.addTeamMember({ org: ORG, team: `team-${level}`, login: `member-${level}` });
        break;
      }
      case "token scoped to read (identity: admin on env)":
        caller.token = await tokenFor("scoped", { scope: { permission: "read" } });
        await grant("scoped", "admin");
        break;
      case "org admin":
        caller.token = await tokenFor("boss", { role: "admin" });
        break;
    }
  }
  // The 1 s token must have expired before the matrix runs: wait for the server to say so.
  const expired = callers.find((c) => c.name === "expired token") as Caller;
  const whoami = createClient(IdentityService, transportFor("connect", server.url, expired.token));
  for (;;) {
    try {
      await whoami.whoAmI({});
    } catch (e) {
      if (ConnectError.from(e).rawMessage === "token expired") break;
      throw e;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
