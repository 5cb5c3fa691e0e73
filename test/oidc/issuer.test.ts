/**
 * The OIDC issuer of a real server process: discovery and JWKS documents, keys shared by replicas
 * through the database, `openesc admin oidc rotate-key` (the real CLI) with the previous key kept
 * for the grace period, and tokens signed with the active key as seen by a relying party.
 */
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import { spawnSync } from "node:child_process";
import { decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createEnvironment, runCli } from "../providers/support.js";
import { createTestDatabase, testPostgresUrl, type TestDatabase } from "../support/postgres.js";
import { OPENESC_BIN, startTestServer, type TestServer } from "../support/server.js";

interface Jwks {
  keys: { kid: string; kty: string; alg: string; use: string; n: string; e: string }[];
}

const jwks = async (server: TestServer): Promise<Jwks> => (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as Jwks;

/** A fake STS that keeps each web identity token and refuses the call. */
async function startTokenSink(): Promise<{ url: string; tokens: string[]; close(): Promise<void> }> {
  const tokens: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8").on("data", (c: string) => (body += c));
    req.on("end", () => {
      const token = new URLSearchParams(body).get("WebIdentityToken");
      if (token !== null) tokens.push(token);
      res.writeHead(403, { "content-type": "text/xml" });
      res.end('<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not trusted</Message></Error><RequestId>r</RequestId></ErrorResponse>');
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, tokens, close: () => new Promise((r) => server.close(() => r())) };
}

const rotate = (server: TestServer, env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [OPENESC_BIN, "admin", "oidc", "rotate-key", "--data-dir", server.dataDir], {
    encoding: "utf8",
    env: { PATH: process.env.PATH, HOME: server.dataDir, ...env },
  });

describe("the OIDC issuer", () => {
  let server: TestServer;
  let sink: Awaited<ReturnType<typeof startTokenSink>>;

  beforeAll(async () => {
    sink = await startTokenSink();
    server = await startTestServer({ args: ["--aws-endpoint-url", sink.url], env: { OPENESC_OIDC_KEY_REFRESH_MS: "0" } });
    await createEnvironment(
      server,
      "oidc",
      "app",
      "values:\n  creds:\n    fn::open::aws-login:\n      oidc: { roleArn: 'arn:aws:iam::123456789012:role/r', sessionName: s1 }\n",
    );
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await sink?.close();
  });

  /** Opens the environment (the fake STS refuses) and returns the token it received. */
  async function issuedToken(): Promise<string> {
    const before = sink.tokens.length;
    const out = await runCli(server, ["env", "open", "default/oidc/app"]);
    expect(out.stderr).toBe(
      "default/oidc/app:3:5: error: aws-login: AssumeRoleWithWebIdentity of arn:aws:iam::123456789012:role/r: AccessDenied: not trusted (HTTP 403) (values.creds)\n" +
        "error: cannot open default/oidc/app: 1 error\n",
    );
    expect(sink.tokens).toHaveLength(before + 1);
    return sink.tokens[before] as string;
  }

  test("serves the discovery document at the issuer URL", async () => {
    const res = await fetch(`${server.url}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.json()).toEqual({
      issuer: server.url,
      jwks_uri: `${server.url}/.well-known/jwks.json`,
      response_types_supported: ["id_token"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      scopes_supported: ["openid"],
      claims_supported: [
        "iss", "aud", "sub", "iat", "nbf", "exp", "jti", "current_env", "root_env", "trigger_user", "org", "env",
        "rootEnvironment.name", "currentEnvironment.name", "pulumi.user.login", "pulumi.organization.login", "pulumi.token.type",
      ],
    });
  });

  test("the JWKS holds the one public RSA key created at first start, and no private part", async () => {
    const doc = await jwks(server);
    expect(doc.keys).toHaveLength(1);
    const [key] = doc.keys;
    expect(Object.keys(key as object).sort()).toEqual(["alg", "e", "kid", "kty", "n", "use"]);
    expect([key?.kty, key?.alg, key?.use, key?.e]).toEqual(["RSA", "RS256", "sig", "AQAB"]);
    expect(decodeProtectedHeader(await issuedToken()).kid).toBe(key?.kid);
  });

  test("rotate-key: new tokens use the new key, the old one stays in the JWKS", async () => {
    const [old] = (await jwks(server)).keys;
    const out = rotate(server);
    expect(out.stderr).toBe("");
    expect(out.status).toBe(0);
    const m = /^Rotated the OIDC signing key on sqlite:.*: new key (\S+); (\S+) stays in the JWKS for the grace period\.\n$/.exec(out.stdout);
    expect(m?.[2]).toBe(old?.kid);
    const after = await jwks(server);
    expect(after.keys.map((k) => k.kid)).toEqual([m?.[1], old?.kid]);
    expect(decodeProtectedHeader(await issuedToken()).kid).toBe(m?.[1]);
  });

  test("rotate-key refuses a master key the database was not written with, and changes nothing", async () => {
    const before = await jwks(server);
    const out = rotate(server, { OPENESC_MASTER_KEY: randomBytes(32).toString("base64") });
    expect(out.status).toBe(1);
    expect(out.stdout).toBe("");
    expect(out.stderr).toMatch(
      /^error: refusing to start: OPENESC_MASTER_KEY does not match the one this database was written with \(key version 1 of local, recorded [0-9TZ:.-]+\): a key wrapped by master key version 1 does not unwrap with the configured master key\. Restore the original key; the server never re-keys a database by itself\n$/,
    );
    expect(await jwks(server)).toEqual(before);
  });

  test("the private keys are stored sealed, never in the clear", async () => {
    const { openStore } = await import("../../src/store/index.js");
    const store = await openStore({ url: `sqlite:${server.dataDir}/openesc.db` });
    try {
      const rows = await store.db.withTables<{ oidc_signing_keys: { kid: string; private_sealed: string; public_jwk: string } }>().selectFrom("oidc_signing_keys").selectAll().execute();
      expect(rows.length).toBe(2);
      for (const r of rows) {
        const sealed = Buffer.from(r.private_sealed, "base64").toString("latin1");
        // A JWK's private members would show as JSON names: none are there.
        for (const member of ['"d"', '"p"', '"q"', '"dp"', "kty"]) expect(sealed).not.toContain(member);
        expect(Object.keys(JSON.parse(r.public_jwk) as object).sort()).toEqual(["alg", "e", "kid", "kty", "n", "use"]);
      }
    } finally {
      await store.close();
    }
  });
});

describe("the OIDC issuer with a zero grace period", () => {
  test("a rotated-out key leaves the JWKS at once", async () => {
    const server = await startTestServer({ args: ["--oidc-key-grace-seconds", "0"], env: { OPENESC_OIDC_KEY_REFRESH_MS: "0" } });
    try {
      const [old] = (await jwks(server)).keys;
      const rotated = rotate(server);
      expect(rotated.stderr).toBe("");
      expect(rotated.status).toBe(0);
      const after = await jwks(server);
      expect(after.keys).toHaveLength(1);
      expect(after.keys[0]?.kid).not.toBe(old?.kid);
    } finally {
      await server.stop();
    }
  });
});

describe.skipIf(testPostgresUrl() === undefined)("replicas on one PostgreSQL database", () => {
  let db: TestDatabase;
  const servers: TestServer[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const s of servers) await s.stop();
    await db?.drop();
  });

  test("share one signing key, and both see a rotation", async () => {
    const env = { OPENESC_MASTER_KEY: randomBytes(32).toString("base64"), OPENESC_OIDC_KEY_REFRESH_MS: "0" };
    servers.push(await startTestServer({ database: db.url, env }));
    servers.push(await startTestServer({ database: db.url, env }));
    const [a, b] = servers as [TestServer, TestServer];
    const first = await jwks(a);
    expect(first.keys).toHaveLength(1);
    expect(await jwks(b)).toEqual(first);
    const out = spawnSync(process.execPath, [OPENESC_BIN, "admin", "oidc", "rotate-key", "--database", db.url], {
      encoding: "utf8",
      env: { PATH: process.env.PATH, HOME: a.dataDir, ...env },
    });
    expect(out.stderr).toBe("");
    const rotated = await jwks(b);
    expect(rotated.keys).toHaveLength(2);
    expect(rotated.keys[1]?.kid).toBe(first.keys[0]?.kid);
    expect(await jwks(a)).toEqual(rotated);
  });
});
