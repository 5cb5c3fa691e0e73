import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { durationFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { OpenService } from "../../src/gen/openesc/v1/open_pb.js";
import { RevisionService } from "../../src/gen/openesc/v1/revision_pb.js";
import { clientFor } from "../support/clients.js";
import { createTestDatabase, testPostgresUrl, type TestDatabase } from "../support/postgres.js";
import { startTestServer, type TestServer } from "../support/server.js";

async function failure(p: Promise<unknown>): Promise<[Code, string]> {
  try {
    await p;
  } catch (e) {
    const ce = ConnectError.from(e);
    return [ce.code, ce.rawMessage];
  }
  throw new Error("expected a failure");
}

describe("secrets at rest (SQLite)", () => {
  let server: TestServer;
  // A unique canary: it must never appear in the database, the logs or an error once written as a secret.
  const canary = `canary-${randomBytes(12).toString("hex")}`;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it("stores only ciphertext, reveals on request, and opens to the plaintext", async () => {
    const env = clientFor(EnvironmentService, "connect", server.url, server.token);
    const ref = { org: "default", project: "sec", environment: "app" };
    const created = await env.createEnvironment({ ...ref, definition: `values:\n  # the db password\n  password:\n    fn::secret: ${canary}\n  user: app\n` });
    const stored = created.revision?.definition ?? "";
    expect(stored).toMatch(/^values:\n  # the db password\n  password:\n    fn::secret: \{ciphertext: [A-Za-z0-9+/]+=*\}\n  user: app\n$/);
    expect(stored).not.toContain(canary);
    expect((await env.getEnvironment(ref)).revision?.definition).toBe(stored);
    expect((await env.getEnvironment({ ...ref, reveal: true })).revision?.definition).toBe(`values:\n  # the db password\n  password:\n    fn::secret: ${canary}\n  user: app\n`);
    const history = clientFor(RevisionService, "grpc", server.url, server.token);
    expect((await history.getRevision({ ...ref, version: "1", reveal: true })).revision?.definition).toContain(canary);

    const checked = await env.checkEnvironment(ref);
    expect(JSON.parse(checked.valueJson)).toEqual({ password: "[secret]", user: "app" });
    const password = (v: typeof checked.value) => (v?.kind.case === "objectValue" ? v.kind.value.fields.password : undefined);
    expect([password(checked.value)?.secret, password(checked.value)?.kind.case]).toEqual([true, undefined]);
    // reveal decrypts in check mode, and each value carries the range that defined it
    const revealed = await env.checkEnvironment({ ...ref, reveal: true });
    expect(JSON.parse(revealed.valueJson)).toEqual({ password: canary, user: "app" });
    expect(password(revealed.value)?.kind).toEqual({ case: "stringValue", value: canary });
    expect(password(revealed.value)?.trace?.begin?.line).toBe(4);
    expect(password(revealed.value)?.trace?.environment).toBe("sec/app");

    const open = clientFor(OpenService, "grpc", server.url, server.token);
    const resolved = await open.resolveEnvironment(ref);
    expect(JSON.parse(resolved.valueJson)).toEqual({ password: canary, user: "app" });

    // Updating keeps the ciphertext; a clone re-encrypts under the new environment.
    const cloned = await env.cloneEnvironment({ ...ref, destEnvironment: "copy" });
    const copy = await env.getEnvironment({ ...ref, environment: cloned.environment?.name ?? "" });
    expect(copy.revision?.definition).not.toBe(stored);
    expect(JSON.parse((await open.resolveEnvironment({ ...ref, environment: "copy" })).valueJson).password).toBe(canary);

    // Ciphertext pasted into another environment does not decrypt there (AAD binding).
    const ciphertext = /ciphertext: ([A-Za-z0-9+/]+=*)/.exec(stored)?.[1] ?? "";
    await env.createEnvironment({ ...ref, environment: "thief", definition: `values:\n  stolen:\n    fn::secret:\n      ciphertext: ${ciphertext}\n` });
    const [code, message] = await failure(open.resolveEnvironment({ ...ref, environment: "thief" }));
    expect(code).toBe(Code.FailedPrecondition);
    expect(message).toBe(`environment "default/sec/thief" has errors: 3:5: decrypting: ciphertext belongs to another environment, not "default/sec/thief"`);
    expect(message).not.toContain(canary);

    await server.stop({ keepData: true });
    const files = readdirSync(server.dataDir).filter((f) => f.startsWith("openesc.db"));
    for (const f of files) expect(readFileSync(join(server.dataDir, f)).includes(Buffer.from(canary))).toBe(false);
    expect(server.output()).not.toContain(canary);
    server = await startTestServer({ dataDir: server.dataDir });
    const again = clientFor(OpenService, "connect", server.url, server.token);
    expect(JSON.parse((await again.resolveEnvironment(ref)).valueJson).password).toBe(canary);
  });

  it("refuses to start with a different master key, and never re-keys", async () => {
    const dataDir = server.dataDir;
    await server.stop({ keepData: true });
    const wrong = randomBytes(32).toString("base64");
    await expect(startTestServer({ dataDir, env: { OPENESC_MASTER_KEY: wrong } })).rejects.toThrow(/server exited with 1 before listening:[\s\S]*error: .*master key/i);
    server = await startTestServer({ dataDir });
  });
});

const pgUrl = testPostgresUrl();
describe.skipIf(pgUrl === undefined)("open sessions across two server processes on one PostgreSQL", () => {
  let database: TestDatabase;
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    database = await createTestDatabase();
    // Both replicas share the database and the master key (OPENESC_MASTER_KEY), as a deployment would.
    const key = randomBytes(32).toString("base64");
    a = await startTestServer({ database: database.url, env: { OPENESC_MASTER_KEY: key } });
    b = await startTestServer({ database: database.url, env: { OPENESC_MASTER_KEY: key } });
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await database?.drop();
  });

  it("reads through B a session opened through A, until it expires", async () => {
    const env = clientFor(EnvironmentService, "grpc", a.url, a.token);
    const ref = { org: "default", project: "shared", environment: "app" };
    await env.createEnvironment({ ...ref, definition: "values:\n  token:\n    fn::secret: s3cr3t-value\n  n: 1\n" });
    const opened = await clientFor(OpenService, "grpc", a.url, a.token).openEnvironment({ ...ref, duration: durationFromMs(2000) });
    // the bootstrap token was made by A; B shares the database, so it accepts it too
    const viaB = clientFor(OpenService, "connect", b.url, a.token);
    const read = await viaB.readOpenEnvironment({ ...ref, sessionId: opened.sessionId, path: "token" });
    expect([read.value?.secret, read.valueJson]).toEqual([true, '"s3cr3t-value"\n']);
    await new Promise((r) => setTimeout(r, 2100));
    expect((await failure(viaB.readOpenEnvironment({ ...ref, sessionId: opened.sessionId })))[0]).toBe(Code.FailedPrecondition);
    const dump = execFileSync("pg_dump", ["--data-only", database.url], { encoding: "utf8", env: { ...process.env, PATH: `${process.env.PATH}:${pgBinDir()}` } });
    expect(dump).not.toContain("s3cr3t-value");
  });
});

function pgBinDir(): string {
  const root = "/usr/lib/postgresql";
  const versions = readdirSync(root).sort();
  return join(root, versions[versions.length - 1] as string, "bin");
}
