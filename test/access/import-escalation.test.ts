/**
 * Opening needs `open` on the environment AND on every environment it imports (issue 6 §2): a caller
 * with `open` on A cannot get B's values through A importing B. Also: listing shows only what the
 * caller can read, token scopes cap what a token reaches, clone --preserve-access copies grants,
 * deleting an environment drops its grants. Real server on SQLite.
 */
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { GrantService } from "../../src/gen/openesc/v1/grant_pb.js";
import { IdentityService } from "../../src/gen/openesc/v1/identity_pb.js";
import { OpenService } from "../../src/gen/openesc/v1/open_pb.js";
import { OrganizationService } from "../../src/gen/openesc/v1/organization_pb.js";
import { TokenService } from "../../src/gen/openesc/v1/token_pb.js";
import { transportFor } from "../support/clients.js";
import { startTestServer, type TestServer } from "../support/server.js";

const ORG = "default";
const env = (name: string, project = "esc") => ({ org: ORG, project, environment: name });

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
const tokenOf: Record<string, string> = {};
const as = (user: string) => {
  const t = transportFor("connect", server.url, tokenOf[user]);
  return { envs: createClient(EnvironmentService, t), open: createClient(OpenService, t), tokens: createClient(TokenService, t), whoami: createClient(IdentityService, t), grants: createClient(GrantService, t) };
};

beforeAll(async () => {
  server = await startTestServer();
  const admin = transportFor("connect", server.url, server.token);
  const envs = createClient(EnvironmentService, admin);
  const grants = createClient(GrantService, admin);
  const tokens = createClient(TokenService, admin);
  await envs.createEnvironment({ ...env("c"), definition: "values:\n  cValue: from-c\n  cSecret:\n    fn::secret: c-hunter2\n" });
  await envs.createEnvironment({ ...env("b"), definition: "imports:\n  - esc/c\nvalues:\n  bSecret:\n    fn::secret: b-hunter2\n" });
  await envs.createEnvironment({ ...env("a"), definition: "imports:\n  - esc/b\nvalues:\n  aValue: from-a\n" });
  await envs.createEnvironment({ ...env("solo"), definition: "values:\n  x: 1\n" });
  await envs.createEnvironment({ ...env("elsewhere", "other"), definition: "values:\n  y: 2\n" });
  const setup: [string, [string, string][]][] = [
    ["readb", [["a", "open"], ["b", "read"]]],
    ["noneb", [["a", "open"]]],
    ["readc", [["a", "open"], ["b", "open"], ["c", "read"]]],
    ["all", [["a", "open"], ["b", "open"], ["c", "open"]]],
  ];
  for (const [user, list] of setup) {
    tokenOf[user] = (await tokens.createToken({ org: ORG, user })).secret;
    for (const [name, permission] of list) await grants.setGrant({ ...env(name), subject: `user:${user}`, permission });
  }
  tokenOf.project = (await tokens.createToken({ org: ORG, user: "project-admin" })).secret;
  await grants.setGrant({ org: ORG, project: "esc", subject: "user:project-admin", permission: "admin" });
}, 60_000);
afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

describe("opening checks every import", () => {
  const deniedB = `permission denied: needs "open" on imported environment "default/esc/b"`;
  it("refuses open on A naming B when B is readable but not openable, for every way of opening", async () => {
    const c = as("readb");
    expect(await refusal(c.open.openEnvironment(env("a")))).toEqual([Code.PermissionDenied, deniedB]);
    expect(await refusal(c.open.resolveEnvironment(env("a")))).toEqual([Code.PermissionDenied, deniedB]);
    expect(await refusal(c.open.resolveAnonymousEnvironment({ org: ORG, definition: "imports:\n  - esc/b\n" }))).toEqual([Code.PermissionDenied, deniedB]);
    // check mode reads imports: allowed with read; revealing needs open
    await expect(c.envs.checkEnvironment(env("a"))).resolves.toBeDefined();
    expect(await refusal(c.envs.checkEnvironment({ ...env("a"), reveal: true }))).toEqual([Code.PermissionDenied, deniedB]);
  });

  it("reports an import the caller cannot read exactly like a missing one", async () => {
    const c = as("noneb");
    const [code, message] = await refusal(c.open.openEnvironment(env("a")));
    expect(code).toBe(Code.FailedPrecondition);
    expect(message).toContain(`environment "esc/b" not found`);
    expect(message).not.toContain("hunter2");
    // The same call against an environment importing a missing one reads the same, but for the name.
    const [, missing] = await refusal(c.open.resolveAnonymousEnvironment({ org: ORG, definition: "imports:\n  - esc/zz\n" }));
    const [, hidden] = await refusal(c.open.resolveAnonymousEnvironment({ org: ORG, definition: "imports:\n  - esc/b\n" }));
    expect(hidden.replaceAll("esc/b", "esc/zz")).toBe(missing);
  });

  it("checks imports transitively (A → B → C)", async () => {
    expect(await refusal(as("readc").open.resolveEnvironment(env("a")))).toEqual([Code.PermissionDenied, `permission denied: needs "open" on imported environment "default/esc/c"`]);
    const res = await as("all").open.resolveEnvironment(env("a"));
    expect(JSON.parse(res.valueJson)).toEqual({ aValue: "from-a", bSecret: "b-hunter2", cSecret: "c-hunter2", cValue: "from-c" });
  });

  it("never returns B's values in the refusal", async () => {
    for (const user of ["readb", "noneb", "readc"]) {
      const [, message] = await refusal(as(user).open.resolveEnvironment(env("a")));
      expect(message).not.toMatch(/hunter2|from-c/);
    }
  });
});

describe("listing", () => {
  const names = async (user: string, org = ORG) => (await as(user).envs.listEnvironments({ org })).environments.map((e) => `${e.project}/${e.name}`);
  it("shows only what the caller can read", async () => {
    expect(await names("readb")).toEqual(["esc/a", "esc/b"]);
    expect(await names("noneb")).toEqual(["esc/a"]);
    expect(await names("project")).toEqual(["esc/a", "esc/b", "esc/c", "esc/solo"]);
  });
  it("follows the organization's default permission for members", async () => {
    const orgs = createClient(OrganizationService, transportFor("connect", server.url, server.token));
    await orgs.updateOrganizationSettings({ org: ORG, settings: { defaultPermission: "read" } });
    try {
      expect(await names("noneb")).toEqual(["esc/a", "esc/b", "esc/c", "esc/solo", "other/elsewhere"]);
      expect((await orgs.getOrganizationSettings({ org: ORG })).settings?.defaultPermission).toBe("read");
    } finally {
      await orgs.updateOrganizationSettings({ org: ORG, settings: { defaultPermission: "none" } });
    }
    expect(await names("noneb")).toEqual(["esc/a"]);
  });
});

describe("token scopes", () => {
  it("a token limited to one environment reaches nothing else, whatever its identity may do", async () => {
    const scoped = (await as("project").tokens.createToken({ scope: { resources: ["esc/a"] } })).secret;
    tokenOf["project-scoped"] = scoped;
    const c = as("project-scoped");
    expect((await c.envs.getEnvironment(env("a"))).environment?.name).toBe("a");
    expect(await refusal(c.envs.getEnvironment(env("solo")))).toEqual([Code.NotFound, `environment "default/esc/solo" not found`]);
    expect((await c.envs.listEnvironments({ org: ORG })).environments.map((e) => e.name)).toEqual(["a"]);
    expect((await c.whoami.whoAmI({})).scope?.resources).toEqual(["esc/a"]);
  });

  it("a scoped token mints only tokens inside its scope; an unscoped request inherits it", async () => {
    const reader = (await as("project").tokens.createToken({ scope: { permission: "read" } })).secret;
    tokenOf["project-reader"] = reader;
    const c = as("project-reader");
    expect(await refusal(c.envs.deleteEnvironment(env("solo")))).toEqual([Code.PermissionDenied, `permission denied: needs "admin" on environment "default/esc/solo"`]);
    expect(await refusal(c.tokens.createToken({ scope: { permission: "write" } }))).toEqual([Code.PermissionDenied, "permission denied: a scoped token can only create tokens inside its own scope"]);
    const child = await c.tokens.createToken({});
    expect(child.token?.scope?.permission).toBe("read");
    const narrower = await c.tokens.createToken({ scope: { permission: "read", resources: ["esc"] } });
    expect(narrower.token?.scope?.resources).toEqual(["esc"]);
  });
});

describe("grants follow their environment", () => {
  it("clone --preserve-access copies the grants; deleting an environment drops them", async () => {
    const admin = transportFor("connect", server.url, server.token);
    const envs = createClient(EnvironmentService, admin);
    const grants = createClient(GrantService, admin);
    const subjectsOf = async (name: string) => (await grants.listGrants({ ...env(name) })).grants.filter((g) => g.environment === name).map((g) => `${g.subject}=${g.permission}`);
    await envs.cloneEnvironment({ ...env("a"), destEnvironment: "a-copy", preserveAccess: true });
    expect(await subjectsOf("a-copy")).toEqual(await subjectsOf("a"));
    expect(await subjectsOf("a-copy")).toEqual(["user:all=open", "user:noneb=open", "user:readb=open", "user:readc=open"]);
    await envs.cloneEnvironment({ ...env("a"), destEnvironment: "a-bare" });
    expect(await subjectsOf("a-bare")).toEqual([]);
    await envs.deleteEnvironment(env("a-copy"));
    await envs.createEnvironment({ ...env("a-copy"), definition: "values: {}\n" });
    expect(await subjectsOf("a-copy")).toEqual([]);
  });
});

describe("grants of oneself", () => {
  it("a member lists its own grants, not anyone else's", async () => {
    const mine = await as("readb").grants.listGrants({ org: ORG, subject: "user:readb" });
    expect(mine.grants.map((g) => `${g.project}/${g.environment}=${g.permission}`)).toEqual(["esc/a=open", "esc/b=read"]);
    expect(await refusal(as("readb").grants.listGrants({ org: ORG, subject: "user:noneb" }))).toEqual([Code.PermissionDenied, `permission denied: needs "admin" on organization "default"`]);
  });
});

describe("tokens of other identities", () => {
  it("members list and revoke only their own tokens; org admins all of the organization's", async () => {
    const mine = as("readb").tokens;
    const own = await mine.listTokens({});
    expect(new Set(own.tokens.map((t) => t.identity))).toEqual(new Set(["readb"]));
    const adminList = await createClient(TokenService, transportFor("connect", server.url, server.token)).listTokens({});
    expect(new Set(adminList.tokens.map((t) => t.identity))).toContain("noneb");
    const other = adminList.tokens.find((t) => t.identity === "noneb")?.id ?? "";
    expect(await refusal(mine.revokeToken({ id: other }))).toEqual([Code.PermissionDenied, `permission denied: needs "admin" on organization "default"`]);
  });
});
