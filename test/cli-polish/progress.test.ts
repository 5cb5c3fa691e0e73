/**
 * Progress of long operations: a spinner line on stderr when it is a terminal, erased when the work
 * settles, and nothing at all otherwise. Unit tests of startProgress/withProgress, then the real
 * binary on a pseudo-terminal (`script`) and on pipes.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliContext } from "../../src/cli/context.js";
import { startProgress, withProgress } from "../../src/cli/progress.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { prepare, runCli, type Bindings } from "../cli/scenario.js";

const ERASE = "\r\x1b[K";

function context(stderrIsTTY: boolean, env: NodeJS.ProcessEnv = { LANG: "en_US.UTF-8" }): { ctx: CliContext; written: () => string } {
  let written = "";
  const sink = new Writable({
    write(chunk, _enc, cb) {
      written += String(chunk);
      cb();
    },
  });
  return { ctx: { stdout: sink, stderr: sink, stdin: process.stdin, env, isTTY: false, stderrIsTTY }, written: () => written };
}

describe("startProgress", () => {
  it("draws a spinner line at once and erases it when done", () => {
    const { ctx, written } = context(true);
    const progress = startProgress(ctx, "Cloning a to b");
    expect(written()).toBe(`${ERASE}⠋ Cloning a to b…`);
    progress.update("3/12");
    expect(written()).toBe(`${ERASE}⠋ Cloning a to b…${ERASE}⠙ Cloning a to b… 3/12`);
    progress.done();
    progress.done();
    progress.update("ignored after done");
    expect(written().endsWith(`3/12${ERASE}`)).toBe(true);
  });

  it("draws ASCII when the locale is not UTF-8", () => {
    const { ctx, written } = context(true, { LANG: "C" });
    const progress = startProgress(ctx, "Rotating");
    progress.update("1/2");
    progress.done();
    expect(written()).toBe(`${ERASE}- Rotating...${ERASE}\\ Rotating... 1/2${ERASE}`);
    // LC_ALL wins over LANG
    const utf = context(true, { LANG: "C", LC_ALL: "C.UTF-8" });
    startProgress(utf.ctx, "Rotating").done();
    expect(utf.written()).toBe(`${ERASE}⠋ Rotating…${ERASE}`);
  });

  it("prints nothing when stderr is not a terminal", () => {
    const { ctx, written } = context(false);
    const progress = startProgress(ctx, "Cloning a to b");
    progress.update("3/12");
    progress.done();
    expect(written()).toBe("");
  });

  it("erases the line when the work fails, and passes the failure on", async () => {
    const { ctx, written } = context(true);
    await expect(withProgress(ctx, "Rotating", async () => Promise.reject(new Error("vault down")))).rejects.toThrow("vault down");
    expect(written()).toBe(`${ERASE}⠋ Rotating…${ERASE}`);
  });
});

describe("progress in the real binary", () => {
  let server: TestServer;
  let dir: string;
  let b: Bindings;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    server = await startTestServer();
    dir = mkdtempSync(join(tmpdir(), "openesc-progress-"));
    b = { url: server.url, token: server.token, dir };
    env = { ...prepare({ steps: [] }, b), OPENESC_URL: server.url, OPENESC_TOKEN: server.token };
    for (const cmd of ["env init payments/dev", "env set payments/dev a 1", "env set payments/dev b 2"]) {
      expect((await runCli(cmd, env, b)).exit).toBe(0);
    }
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("env clone shows a spinner on a terminal and leaves only its result", async () => {
    const out = await runCli("env clone payments/dev copy1 --preserve-history", env, b, undefined, true);
    expect(out.exit).toBe(0);
    // on the terminal stdout and stderr arrive together: spinner frames, erased, then the result
    expect(out.stdout).toMatch(/^\r\x1b\[K⠋ Cloning default\/payments\/dev to default\/payments\/copy1…/);
    expect(out.stdout.endsWith(`${ERASE}Environment default/payments/dev cloned to default/payments/copy1.\n`)).toBe(true);
  });

  it("env clone prints no progress into pipes", async () => {
    expect(await runCli("env clone payments/dev copy2 --preserve-history", env, b)).toEqual({
      stdout: "Environment default/payments/dev cloned to default/payments/copy2.\n",
      stderr: "",
      exit: 0,
    });
  });

  it("audit export counts the events on a terminal, and prints only NDJSON into pipes", async () => {
    const onTty = await runCli("audit export", env, b, undefined, true);
    expect(onTty.exit).toBe(0);
    expect(onTty.stdout).toMatch(/^\r\x1b\[K⠋ Exporting audit events of default…/);
    expect(onTty.stdout).toMatch(/\r\x1b\[K. Exporting audit events of default… \d+ events/);
    const piped = await runCli("audit export", env, b);
    expect(piped.exit).toBe(0);
    expect(piped.stderr).toBe("");
    for (const line of piped.stdout.trimEnd().split("\n")) expect(() => JSON.parse(line) as unknown).not.toThrow();
  });

  it("admin keys rotate shows a spinner on a terminal only", async () => {
    const data = join(dir, "rotate-data");
    const onTty = await runCli(`admin keys rotate --data-dir ${data}`, env, b, undefined, true);
    expect(onTty.exit).toBe(0);
    expect(onTty.stdout).toMatch(/^\r\x1b\[K⠋ Rotating keys and rewrapping data keys…/);
    expect(onTty.stdout).toMatch(/\r\x1b\[KRotated to local key version 2 on sqlite:\S+: 0 data key\(s\) rewrapped, 0 already current\.\n$/);
    const piped = await runCli(`admin keys rotate --data-dir ${data}`, env, b);
    expect(piped.stderr).toBe("");
    expect(piped.stdout).toMatch(/^Rotated to local key version 3 on sqlite:\S+: 0 data key\(s\) rewrapped, 0 already current\.\n$/);
  });
});
