/**
 * `openesc whoami` shows what a token is: identity (and its kind), org, role, teams, the token's
 * scope and expiry — lines that only appear when they say something — and the same as JSON.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPENESC_BIN, REPO_ROOT, startTestServer, type TestServer } from "../support/server.js";
import { prepare, runCli, type Bindings } from "../cli/scenario.js";

const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;

describe("openesc whoami", () => {
  let server: TestServer;
  let dir: string;
  let b: Bindings;
  let env: NodeJS.ProcessEnv;
  let secret = "";
  beforeAll(async () => {
    server = await startTestServer();
    dir = mkdtempSync(join(tmpdir(), "openesc-whoami-"));
    b = { url: server.url, token: server.token, dir };
    env = { ...prepare({ steps: [] }, b), OPENESC_URL: server.url, OPENESC_TOKEN: server.token };
    for (const cmd of ["team create ops", "token create --user alice --expires 2d --description t"]) {
      const out = await runCli(cmd, env, b);
      expect(out.exit, out.stderr).toBe(0);
    }
    expect((await runCli("team add ops alice", env, b)).exit).toBe(0);
    // runCli hides secrets as <secret>: this one is read as printed
    const raw = execFileSync(process.execPath, [OPENESC_BIN, "token", "create", "--user", "alice", "--expires", "2d", "--scope", "read:payments,payments/dev"], { env, encoding: "utf8" });
    secret = raw.trim();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("prints five lines for the bootstrap admin token", async () => {
    expect(await runCli("whoami", env, b)).toEqual({
      stdout: `User:   admin\nOrg:    default\nRole:   admin\nToken:  {token-id}\nServer: {url} (version ${VERSION})\n`,
      stderr: "",
      exit: 0,
    });
  });

  it("adds teams, scope and expiry when the token has them", async () => {
    const out = await runCli(`whoami --token ${secret}`, env, b);
    expect(out.exit).toBe(0);
    expect(out.stdout).toMatch(
      new RegExp(
        `^User:   alice\\nOrg:    default\\nRole:   member\\nTeams:  ops\\nToken:  <token-id>\\nScope:  at most read on payments, payments/dev\\nExpiry: YYYY-MM-DDTHH:MM:SSZ\\nServer: \\{url\\} \\(version ${VERSION.replaceAll(".", "\\.")}\\)\\n$`,
      ),
    );
  });

  it("prints the same as JSON", async () => {
    const out = await runCli(`whoami --token ${secret} --output json`, env, b);
    const json = JSON.parse(out.stdout) as Record<string, unknown>;
    expect(json).toEqual({
      url: "{url}",
      login: "alice",
      kind: "user",
      org: "default",
      role: "member",
      teams: ["ops"],
      tokenId: expect.stringMatching(/^(<token-id>|[0-9a-f]{16})$/) as unknown,
      scope: { permission: "read", resources: ["payments", "payments/dev"] },
      tokenExpireTime: "YYYY-MM-DDTHH:MM:SSZ",
      serverVersion: VERSION,
    });
  });
});
