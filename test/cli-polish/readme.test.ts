/**
 * The README's "The command line" section is copy-paste documentation: every `sh` block in it runs,
 * in order, in bash (`set -euo pipefail`) with `openesc` on PATH, against a fresh real server whose
 * data directory is `./.openesc` (the README's `http://127.0.0.1:8080` becomes the server's URL).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPENESC_BIN, REPO_ROOT, startTestServer, type TestServer } from "../support/server.js";

/** The `sh` blocks of one `## ` section of the README. */
export function shellBlocks(markdown: string, heading: string): string[] {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README has no "## ${heading}" section`);
  const end = markdown.indexOf("\n## ", start + 1);
  const section = markdown.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/\n```sh\n([\s\S]*?)\n```/g)].map((m) => m[1] as string);
}

const blocks = shellBlocks(readFileSync(join(REPO_ROOT, "README.md"), "utf8"), "The command line");

describe("README: The command line", () => {
  let server: TestServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    server = await startTestServer();
    dir = mkdtempSync(join(tmpdir(), "openesc-readme-"));
    mkdirSync(join(dir, "bin"));
    mkdirSync(join(dir, "work"));
    mkdirSync(join(dir, "home"));
    const wrapper = join(dir, "bin", "openesc");
    writeFileSync(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${OPENESC_BIN}" "$@"\n`);
    chmodSync(wrapper, 0o755);
    // the README runs next to the server's data directory, as after `npm start`
    symlinkSync(server.dataDir, join(dir, "work", ".openesc"));
    env = { PATH: `${join(dir, "bin")}:${process.env.PATH ?? ""}`, HOME: join(dir, "home"), LANG: "C.UTF-8" };
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("has examples", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
  });

  // in order: each block builds on the state the earlier ones left
  it.each(blocks.map((b, i) => [i + 1, b] as const))("block %i runs", { timeout: 120_000 }, (_, block) => {
    const script = block.replaceAll("http://127.0.0.1:8080", server.url);
    const run = spawnSync("bash", ["--norc", "--noprofile", "-c", `set -euo pipefail\n${script}`], { cwd: join(dir, "work"), env, encoding: "utf8" });
    expect({ status: run.status, stderr: run.status === 0 ? "" : run.stderr }).toEqual({ status: 0, stderr: "" });
  });

  it("left the state the examples describe", () => {
    const out = (args: string) => spawnSync("bash", ["-c", `openesc ${args}`], { cwd: join(dir, "work"), env, encoding: "utf8" });
    expect(out("env get payments/dev db.host --value string").stdout).toBe("db.internal\n");
    expect(out("env open payments/dev db.password -f string").stdout).toBe("hunter2\n");
    expect(out("run payments/app -- sh -c 'echo \"$GREETING, world\"'").stdout).toBe("hello, world\n");
    expect(out("env settings get payments/dev deletion-protected").stdout).toBe("true\n");
    expect(out("env ls").stdout).toBe("default/payments/app\ndefault/payments/dev\n");
  });
});
