/**
 * vault-login (jwt) and vault-secrets through `openesc env open` (the real CLI binary) against the
 * real server and a real OpenBao dev server whose JWT auth trusts the server's OIDC discovery and
 * JWKS: OpenBao verifies every token's signature, issuer, audience, subject and expiry.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import vault from "node-vault";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createSecretCrypto, resolveKeyProvider } from "../../src/crypto/index.js";
import { AuditService } from "../../src/gen/openesc/v1/audit_pb.js";
import { createOidcIssuer, createSigningKeys } from "../../src/oidc/index.js";
import { createOidcKeyRepository, openStore, type Store } from "../../src/store/index.js";
import { clientFor } from "../support/clients.js";
import { freePort, requireVenvTool } from "../support/moto.js";
import { startOpenBao, type OpenBao } from "../support/openbao.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { createEnvironment, runCli, startBlackhole, type Blackhole } from "./support.js";

const BAO = requireVenvTool("bao");

describe.skipIf(BAO === undefined)("vault-login (jwt) + vault-secrets against OpenBao", () => {
  let bao: OpenBao;
  let server: TestServer;
  /** A second server with a 2 s provider time-out, for the calls that never get an answer. */
  let quick: TestServer;
  let blackhole: Blackhole;
  let dataDir: string;
  const SUBJECT = "pulumi:environments:org:default:env:vault/app";

  beforeAll(async () => {
    bao = await startOpenBao(BAO as string);
    blackhole = await startBlackhole();
    // The issuer URL must be known before the server runs: pick the port, pass it as --public-url.
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    dataDir = mkdtempSync(join(tmpdir(), "openesc-vault-providers-"));
    server = await startTestServer({
      dataDir,
      args: ["--listen", `127.0.0.1:${port}`, "--public-url", url],
      env: { OPENESC_OIDC_KEY_REFRESH_MS: "0" },
    });
    quick = await startTestServer({ args: ["--provider-timeout-ms", "2000"] });
    const root = bao.root;
    await root.write("sys/auth/jwt", { type: "jwt" });
    await root.write("auth/jwt/config", { oidc_discovery_url: url, bound_issuer: url });
    await root.write("sys/mounts/kv1", { type: "kv", options: { version: "1" } });
    await root.write("secret/data/app", { data: { password: "pw-v2", user: "admin" } });
    await root.write("secret/data/other", { data: { password: "not-yours" } });
    await root.write("kv1/app", { password: "pw-v1" });
    await root.write("sys/policies/acl/app", { policy: 'path "secret/data/app" { capabilities = ["read"] }\npath "kv1/app" { capabilities = ["read"] }\n' });
    const role = (extra: Record<string, unknown>) => ({
      role_type: "jwt",
      user_claim: "trigger_user",
      bound_audiences: ["vault:default"],
      token_policies: ["app"],
      token_ttl: "5m",
      ...extra,
    });
    await root.write("auth/jwt/role/app", role({ bound_subject: SUBJECT, bound_claims: { current_env: "vault/app", root_env: "vault/app", trigger_user: "admin" } }));
    await root.write("auth/jwt/role/imports", role({ bound_claims_type: "glob", bound_claims: { current_env: "vault/imp-*" } }));
    await root.write("auth/jwt/role/any", role({}));
    // A namespace with its own JWT auth and KV v2 engine.
    await root.write("sys/namespaces/team", {});
    const team = vault({ apiVersion: "v1", endpoint: bao.address, token: bao.rootToken, namespace: "team" });
    await team.write("sys/auth/jwt", { type: "jwt" });
    await team.write("auth/jwt/config", { oidc_discovery_url: url, bound_issuer: url });
    await team.write("sys/mounts/kv", { type: "kv", options: { version: "2" } });
    await team.write("kv/data/app", { data: { p: "team-secret" } });
    await team.write("sys/policies/acl/app", { policy: 'path "kv/data/app" { capabilities = ["read"] }\n' });
    await team.write("auth/jwt/role/ns", role({ bound_subject: "pulumi:environments:org:default:env:vault/team" }));
    await root.write("auth/jwt/role/other-env", role({ bound_subject: "pulumi:environments:org:default:env:vault/elsewhere" }));
  }, 90_000);

  afterAll(async () => {
    await server?.stop({ keepData: false });
    await quick?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    await blackhole?.close();
    await bao?.stop();
  });

  const login = (role: string, address = bao.address) => `fn::open::vault-login:\n        address: ${address}\n        jwt: { role: ${role} }`;

  test("env open logs in with an OIDC token OpenBao verified and reads KV v2 and v1", async () => {
    await createEnvironment(
      server,
      "vault",
      "app",
      `values:
  vault:
    login:
      ${login("app")}
    secrets:
      fn::open::vault-secrets:
        login: \${vault.login}
        read:
          v2: { path: secret/app, field: password }
          v2all: { path: secret/app }
          v2explicit: { path: secret/data/app, field: user }
          v1: { path: kv1/app, field: password }
          v1all: { path: kv1/app }
`,
    );
    const out = await runCli(server, ["env", "open", "default/vault/app", "vault.secrets"]);
    expect(out.stderr).toBe("");
    expect(out.exit).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({
      v2: "pw-v2",
      v2all: { password: "pw-v2", user: "admin" },
      v2explicit: "admin",
      v1: "pw-v1",
      v1all: { password: "pw-v1" },
    });
    const loginOut = JSON.parse((await runCli(server, ["env", "open", "default/vault/app", "vault.login"])).stdout) as Record<string, string>;
    expect(loginOut.address).toBe(bao.address);
    expect(loginOut.namespace).toBe("");
    // The token Vault issued for the role: it carries the role's policy and names the user claim.
    const looked = (await bao.root.write("auth/token/lookup", { token: loginOut.token })) as { data: { policies: string[]; meta: Record<string, string> } };
    expect(looked.data.policies).toEqual(["app", "default"]);
    expect(looked.data.meta).toEqual({ role: "app" });
    // secrets are secret: `env get` without --show-secrets does not print them
    const shown = await runCli(server, ["env", "get", "default/vault/app", "vault.secrets.v2", "--value", "json"]);
    expect(shown.stdout).not.toContain("pw-v2");
  });

  test("a namespace is sent with the login and with every read", async () => {
    await createEnvironment(
      server,
      "vault",
      "team",
      `values:
  login:
    fn::open::vault-login: { address: ${bao.address}, namespace: team, jwt: { role: ns } }
  secrets:
    fn::open::vault-secrets:
      login: \${login}
      read: { p: { path: kv/app, field: p } }
`,
    );
    const out = await runCli(server, ["env", "open", "default/vault/team"]);
    expect(out.stderr).toBe("");
    const value = JSON.parse(out.stdout) as { login: { namespace: string; token: string }; secrets: unknown };
    expect([value.login.namespace, value.secrets]).toEqual(["team", { p: "team-secret" }]);
    // Without the namespace the same role does not exist (the root namespace has no role "ns").
    await createEnvironment(server, "vault", "team-root", `values:\n  login:\n    ${login("ns")}\n`);
    const root = await runCli(server, ["env", "open", "default/vault/team-root"]);
    expect(root.stderr).toContain('role "ns" could not be found (HTTP 400)');
  });

  test("a role whose bound subject is another environment refuses the token", async () => {
    await createEnvironment(server, "vault", "wrong-subject", `values:\n  login:\n    ${login("other-env")}\n`);
    const out = await runCli(server, ["env", "open", "default/vault/wrong-subject"]);
    expect(out.exit).toBe(1);
    expect(out.stderr).toBe(
      'default/vault/wrong-subject:3:5: error: vault-login: login to auth/jwt as role "other-env": error validating token: invalid subject (sub) claim (HTTP 400) (values.login)\n' +
        "error: cannot open default/vault/wrong-subject: 1 error\n",
    );
  });

  test("a role that does not exist is reported with Vault's message", async () => {
    await createEnvironment(server, "vault", "no-role", `values:\n  login:\n    ${login("nope")}\n`);
    const out = await runCli(server, ["env", "open", "default/vault/no-role"]);
    expect(out.exit).toBe(1);
    expect(out.stderr).toBe(
      'default/vault/no-role:3:5: error: vault-login: login to auth/jwt as role "nope": role "nope" could not be found (HTTP 400) (values.login)\n' +
        "error: cannot open default/vault/no-role: 1 error\n",
    );
  });

  test("a read the role's policy does not allow is a permission-denied diagnostic", async () => {
    await createEnvironment(
      server,
      "vault",
      "denied",
      `values:
  login:
    ${login("any")}
  secrets:
    fn::open::vault-secrets:
      login: \${login}
      read:
        mine: { path: secret/app, field: password }
        theirs: { path: secret/other, field: password }
`,
    );
    const out = await runCli(server, ["env", "open", "default/vault/denied"]);
    expect(out.exit).toBe(1);
    expect(out.stderr).toBe(
      'default/vault/denied:7:5: error: vault-secrets: reading "secret/other" (theirs): permission denied (HTTP 403) (values.secrets)\n' +
        "error: cannot open default/vault/denied: 1 error\n",
    );
    expect(out.stderr).not.toContain("pw-v2");
  });

  test("each provider call of an open is in its audit event: name, path, duration, outcome, no values", async () => {
    const out = await runCli(server, ["env", "open", "default/vault/denied"]);
    expect(out.exit).toBe(1);
    const audit = clientFor(AuditService, "connect", server.url, server.token);
    const { events } = await audit.listAuditEvents({ org: "default", filter: { project: "vault", environment: "denied" }, pageSize: 100 });
    const opens = events.filter((e) => e.providerCalls.length > 0);
    expect(opens.length).toBeGreaterThan(0);
    const last = opens.reduce((a, b) => (a.sequence > b.sequence ? a : b));
    expect(last.providerCalls.map((c) => [c.provider, c.path, c.outcome])).toEqual([
      ["vault-login", "default/vault/denied:values.login", "ok"],
      ["vault-secrets", "default/vault/denied:values.secrets", "http 403"],
    ]);
    expect(last.providerCalls.every((c) => Number.isFinite(c.durationMs) && c.durationMs >= 0)).toBe(true);
    expect(JSON.stringify(events, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v))).not.toMatch(/pw-v2|not-yours|hvs\.|s\.[A-Za-z0-9]{20}/);
  });

  test("OpenBao refuses an expired token signed with the server's own key", async () => {
    // The same keys the server uses, opened from its database with its master key, and a clock an hour back.
    const store: Store = await openStore({ url: `sqlite:${join(dataDir, "openesc.db")}` });
    try {
      const { provider } = resolveKeyProvider({}, {}, dataDir);
      const keys = createSigningKeys({ repository: createOidcKeyRepository(store.db), sealer: createSecretCrypto({ keys: store.keys, provider }) });
      const past = () => Date.now() - 3600_000;
      const issuer = createOidcIssuer({ keys, publicUrl: () => server.url, now: past });
      const facts = { org: "default", currentEnvironment: "vault/app", rootEnvironment: "vault/app", userLogin: "admin", tokenType: "personal" };
      const expired = await issuer.issue({ platform: "vault", facts });
      await expect(bao.root.write("auth/jwt/login", { role: "app", jwt: expired })).rejects.toThrow("error validating token: invalid expiration time (exp) claim: token is expired");
      // The same token with a current clock logs in: only the expiry was wrong.
      const fresh = await createOidcIssuer({ keys, publicUrl: () => server.url }).issue({ platform: "vault", facts });
      const ok = (await bao.root.write("auth/jwt/login", { role: "app", jwt: fresh })) as { auth: { policies: string[] } };
      expect(ok.auth.policies).toEqual(["app", "default"]);
    } finally {
      await store.close();
    }
  });

  test("a Vault that never answers fails the call at the provider time-out", async () => {
    await createEnvironment(quick, "vault", "hangs", `values:\n  login:\n    ${login("any", blackhole.url)}\n`);
    const out = await runCli(quick, ["env", "open", "default/vault/hangs"]);
    expect(out.exit).toBe(1);
    expect(out.stderr).toBe("default/vault/hangs:3:5: error: vault-login: no answer within 2s (the provider time-out) (values.login)\nerror: cannot open default/vault/hangs: 1 error\n");
  });

  test("26 imports each log in and read at the same time", async () => {
    const letters = "abcdefghijklmnopqrstuvwxyz".split("");
    for (const l of letters) {
      await createEnvironment(
        server,
        "vault",
        `imp-${l}`,
        `values:
  ${l}:
    fn::open::vault-secrets:
      login:
        fn::open::vault-login: { address: ${bao.address}, jwt: { role: imports } }
      read:
        password: { path: secret/app, field: password }
`,
      );
    }
    await createEnvironment(server, "vault", "all", `imports:\n${letters.map((l) => `  - vault/imp-${l}\n`).join("")}`);
    const out = await runCli(server, ["env", "open", "default/vault/all"]);
    expect(out.stderr).toBe("");
    expect(JSON.parse(out.stdout)).toEqual(Object.fromEntries(letters.map((l) => [l, { password: "pw-v2" }])));
  });

  test("26 imports call their providers concurrently (all 26 connections open at once)", async () => {
    const letters = "abcdefghijklmnopqrstuvwxyz".split("");
    for (const l of letters) {
      await createEnvironment(quick, "vault", `slow-${l}`, `values:\n  ${l}:\n    fn::open::vault-login: { address: ${blackhole.url}, jwt: { role: imports } }\n`);
    }
    await createEnvironment(quick, "vault", "slow-all", `imports:\n${letters.map((l) => `  - vault/slow-${l}\n`).join("")}`);
    await blackhole.drain();
    const before = blackhole.accepted();
    const out = await runCli(quick, ["env", "open", "default/vault/slow-all"]);
    expect(out.exit).toBe(1);
    expect(out.stderr.split("\n").filter((l) => l.includes("error: vault-login: no answer within 2s (the provider time-out)"))).toHaveLength(26);
    expect(out.stderr).toContain("error: cannot open default/vault/slow-all: 26 errors\n");
    expect(blackhole.accepted() - before).toBe(26);
    // Sequential calls would never have more than one connection open.
    expect(blackhole.maxOpen()).toBe(26);
  });
});
