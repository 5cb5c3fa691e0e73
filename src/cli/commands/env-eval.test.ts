import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateEnvironment } from "../../esc/index.js";
import type { CliContext } from "../context.js";
import { main } from "../main.js";
import { render } from "./env-eval.js";

function capture(): { ctx: CliContext; out: () => string; err: () => string } {
  let out = "";
  let err = "";
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, cb) {
        append(String(chunk));
        cb();
      },
    });
  const ctx: CliContext = {
    stdout: sink((s) => (out += s)),
    stderr: sink((s) => (err += s)),
    stdin: process.stdin,
    env: { OPENESC_HOME: "/nonexistent/openesc-eval-test" },
    isTTY: false,
  };
  return { ctx, out: () => out, err: () => err };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "openesc-eval-unit-"));
  writeFileSync(join(dir, "ok.yaml"), "values:\n  who: ${context.user}\n  pw: { fn::secret: hunter2 }\n");
  writeFileSync(join(dir, "bad.yaml"), "values:\n  a: 1\n  b: ${nope}\n  c: ${a}\n");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...args: string[]) {
  const { ctx, out, err } = capture();
  const exit = await main(["env", "eval", dir, ...args], ctx);
  return { exit, stdout: out(), stderr: err() };
}

describe("openesc env eval (in process)", () => {
  it("prints the value, no diagnostics, exit 0", async () => {
    expect(await run("ok", "--context", '{"user":"ana"}')).toEqual({ exit: 0, stdout: '{\n  "pw": "[secret]",\n  "who": "ana"\n}\n', stderr: "" });
    expect((await run("ok", "--context", '{"user":"ana"}', "--show-secrets", "--format", "string")).stdout).toBe('"pw"="hunter2","who"="ana"\n');
  });

  it("prints the value as far as evaluated, exactly the diagnostic lines, exit 1", async () => {
    expect(await run("bad")).toEqual({
      exit: 1,
      stdout: '{\n  "a": 1,\n  "b": "[unknown]",\n  "c": 1\n}\n',
      stderr: 'bad:3:8: error: unknown property "nope"\n',
    });
  });

  it("reports a missing context key as a diagnostic", async () => {
    const r = await run("ok");
    expect(r.exit).toBe(1);
    expect(r.stderr).toBe('ok:2:17: error: unknown property "user"\n');
  });

  it("refuses bad usage with exit 2", async () => {
    expect(await run("ok", "--check", "--rotate")).toEqual({ exit: 2, stdout: "", stderr: "error: --check and --rotate cannot be used together\n" });
    expect((await run("ok", "--context", "[]")).exit).toBe(2);
    expect((await run("ok", "--context", "{")).stderr).toMatch(/^error: invalid --context: /);
    expect(await run("../ok")).toEqual({ exit: 2, stdout: "", stderr: 'error: invalid environment name "../ok": a name may not have empty, "." or ".." parts\n' });
    expect((await run("ok", "--format", "yaml")).exit).toBe(2);
  });

  it("fails with exit 1 when the root file is missing", async () => {
    const r = await run("nope");
    expect(r.exit).toBe(1);
    expect(r.stderr).toBe(`error: environment "nope" not found (no file ${join(dir, "nope.yaml")})\n`);
  });
});

describe("render", () => {
  it("renders a missing environment in every format", () => {
    const choice = { redact: true, writeFiles: false };
    expect(render(undefined, "json", choice)).toBe("null\n");
    expect(render(undefined, "detailed", choice)).toBe("null\n");
    expect(render(undefined, "string", choice)).toBe("\n");
    expect(render(undefined, "dotenv", choice)).toBe("");
    expect(render(undefined, "shell", choice)).toBe("");
  });

  it("pretends files when it may not write them (§18.2)", async () => {
    const r = await evaluateEnvironment("values:\n  environmentVariables: { A: a }\n  files: { F: content }\n", { name: "x" });
    const v = r.environment?.value;
    expect(render(v, "dotenv", { redact: true, writeFiles: false })).toBe('A="a"\nF="[unknown]"\n');
    expect(render(v, "shell", { redact: true, writeFiles: false })).toBe('export A="a"\nexport F="[unknown]"\n');
  });
});
