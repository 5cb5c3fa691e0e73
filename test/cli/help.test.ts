/** Every command documents itself: `--help` ends with an Examples section (STYLE.md "One CLI command"). */
import { Writable } from "node:stream";
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { registerCommands } from "../../src/cli/commands/index.js";
import type { CliContext } from "../../src/cli/context.js";
import { main } from "../../src/cli/main.js";

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
    env: { OPENESC_HOME: "/nonexistent/openesc-help-test" },
    isTTY: false,
  };
  return { ctx, out: () => out, err: () => err };
}

async function commandPaths(): Promise<string[][]> {
  const program = new Command("openesc");
  // no client command first: serve is registered too
  await registerCommands(program, capture().ctx, () => {}, []);
  const paths: string[][] = [];
  const walk = (cmd: Command, path: string[]) => {
    for (const child of cmd.commands) {
      const p = [...path, child.name()];
      paths.push(p);
      walk(child, p);
    }
  };
  walk(program, []);
  return paths;
}

describe("openesc --help", async () => {
  const paths = await commandPaths();

  it("covers the lifecycle commands", () => {
    expect(paths.map((p) => p.join(" "))).toEqual(
      expect.arrayContaining(["serve", "doctor", "completion", "login", "logout", "whoami", "env ls", "env version tag ls", "env tag mv", "env settings set", "admin token revoke", "admin migrate"]),
    );
  });

  it.each(paths.map((p) => [p.join(" "), p] as const))("%s --help has examples", async (_, path) => {
    const { ctx, out, err } = capture();
    expect(await main([...path, "--help"], ctx)).toBe(0);
    expect(err()).toBe("");
    expect(out()).toMatch(/\nExamples:\n(  .*openesc .+\n)+\n?$/);
  });
});

describe("openesc --help (the root)", () => {
  it("has examples too", async () => {
    const { ctx, out } = capture();
    expect(await main(["--help"], ctx)).toBe(0);
    expect(out()).toMatch(/\nExamples:\n(  .*openesc .+\n)+\n?$/);
  });
});

describe("exit codes", () => {
  it("is 2 for usage errors, with one error line", async () => {
    const { ctx, err } = capture();
    expect(await main(["env", "get"], ctx)).toBe(2);
    expect(err()).toBe("error: missing required argument 'ref'\n");
  });

  it("is 1 for a failed operation", async () => {
    const { ctx, err } = capture();
    expect(await main(["env", "ls"], ctx)).toBe(1);
    expect(err()).toBe("error: no server: log in with `openesc login URL`, or pass --url or set OPENESC_URL\n");
  });
});
