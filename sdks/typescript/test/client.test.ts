import { inspect } from "node:util";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AuditService,
  CancelledError,
  ConflictError,
  EnvironmentService,
  GrantService,
  InvalidError,
  NotFoundError,
  OpenEscError,
  PermissionDeniedError,
  Secret,
  TimeoutError,
  TokenService,
  UnauthenticatedError,
  UnavailableError,
  createOpenEscClient,
  reveal,
  type OpenEscClient,
} from "../src/index.js";
import { startErrorServer, startSilentServer, startUnavailableServer } from "./support/fake-servers.js";
import { startTestServer, type TestServer } from "./support/server.js";

const DEFINITION = `values:
  app:
    name: payments
    replicas: 3
    ratio: 0.5
    enabled: true
    hosts: [a.example.com, b.example.com]
    "dotted.key": dotted
  db:
    user: admin
    password:
      fn::secret: hunter2
  environmentVariables:
    DB_USER: \${db.user}
    DB_PASSWORD: \${db.password}
  files:
    CA_PEM: pem-text
`;

let server: TestServer;
let esc: OpenEscClient;

beforeAll(async () => {
  server = await startTestServer();
  esc = createOpenEscClient({ url: server.url, token: server.token, env: {} });
  await esc.service(EnvironmentService).createEnvironment({ org: "default", project: "sdk", environment: "prod", definition: DEFINITION });
});
afterAll(async () => {
  await server?.stop();
});

describe("open and read", () => {
  it("opens an environment in one call: values, secrets as Secret, projections", async () => {
    const env = await esc.open("default/sdk/prod");
    expect(env.revision).toBe(1);
    expect(env.value.app).toEqual({
      name: "payments",
      replicas: 3,
      ratio: 0.5,
      enabled: true,
      hosts: ["a.example.com", "b.example.com"],
      "dotted.key": "dotted",
    });
    expect(env.get("db.password")).toBeInstanceOf(Secret);
    expect(reveal(env.get("db.password"))).toBe("hunter2");
    expect(env.get("app.hosts[1]")).toBe("b.example.com");
    expect(env.get('app["dotted.key"]')).toBe("dotted");
    expect(env.get("app.nope")).toBeUndefined();
    expect(Object.keys(env.environmentVariables)).toEqual(["DB_PASSWORD", "DB_USER"]);
    expect(env.environmentVariables.DB_USER).toBe("admin");
    expect(env.environmentVariables.DB_PASSWORD).toBeInstanceOf(Secret);
    expect(reveal(env.environmentVariables)).toEqual({ DB_USER: "admin", DB_PASSWORD: "hunter2" });
    expect(env.files).toEqual({ CA_PEM: "pem-text" });
    expect(env.pulumiConfig).toBeNull();
  });

  it("prints secrets redacted through String, JSON, inspect and template literals until revealed", async () => {
    const env = await esc.open("default/sdk/prod");
    const password = env.get("db.password") as Secret<string>;
    expect(String(password)).toBe("[secret]");
    expect(`${password}`).toBe("[secret]");
    expect(JSON.stringify(env.value.db)).toBe('{"password":"[secret]","user":"admin"}');
    expect(inspect(env.value.db)).toBe("{ password: [secret], user: 'admin' }");
    expect(JSON.stringify(env.environmentVariables)).not.toContain("hunter2");
    expect(password.reveal()).toBe("hunter2");
  });

  it("reads one value by property path (open and read in one call)", async () => {
    expect(reveal(await esc.read("default/sdk/prod", "db.password"))).toBe("hunter2");
    expect(await esc.read("default/sdk/prod", "app.hosts[0]")).toBe("a.example.com");
    expect(await esc.read("default/sdk/prod", 'app["dotted.key"]')).toBe("dotted");
    expect(await esc.read("default/sdk/prod", ["app", "dotted.key"])).toBe("dotted");
  });

  it("keeps a session and reads it by path", async () => {
    const session = await esc.openSession("default/sdk/prod@1", { durationMs: 60_000 });
    expect(session.revision).toBe(1);
    expect(session.expireTime.getTime()).toBeGreaterThan(Date.now());
    expect(await session.read("app.replicas")).toBe(3);
    const db = await session.read("db");
    expect(JSON.stringify(db)).toBe('{"password":"[secret]","user":"admin"}');
    expect(reveal(db)).toEqual({ password: "hunter2", user: "admin" });
  });

  it("takes two-part references with a default org", async () => {
    const withOrg = createOpenEscClient({ url: server.url, token: server.token, defaultOrg: "default", env: {} });
    expect(await withOrg.read("sdk/prod", "app.name")).toBe("payments");
  });
});

describe("typed errors", () => {
  it("not found", async () => {
    const e = await failure(esc.open("default/sdk/missing"));
    expect(e).toBeInstanceOf(NotFoundError);
    expect(e).toBeInstanceOf(ConnectError);
    expect([e.code, e.rawMessage]).toEqual([Code.NotFound, 'environment "default/sdk/missing" not found']);
    const path = await failure(esc.read("default/sdk/prod", "app.nope"));
    expect(path).toBeInstanceOf(NotFoundError);
    expect(path.rawMessage).toBe('path "app.nope" not found in the environment');
  });

  it("conflict: already exists, and a stale base revision", async () => {
    const envs = esc.service(EnvironmentService);
    const exists = await failure(envs.createEnvironment({ org: "default", project: "sdk", environment: "prod" }));
    expect(exists).toBeInstanceOf(ConflictError);
    expect(exists.code).toBe(Code.AlreadyExists);
    await envs.createEnvironment({ org: "default", project: "sdk", environment: "stale", definition: "values: {a: 1}" });
    await envs.updateEnvironment({ org: "default", project: "sdk", environment: "stale", definition: "values: {a: 2}", baseRevision: 1n });
    const stale = await failure(envs.updateEnvironment({ org: "default", project: "sdk", environment: "stale", definition: "values: {a: 3}", baseRevision: 1n }));
    expect(stale).toBeInstanceOf(ConflictError);
    expect(stale.code).toBe(Code.Aborted);
  });

  it("invalid, with the definition's diagnostics decoded", async () => {
    const e = await failure(esc.service(EnvironmentService).createEnvironment({ org: "default", project: "sdk", environment: "bad", definition: "values:\n  a: ${nope}\n" }));
    expect(e).toBeInstanceOf(InvalidError);
    const invalid = e as InvalidError;
    expect(invalid.code).toBe(Code.InvalidArgument);
    expect(invalid.diagnostics.map((d) => [d.summary, d.range?.begin?.line, d.range?.begin?.column])).toEqual([['unknown property "nope"', 2, 8]]);
  });

  it("invalid: an environment that no longer evaluates refuses to open, with its diagnostics", async () => {
    const envs = esc.service(EnvironmentService);
    await envs.createEnvironment({ org: "default", project: "sdk", environment: "base", definition: "values:\n  db:\n    host: h\n" });
    await envs.createEnvironment({ org: "default", project: "sdk", environment: "app", definition: "imports:\n  - sdk/base\nvalues:\n  url: ${db.host}\n" });
    await envs.updateEnvironment({ org: "default", project: "sdk", environment: "base", definition: "values:\n  other: 1\n", baseRevision: 1n });
    const e = await failure(esc.open("default/sdk/app"));
    expect(e).toBeInstanceOf(InvalidError);
    expect([e.code, e.rawMessage]).toEqual([Code.FailedPrecondition, 'environment "default/sdk/app" has errors: 4:10: unknown property "db"']);
    expect((e as InvalidError).diagnostics.map((d) => [d.path, d.summary, d.range?.environment])).toEqual([["values.url", 'unknown property "db"', "sdk/app"]]);
  });

  it("invalid: a malformed path or reference, before anything is sent", async () => {
    const path = await failure(esc.read("default/sdk/prod", "a..b"));
    expect(path).toBeInstanceOf(InvalidError);
    expect(path.rawMessage).toBe(`invalid property path "a..b": expected a property name at column 3`);
    const ref = await failure(esc.open("just-a-name"));
    expect(ref).toBeInstanceOf(InvalidError);
  });

  it("unauthenticated", async () => {
    const bad = createOpenEscClient({ url: server.url, token: "not-a-token", env: {} });
    const e = await failure(bad.open("default/sdk/prod"));
    expect(e).toBeInstanceOf(UnauthenticatedError);
    expect(e.code).toBe(Code.Unauthenticated);
  });

  it("permission denied: a member who may read the environment but not open it", async () => {
    const { secret } = await esc.service(TokenService).createToken({ user: "reader-ts", role: "member", description: "sdk test" });
    await esc.service(GrantService).setGrant({ org: "default", subject: "user:reader-ts", project: "sdk", environment: "prod", permission: "read" });
    const reader = createOpenEscClient({ url: server.url, token: secret, env: {} });
    const e = await failure(reader.open("default/sdk/prod"));
    expect(e).toBeInstanceOf(PermissionDeniedError);
    expect(e.code).toBe(Code.PermissionDenied);
  });

  // Every code's class, against a stand-in that answers with that code.
  it.each([
    ["not_found", 404, NotFoundError, Code.NotFound],
    ["permission_denied", 403, PermissionDeniedError, Code.PermissionDenied],
    ["unauthenticated", 401, UnauthenticatedError, Code.Unauthenticated],
    ["already_exists", 409, ConflictError, Code.AlreadyExists],
    ["aborted", 409, ConflictError, Code.Aborted],
    ["failed_precondition", 400, ConflictError, Code.FailedPrecondition],
    ["invalid_argument", 400, InvalidError, Code.InvalidArgument],
    ["resource_exhausted", 429, UnavailableError, Code.ResourceExhausted],
    ["internal", 500, OpenEscError, Code.Internal],
  ] as const)("%s is %o", async (wire, status, type, code) => {
    const fake = await startErrorServer(wire, `refused: ${wire}`, status);
    try {
      const client = createOpenEscClient({ url: fake.url, token: "t", retry: false, env: {} });
      const e = await failure(client.open("o/p/e"));
      expect(e).toBeInstanceOf(type);
      expect(e.constructor).toBe(type);
      expect([e.code, e.rawMessage]).toEqual([code, `refused: ${wire}`]);
    } finally {
      await fake.close();
    }
  });
});

describe("cancellation, time-outs and retries", () => {
  it("an AbortSignal cancels a call", async () => {
    const silent = await startSilentServer();
    try {
      const client = createOpenEscClient({ url: silent.url, token: "t", env: {} });
      const controller = new AbortController();
      const call = failure(client.open("default/sdk/prod", { signal: controller.signal }));
      await waitFor(() => silent.requests.length === 1);
      controller.abort();
      const e = await call;
      expect(e).toBeInstanceOf(CancelledError);
      expect(e.code).toBe(Code.Canceled);
    } finally {
      await silent.close();
    }
  });

  it("a call that gets no answer ends with a time-out", async () => {
    const silent = await startSilentServer();
    try {
      const client = createOpenEscClient({ url: silent.url, token: "t", timeoutMs: 200, env: {} });
      const e = await failure(client.open("default/sdk/prod"));
      expect(e).toBeInstanceOf(TimeoutError);
      expect(e.code).toBe(Code.DeadlineExceeded);
      const perCall = await failure(createOpenEscClient({ url: silent.url, token: "t", env: {} }).open("default/sdk/prod", { timeoutMs: 100 }));
      expect(perCall.code).toBe(Code.DeadlineExceeded);
    } finally {
      await silent.close();
    }
  });

  it("retries calls without side effects only, with back-off", async () => {
    const down = await startUnavailableServer();
    try {
      const client = createOpenEscClient({ url: down.url, token: "t", retry: { maxAttempts: 4, initialBackoffMs: 1 }, env: {} });
      const envs = client.service(EnvironmentService);
      const get = await failure(envs.getEnvironment({ org: "o", project: "p", environment: "e" }));
      expect(get).toBeInstanceOf(UnavailableError);
      expect(get.rawMessage).toBe("down for maintenance");
      expect(down.requests).toEqual(Array(4).fill("/openesc.v1.EnvironmentService/GetEnvironment"));
      down.requests.length = 0;
      await failure(envs.createEnvironment({ org: "o", project: "p", environment: "e" }));
      expect(down.requests).toEqual(["/openesc.v1.EnvironmentService/CreateEnvironment"]);
      down.requests.length = 0;
      await failure(createOpenEscClient({ url: down.url, token: "t", retry: false, env: {} }).service(EnvironmentService).getEnvironment({}));
      expect(down.requests).toHaveLength(1);
    } finally {
      await down.close();
    }
  });
});

describe("streams", () => {
  it("a server stream carries the token and fails with a typed error", async () => {
    const down = await startUnavailableServer();
    try {
      const client = createOpenEscClient({ url: down.url, token: "s3cret-token", env: {} });
      let error: unknown;
      try {
        for await (const _ of client.service(AuditService).exportAuditEvents({})) break;
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(UnavailableError);
      expect(down.requests).toEqual(["/openesc.v1.AuditService/ExportAuditEvents"]);
      expect(down.authorization).toEqual(["Bearer s3cret-token"]);
    } finally {
      await down.close();
    }
  });
});

async function failure(p: Promise<unknown>): Promise<ConnectError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ConnectError) return e;
    throw e;
  }
  throw new Error("expected the call to fail");
}

async function waitFor(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 10));
}
