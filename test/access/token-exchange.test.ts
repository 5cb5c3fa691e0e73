/**
 * OIDC token exchange (issue 6 §4) against a local issuer this test starts on loopback: jose keys,
 * a discovery document and a JWKS served by node:http; GitHub-Actions-style claims. The server trusts
 * the plain-http issuer only because OPENESC_OIDC_HTTP_ISSUERS lists it.
 */
import { execFile } from "node:child_process";
import * as http from "node:http";
import { promisify } from "node:util";
import type { AddressInfo } from "node:net";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { GrantService } from "../../src/gen/openesc/v1/grant_pb.js";
import { IdentityService } from "../../src/gen/openesc/v1/identity_pb.js";
import { OpenService } from "../../src/gen/openesc/v1/open_pb.js";
import { ServiceAccountService } from "../../src/gen/openesc/v1/service_account_pb.js";
import { TrustPolicyService } from "../../src/gen/openesc/v1/trust_policy_pb.js";
import { transportFor } from "../support/clients.js";
import { OPENESC_BIN, startTestServer, type TestServer } from "../support/server.js";

type Key = { privateKey: Awaited<ReturnType<typeof generateKeyPair>>["privateKey"]; jwk: JWK };

/** A tiny OIDC issuer: discovery + JWKS on loopback; `keys` can be rotated. */
async function startIssuer(): Promise<{ url: string; keys: Key[]; fetches: () => number; close: () => Promise<void> }> {
  const keys: Key[] = [];
  let jwksFetches = 0;
  let url = "";
  const server = http.createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    if (req.url === "/.well-known/openid-configuration") return void res.end(JSON.stringify({ issuer: url, jwks_uri: `${url}/jwks` }));
    if (req.url === "/jwks") {
      jwksFetches++;
      return void res.end(JSON.stringify({ keys: keys.map((k) => k.jwk) }));
    }
    res.statusCode = 404;
    res.end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, keys, fetches: () => jwksFetches, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function newKey(kid: string): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" } };
}

let issuer: Awaited<ReturnType<typeof startIssuer>>;
let server: TestServer;
const now = () => Math.floor(Date.now() / 1000);
const GHA_SUB = "repo:acme/app:ref:refs/heads/main";

/** A GitHub-Actions-style token signed by `key` (default: the issuer's first). */
async function oidcToken(overrides: JWTPayload = {}, key?: Key): Promise<string> {
  const k = key ?? (issuer.keys[0] as Key);
  return new SignJWT({ repository: "acme/app", ref: "refs/heads/main", repository_owner: "acme", ...overrides })
    .setProtectedHeader({ alg: "RS256", kid: k.jwk.kid as string })
    .setIssuer((overrides.iss as string | undefined) ?? issuer.url)
    .setAudience((overrides.aud as string | undefined) ?? "openesc")
    .setSubject((overrides.sub as string | undefined) ?? GHA_SUB)
    .setIssuedAt((overrides.iat as number | undefined) ?? now())
    .setNotBefore((overrides.nbf as number | undefined) ?? now() - 5)
    .setExpirationTime((overrides.exp as number | undefined) ?? now() + 300)
    .sign(k.privateKey);
}

async function refusal(p: Promise<unknown>): Promise<[Code, string]> {
  try {
    await p;
  } catch (e) {
    const ce = ConnectError.from(e);
    return [ce.code, ce.rawMessage];
  }
  throw new Error("expected a refusal");
}

const anonymous = () => createClient(TrustPolicyService, transportFor("connect", server.url));
const exchange = (oidc: string, extra: { policy?: string; lifetime?: { seconds: bigint } } = {}) => anonymous().exchangeToken({ org: "default", oidcToken: oidc, ...extra });
const ENV = { org: "default", project: "app", environment: "prod" };

beforeAll(async () => {
  issuer = await startIssuer();
  issuer.keys.push(await newKey("k1"));
  server = await startTestServer({ env: { OPENESC_OIDC_HTTP_ISSUERS: issuer.url } });
  const admin = transportFor("connect", server.url, server.token);
  await createClient(ServiceAccountService, admin).createServiceAccount({ org: "default", name: "deployer" });
  await createClient(EnvironmentService, admin).createEnvironment({ ...ENV, definition: "values:\n  dbPassword:\n    fn::secret: s3cret\n" });
  await createClient(GrantService, admin).setGrant({ ...ENV, subject: "service-account:deployer", permission: "open" });
  const policies = createClient(TrustPolicyService, admin);
  const base = { org: "default", issuer: issuer.url, audience: "openesc", identity: "service-account:deployer" };
  await policies.createTrustPolicy({
    policy: { ...base, name: "deploy", subjectPattern: "repo:acme/app:ref:refs/heads/*", claimConditions: { repository: "acme/app", ref: "refs/heads/main" }, maxLifetime: { seconds: 600n } },
  });
  await policies.createTrustPolicy({ policy: { ...base, name: "readonly", subjectPattern: "repo:acme/*", maxLifetime: { seconds: 600n }, scope: { permission: "read" } } });
}, 60_000);
afterAll(async () => {
  expect(await server.stop()).toBe(0);
  await issuer.close();
});

describe("ExchangeToken", () => {
  it("trades a GitHub-Actions-style token for a short-lived API token of the policy's identity", async () => {
    const res = await exchange(await oidcToken(), { policy: "deploy" });
    expect(res.policy).toBe("deploy");
    expect(res.secret).toMatch(/^oesc_[0-9a-f]{16}_/);
    expect(res.token?.identity).toBe("deployer");
    expect(res.token?.identityKind).toBe("service_account");
    const t = transportFor("connect", server.url, res.secret);
    expect((await createClient(IdentityService, t).whoAmI({})).kind).toBe("service_account");
    const opened = await createClient(OpenService, t).resolveEnvironment(ENV);
    expect(JSON.parse(opened.valueJson)).toEqual({ dbPassword: "s3cret" });
  });

  it("caps the lifetime: the policy's maximum, a shorter request, the OIDC token's own expiry", async () => {
    const lifetime = async (oidc: string, extra = {}) => {
      const t = (await exchange(oidc, { policy: "deploy", ...extra })).token;
      return Number(t?.expireTime?.seconds) - Number(t?.createTime?.seconds);
    };
    const capped = await lifetime(await oidcToken({ exp: now() + 7200 }));
    expect(capped).toBeLessThanOrEqual(600);
    expect(capped).toBeGreaterThanOrEqual(598);
    expect(await lifetime(await oidcToken({ exp: now() + 7200 }), { lifetime: { seconds: 120n } })).toBeLessThanOrEqual(120);
    expect(await lifetime(await oidcToken({ exp: now() + 90 }))).toBeLessThanOrEqual(90);
  });

  it("carries the policy's scope", async () => {
    const res = await exchange(await oidcToken(), { policy: "readonly" });
    expect(res.token?.scope?.permission).toBe("read");
    const t = transportFor("connect", server.url, res.secret);
    expect(await refusal(createClient(OpenService, t).resolveEnvironment(ENV))).toEqual([Code.PermissionDenied, `permission denied: needs "open" on environment "default/app/prod"`]);
  });

  it.each([
    ["a wrong audience", () => oidcToken({ aud: "someone-else" }), `oidc token rejected: claim "aud" is invalid (check_failed)`],
    ["an expired token", () => oidcToken({ iat: now() - 3600, nbf: now() - 3600, exp: now() - 600 }), "oidc token rejected: token expired"],
    ["a token not yet valid", () => oidcToken({ nbf: now() + 600 }), `oidc token rejected: claim "nbf" is invalid (check_failed)`],
    ["a token issued in the future", () => oidcToken({ iat: now() + 600 }), "oidc token rejected: token issued in the future (iat)"],
    ["a wrong signature", async () => oidcToken({}, { ...(await newKey("k1")) }), "oidc token rejected: signature verification failed"],
    ["alg: none", async () => unsigned(), "oidc token rejected: signing algorithm not allowed"],
    ["a subject outside the pattern", () => oidcToken({ sub: "repo:evil/app:ref:refs/heads/main" }), "oidc token rejected: subject does not match the policy's pattern"],
    ["a claim condition mismatch", () => oidcToken({ ref: "refs/heads/dev", sub: "repo:acme/app:ref:refs/heads/dev" }), `oidc token rejected: claim "ref" does not match the policy`],
    ["another issuer", () => oidcToken({ iss: "https://issuer.example.com" }), `oidc token rejected: no trust policy of organization "default" accepts its issuer`],
  ])("refuses %s with Unauthenticated", async (_name, make, message) => {
    expect(await refusal(exchange(await make(), { policy: "deploy" }))).toEqual([Code.Unauthenticated, message]);
  });

  it("refetches the issuer's keys for an unknown kid (rotation)", async () => {
    await exchange(await oidcToken(), { policy: "deploy" });
    const before = issuer.fetches();
    const rotated = await newKey("k2");
    issuer.keys.push(rotated);
    // jose refetches at most once a second per issuer: retry until the new key is known.
    for (;;) {
      try {
        await exchange(await oidcToken({}, rotated), { policy: "deploy" });
        break;
      } catch (e) {
        expect(ConnectError.from(e).rawMessage).toBe("oidc token rejected: no key of the issuer matches the token");
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    expect(issuer.fetches()).toBeGreaterThan(before);
  });

  it("works from the command line: openesc token exchange prints a token for CI to use", async () => {
    const oidc = await oidcToken();
    const env = { ...process.env, HOME: "/nonexistent", OPENESC_HOME: "/nonexistent/.openesc", OPENESC_TOKEN: "" };
    const { stdout } = await promisify(execFile)(process.execPath, [OPENESC_BIN, "token", "exchange", "--url", server.url, "--org", "default", "--policy", "deploy", "--lifetime", "5m", "--output", "json"], {
      env: { ...env, OPENESC_OIDC_TOKEN: oidc },
    });
    const out = JSON.parse(stdout) as { token: string; identity: string; policy: string };
    expect([out.identity, out.policy]).toEqual(["deployer", "deploy"]);
    const opened = await createClient(OpenService, transportFor("connect", server.url, out.token)).resolveEnvironment(ENV);
    expect(JSON.parse(opened.valueJson)).toEqual({ dbPassword: "s3cret" });
  });

  it("refuses a plain-http issuer the server was not told to trust", async () => {
    const policies = createClient(TrustPolicyService, transportFor("connect", server.url, server.token));
    const policy = { org: "default", name: "insecure", issuer: "http://127.0.0.1:1", audience: "x", subjectPattern: "*", identity: "service-account:deployer" };
    expect(await refusal(policies.createTrustPolicy({ policy }))).toEqual([Code.InvalidArgument, "policy.issuer: must be an https URL (http only for issuers the server allows)"]);
  });
});

/** `alg: none`: a header and payload with an empty signature. */
function unsigned(): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${b64({ alg: "none", typ: "JWT" })}.${b64({ iss: issuer.url, aud: "openesc", sub: GHA_SUB, repository: "acme/app", ref: "refs/heads/main", iat: now(), exp: now() + 300 })}.`;
}
