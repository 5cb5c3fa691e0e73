import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { CliError } from "./context.js";
import { runChild } from "./run-child.js";
import { createTempFileSet, writePrivateTempFile } from "./temp-files.js";

function sink(): { stream: Writable; text: () => string } {
  let text = "";
  const stream = new Writable({
    write(chunk: Buffer, _e, cb) {
      text += chunk.toString();
      cb();
    },
  });
  return { stream, text: () => text };
}

function node(script: string, secrets: readonly string[] | undefined, env: NodeJS.ProcessEnv = process.env) {
  const out = sink();
  const err = sink();
  const done = runChild({ command: process.execPath, args: ["-e", script], env, secrets, stdout: out.stream, stderr: err.stream, forward: [] });
  return { done, out: out.text, err: err.text };
}

const dir = mkdtempSync(join(tmpdir(), "openesc-run-child-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("runChild()", () => {
  it("filters stdout and stderr line by line", async () => {
    const run = node(`process.stdout.write("a hunt"); setTimeout(() => { process.stdout.write("er2 b\\n"); console.error("e hunter2"); }, 50)`, ["hunter2"]);
    expect(await run.done).toBe(0);
    expect(run.out()).toBe("a [secret] b\n");
    expect(run.err()).toBe("e [secret]\n");
  });

  it("passes output unchanged without secrets to filter (-i)", async () => {
    const run = node(`console.log("hunter2")`, undefined);
    expect(await run.done).toBe(0);
    expect(run.out()).toBe("hunter2\n");
  });

  it("returns the child's exit code", async () => {
    expect(await node("process.exit(7)", []).done).toBe(7);
  });

  it("returns 128 + the signal that ended the child", async () => {
    expect(await node(`process.kill(process.pid, "SIGTERM")`, []).done).toBe(143);
  });

  it("runs the command directly with the given environment", async () => {
    const run = node(`console.log(process.env.ONLY, process.argv.length)`, [], { ONLY: "x;$(echo no)" });
    expect(await run.done).toBe(0);
    expect(run.out()).toBe("x;$(echo no) 1\n");
  });

  it("fails with a CliError when the command does not exist", async () => {
    const out = sink();
    const run = runChild({ command: "openesc-no-such-command", args: [], env: process.env, secrets: [], stdout: out.stream, stderr: out.stream, forward: [] });
    await expect(run).rejects.toThrow(new CliError('cannot run "openesc-no-such-command": command not found'));
  });

  it("forwards a signal this process receives", async () => {
    const out = sink();
    const run = runChild({
      command: process.execPath,
      args: ["-e", `process.on("SIGUSR2", () => { console.log("got SIGUSR2"); process.exit(5); }); console.log("ready"); setInterval(() => {}, 1000);`],
      env: process.env,
      secrets: [],
      stdout: out.stream,
      stderr: out.stream,
      forward: ["SIGUSR2"],
    });
    for (let i = 0; i < 100 && !out.text().includes("ready"); i++) await new Promise((r) => setTimeout(r, 50));
    process.kill(process.pid, "SIGUSR2");
    expect(await run).toBe(5);
    expect(out.text()).toBe("ready\ngot SIGUSR2\n");
    expect(process.listenerCount("SIGUSR2")).toBe(0);
  });
});

describe("temp files", () => {
  it("writes a private esc-* file", () => {
    const path = writePrivateTempFile("token=x\n", dir);
    expect(basename(path)).toMatch(/^esc-[0-9a-f]{12}$/);
    expect(readFileSync(path, "utf8")).toBe("token=x\n");
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it("removes a set's files together, once", () => {
    const set = createTempFileSet(dir);
    const a = set.write("a");
    const b = set.write("b");
    expect(set.paths).toEqual([a, b]);
    expect(existsSync(a) && existsSync(b)).toBe(true);
    set.remove();
    set.remove();
    expect(existsSync(a) || existsSync(b)).toBe(false);
    expect(set.paths).toEqual([]);
  });
});
