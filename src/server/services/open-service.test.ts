import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { durationFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient, createRouterTransport, type Client, type HandlerContext } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OpenService } from "../../gen/openesc/v1/open_pb.js";
import { openStore, type Store } from "../../store/index.js";
import { principalKey } from "../rpc/call-context.js";
import { accessGuardKey, createAccessGuard } from "../rpc/authorize.js";
import { createAuthorizer, UNSCOPED } from "../../auth/index.js";
import type { SessionSealer } from "../session-sealer.js";
import { createOpenService } from "./open-service.js";

// A real AES-256-GCM sealer with a per-test key, bound to the session id (the crypto module's
// envelope sealer replaces it in the server).
function testSealer(): SessionSealer {
  const k = randomBytes(32);
  return {
    async seal(_key, id, plaintext) {
      const iv = randomBytes(12);
      const c = createCipheriv("aes-256-gcm", k, iv).setAAD(Buffer.from(id));
      const body = Buffer.concat([c.update(plaintext), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    async open(_key, id, sealed) {
      const b = Buffer.from(sealed);
      const d = createDecipheriv("aes-256-gcm", k, b.subarray(0, 12)).setAAD(Buffer.from(id));
      d.setAuthTag(b.subarray(12, 28));
      return Buffer.concat([d.update(b.subarray(28)), d.final()]);
    },
  };
}

let dir: string;
let store: Store;
let client: Client<typeof OpenService>;
const ref = { org: "default", project: "app", environment: "prod" };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "openesc-open-"));
  store = await openStore({ url: `sqlite:${join(dir, "db.sqlite")}` });
  expect((await store.migrate()).error).toBeUndefined();
  await store.organizations.create({ name: "default", description: "" });
  const define = (name: string, definition: string) => store.environments.create({ key: { org: "default", project: "app", name }, definition, author: "t" });
  await define("base", "values:\n  region: eu-west-1\n  password:\n    fn::secret: hunter2\n");
  await define(
    "prod",
    [
      "imports: [app/base]",
      "values:",
      "  url: https://${region}.example",
      "  hosts: [a, b]",
      "  who: ${context.pulumi.user.login}",
      "  environmentVariables:",
      "    REGION: ${region}",
      "    PASSWORD: ${password}",
      "  files:",
      "    KUBECONFIG: cfg",
      "  pulumiConfig:",
      "    aws:region: ${region}",
      "",
    ].join("\n"),
  );
  await define("broken", "values:\n  a: ${nope}\n");
  const service = createOpenService({ store, sealer: testSealer() });
  // What the pipeline does in the server: the authenticated caller in the context values.
  const asAna = Object.fromEntries(
    Object.entries(service).map(([name, fn]) => [
      name,
      (req: unknown, ctx: HandlerContext) => {
        const principal = { identityId: "i", login: "ana", org: "default", kind: "user", role: "admin", tokenId: "t", scope: UNSCOPED, tokenExpiresAt: null } as const;
        ctx.values.set(principalKey, principal);
        ctx.values.set(accessGuardKey, createAccessGuard(createAuthorizer({ source: { load: async () => ({ defaultPermission: "none", grants: [] }) } }), principal));
        return (fn as (r: unknown, c: HandlerContext) => unknown)(req, ctx);
      },
    ]),
  ) as unknown as typeof service;
  const transport = createRouterTransport(({ service: register }) => register(OpenService, asAna));
  client = createClient(OpenService, transport);
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
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

describe("OpenService", () => {
  it("resolves: the value with secrets, and the projections", async () => {
    const r = await client.resolveEnvironment(ref);
    expect(JSON.parse(r.valueJson)).toEqual({
      region: "eu-west-1",
      password: "hunter2",
      url: "https://eu-west-1.example",
      hosts: ["a", "b"],
      who: "ana",
      environmentVariables: { REGION: "eu-west-1", PASSWORD: "hunter2" },
      files: { KUBECONFIG: "cfg" },
      pulumiConfig: { "aws:region": "eu-west-1" },
    });
    expect(r.environmentVariables).toEqual({
      REGION: expect.objectContaining({ value: "eu-west-1", secret: false }),
      PASSWORD: expect.objectContaining({ value: "hunter2", secret: true }),
    });
    expect(r.files.KUBECONFIG?.value).toBe("cfg");
    expect(r.pulumiConfig?.kind.case).toBe("objectValue");
    expect(r.revision).toBe(1n);
  });

  it("opens a session and reads it whole or by path, secret flags kept", async () => {
    const opened = await client.openEnvironment({ ...ref, duration: durationFromMs(60_000) });
    expect(opened.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const whole = await client.readOpenEnvironment({ ...ref, sessionId: opened.sessionId });
    expect(JSON.parse(whole.valueJson).password).toBe("hunter2");
    const secret = await client.readOpenEnvironment({ ...ref, sessionId: opened.sessionId, path: "password" });
    expect([secret.value?.secret, secret.value?.kind]).toEqual([true, { case: "stringValue", value: "hunter2" }]);
    const host = await client.readOpenEnvironment({ ...ref, sessionId: opened.sessionId, path: "hosts[1]" });
    expect(host.valueJson).toBe('"b"\n');
    expect(await failure(client.readOpenEnvironment({ ...ref, sessionId: opened.sessionId, path: "nope" }))).toEqual([Code.NotFound, 'path "nope" not found in the environment']);
  });

  it("stores sessions sealed: the plaintext is not in the database", async () => {
    const opened = await client.openEnvironment(ref);
    const row = await store.db.withTables<{ open_sessions: { id: string; payload: string } }>().selectFrom("open_sessions").select("payload").where("id", "=", opened.sessionId).executeTakeFirstOrThrow();
    expect(Buffer.from(row.payload, "base64").includes(Buffer.from("hunter2"))).toBe(false);
  });

  it("refuses a session of another environment as not found, and expired sessions", async () => {
    const opened = await client.openEnvironment({ ...ref, duration: durationFromMs(1000) });
    expect(await failure(client.readOpenEnvironment({ ...ref, environment: "base", sessionId: opened.sessionId }))).toEqual([Code.NotFound, `session "${opened.sessionId}" not found`]);
    await new Promise((r) => setTimeout(r, 1100));
    const [code, message] = await failure(client.readOpenEnvironment({ ...ref, sessionId: opened.sessionId }));
    expect(code).toBe(Code.FailedPrecondition);
    expect(message).toMatch(new RegExp(`^session "${opened.sessionId}" expired at .*: open the environment again$`));
  });

  it("refuses bad durations and session ids, and environments with errors", async () => {
    expect(await failure(client.openEnvironment({ ...ref, duration: durationFromMs(25 * 3600_000) }))).toEqual([Code.InvalidArgument, "duration: must be between 1s and 24h"]);
    expect(await failure(client.readOpenEnvironment({ ...ref, sessionId: "x" }))).toEqual([Code.InvalidArgument, "session_id: must be a session id returned by OpenEnvironment"]);
    expect(await failure(client.openEnvironment({ ...ref, environment: "broken" }))).toEqual([
      Code.FailedPrecondition,
      'environment "default/app/broken" has errors: 2:8: unknown property "nope"',
    ]);
  });
});

