/**
 * `openesc env check REF | -f FILE|-` against a real server (the binary in dist/, `npx tsc -p tsconfig.build.json`):
 * the server's CheckEnvironment diagnostics as `ENV:LINE:COLUMN: error: …` lines, exit 1 on errors.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { clientFor } from "../support/clients.js";
import { OPENESC_BIN, startTestServer, type TestServer } from "../support/server.js";

let server: TestServer;
let dir: string;

beforeAll(async () => {
  server = await startTestServer();
  dir = mkdtempSync(join(tmpdir(), "openesc-check-"));
  const env = clientFor(EnvironmentService, "connect", server.url, server.token);
  await env.createEnvironment({ org: "default", project: "default", environment: "base", definition: "values:\n  region: eu\n" });
  await env.createEnvironment({ org: "default", project: "payments", environment: "gone", definition: "values:\n  x: 1\n" });
  await env.createEnvironment({
    org: "default",
    project: "payments",
    environment: "app",
    definition: "imports: [base, payments/gone]\nvalues:\n  url: https://${region}.example.com\n  x2: ${x}\n",
  });
  // the stored revision of app now imports an environment that no longer exists
  await env.deleteEnvironment({ org: "default", project: "payments", environment: "gone" });
  writeFileSync(join(dir, "bad.yaml"), "imports: [base]\nvalues:\n  a: ${regoin}\n  b: { fn::join: [\",\", [42]] }\n");
  writeFileSync(join(dir, "good.yaml"), "imports: [base]\nvalues:\n  a: ${region}\n");
}, 60_000);

afterAll(async () => {
  await server?.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

function run(args: readonly string[], options: { stdin?: string; env?: Record<string, string> } = {}): Promise<{ stdout: string; stderr: string; exit: number }> {
  return new Promise((resolve, reject) => {
    const env = { PATH: process.env.PATH, HOME: dir, OPENESC_HOME: join(dir, ".openesc"), OPENESC_URL: server.url, OPENESC_TOKEN: server.token, ...options.env };
    const child = spawn(process.execPath, [OPENESC_BIN, "env", "check", ...args], { cwd: dir, env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    child.on("error", reject);
    child.on("close", (code) => resolve({ stdout, stderr, exit: code ?? -1 }));
    child.stdin.end(options.stdin);
  });
}

describe.concurrent("openesc env check", () => {
  it("a good stored environment: nothing printed, exit 0", async () => {
    expect(await run(["base"])).toEqual({ stdout: "", stderr: "", exit: 0 });
    expect(await run(["default/default/base@latest"])).toEqual({ stdout: "", stderr: "", exit: 0 });
  });

  it("a stored revision with errors: one line per diagnostic, exit 1", async () => {
    expect(await run(["payments/app"])).toEqual({
      stdout: "",
      stderr: 'payments/app:1:17: error: environment "payments/gone" not found\npayments/app:4:9: error: unknown property "x"\nerror: default/payments/app: 2 errors\n',
      exit: 1,
    });
  });

  it("-f FILE checks that definition as REF, imports resolving on the server", async () => {
    expect(await run(["payments/app", "-f", "good.yaml"])).toEqual({ stdout: "", stderr: "", exit: 0 });
    expect(await run(["payments/app", "-f", "bad.yaml"])).toEqual({
      stdout: "",
      stderr:
        'payments/app:3:8: error: unknown property "regoin"; did you mean "region"?\n' +
        "payments/app:4:25: error: expected string, got number\n" +
        "error: default/payments/app: 2 errors\n",
      exit: 1,
    });
  });

  it("-f - reads standard input; without REF the definition is checked as default/definition", async () => {
    expect(await run(["-f", "-"], { stdin: "values:\n  a: ${b}\n" })).toEqual({
      stdout: "",
      stderr: 'default/definition:2:8: error: unknown property "b"\nerror: default/default/definition: 1 error\n',
      exit: 1,
    });
    expect(await run(["-f", "-"], { stdin: "" })).toEqual({ stdout: "", stderr: "", exit: 0 });
  });

  it("warnings alone exit 0", async () => {
    expect(await run(["base", "-f", "-"], { stdin: "values:\n  a: 1\nvalues: {}\n" })).toEqual({
      stdout: "",
      stderr: 'default/base:3:1: warning: duplicate key "values"\n',
      exit: 0,
    });
  });

  it("usage: REF or -f is needed; -f takes no version", async () => {
    expect(await run([])).toEqual({ stdout: "", stderr: "error: missing REF: pass an environment reference, or -f FILE\n", exit: 2 });
    expect(await run(["base@3", "-f", "good.yaml"])).toEqual({
      stdout: "",
      stderr: '"base@3" names a version; this command takes an environment (drop "@3")\n'.replace(/^/, "error: "),
      exit: 2,
    });
  });

  it("a missing environment or file fails with exit 1", async () => {
    expect(await run(["nope"])).toMatchObject({ stdout: "", exit: 1 });
    expect(await run(["base", "-f", "missing.yaml"])).toEqual({ stdout: "", stderr: "error: cannot read missing.yaml: no such file\n", exit: 1 });
  });
});
