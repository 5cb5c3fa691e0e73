import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { IdentityService } from "../../src/gen/openesc/v1/identity_pb.js";
import { OrganizationService } from "../../src/gen/openesc/v1/organization_pb.js";
import { TokenService } from "../../src/gen/openesc/v1/token_pb.js";
import { clientFor } from "../support/clients.js";
import { startTestServer, type TestServer } from "../support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

async function failure(p: Promise<unknown>): Promise<[Code, string]> {
  try {
    await p;
  } catch (e) {
    const ce = ConnectError.from(e);
    return [ce.code, ce.rawMessage];
  }
  throw new Error("expected a failure");
}

describe("organizations", () => {
  it("creates, gets and lists organizations; names are validated and unique", async () => {
    const orgs = clientFor(OrganizationService, "connect", server.url, server.token);
    const created = await orgs.createOrganization({ name: "acme", description: "Acme Corp" });
    expect([created.organization?.name, created.organization?.description]).toEqual(["acme", "Acme Corp"]);
    expect((await orgs.getOrganization({ name: "acme" })).organization?.description).toBe("Acme Corp");
    expect((await orgs.listOrganizations({})).organizations.map((o) => o.name)).toEqual(["acme", "default"]);
    expect((await failure(orgs.createOrganization({ name: "acme" })))[0]).toBe(Code.AlreadyExists);
    expect(await failure(orgs.createOrganization({ name: "a b" }))).toEqual([Code.InvalidArgument, "name: must be 1–100 letters, digits, '-', '_' or '.'"]);
    expect((await failure(orgs.getOrganization({ name: "nope" })))[0]).toBe(Code.NotFound);
  });

  it("creates environments only in existing organizations", async () => {
    const envs = clientFor(EnvironmentService, "grpc", server.url, server.token);
    await envs.createEnvironment({ org: "acme", project: "p", environment: "e" });
    expect((await failure(envs.createEnvironment({ org: "ghost", project: "p", environment: "e" })))[0]).toBe(Code.NotFound);
    const listed = await envs.listEnvironments({ org: "acme" });
    expect(listed.environments.map((e) => `${e.org}/${e.project}/${e.name}`)).toEqual(["acme/p/e"]);
  });
});

describe("API tokens", () => {
  it("creates a token shown once, lists it without its secret, and revokes it", async () => {
    const tokens = clientFor(TokenService, "grpc", server.url, server.token);
    const created = await tokens.createToken({ description: "ci", ttlSeconds: 3600n });
    expect(created.secret).toMatch(/^oesc_[0-9a-f]{16}_/);
    expect(created.token?.id).toBe(created.secret.slice(5, 21));
    expect(created.token?.identity).toBe("admin");
    const me = await clientFor(IdentityService, "connect", server.url, created.secret).whoAmI({});
    expect([me.login, me.tokenId]).toEqual(["admin", created.token?.id]);

    const listed = await tokens.listTokens({});
    const entry = listed.tokens.find((t) => t.id === created.token?.id);
    expect(entry?.description).toBe("ci");
    expect(JSON.stringify(listed, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v))).not.toContain(created.secret.slice(22));

    await tokens.revokeToken({ id: created.token?.id ?? "" });
    // the revoking server forgets its cached lookup at once
    expect(await failure(clientFor(IdentityService, "connect", server.url, created.secret).whoAmI({}))).toEqual([Code.Unauthenticated, "token revoked"]);
    expect((await tokens.listTokens({})).tokens.some((t) => t.id === created.token?.id)).toBe(false);
    expect((await tokens.listTokens({ includeInactive: true })).tokens.find((t) => t.id === created.token?.id)?.revokeTime).toBeDefined();
  });

  it("refuses expired tokens, bad ttl and unknown ids", async () => {
    const tokens = clientFor(TokenService, "connect", server.url, server.token);
    const short = await tokens.createToken({ description: "short", ttlSeconds: 1n });
    await new Promise((r) => setTimeout(r, 1100));
    expect(await failure(clientFor(IdentityService, "grpc", server.url, short.secret).whoAmI({}))).toEqual([Code.Unauthenticated, "token expired"]);
    expect(await failure(tokens.createToken({ ttlSeconds: -1n }))).toEqual([Code.InvalidArgument, "ttl_seconds: must be between 0 (never expires) and 10 years"]);
    expect(await failure(tokens.revokeToken({ id: "zz" }))).toEqual([Code.InvalidArgument, "id: must be a token id (16 hex digits)"]);
    expect((await failure(tokens.revokeToken({ id: "0123456789abcdef" })))[0]).toBe(Code.NotFound);
  });
});
