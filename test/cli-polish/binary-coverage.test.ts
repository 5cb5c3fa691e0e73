/**
 * "Every command in the spec exists and has a test that runs the binary": reads the argv of every
 * CLI scenario (test/cli/testdata) and the command lines in the tests that spawn `bin/openesc.js`,
 * resolves each against the commander tree, and fails for a command that none of them runs.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { registerCommands } from "../../src/cli/commands/index.js";
import { processContext } from "../../src/cli/context.js";
import { REPO_ROOT } from "../support/server.js";
import { splitWords } from "../cli/scenario.js";

/** Groups that other capabilities own and test in their own suites (`cli.md`: "their issues"). */
const ELSEWHERE = /^(org|team|token|grant|audit|stack|admin oidc)( |$)/;

async function tree(): Promise<Command> {
  const program = new Command("openesc");
  await registerCommands(program, processContext(), () => {}, []);
  return program;
}

/** The deepest command an argv names: `["env", "--url", "x", "version", "tag", "ls", "r"]` → "env version tag ls". */
function commandPath(program: Command, argv: readonly string[]): string {
  let cmd = program;
  const path: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    if (word === "--") break;
    if (word.startsWith("-")) {
      const option = cmd.options.find((o) => o.long === word || o.short === word);
      if (option?.required === true) i++;
      continue;
    }
    const sub = cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (sub === undefined) continue;
    cmd = sub;
    path.push(sub.name());
  }
  return path.join(" ");
}

function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(suffix) && !f.includes("node_modules"))
    .map((f) => join(dir, f));
}

/** Every argv a test of the binary runs: scenario steps, and string/array command lines in spawning tests. */
function commandLines(): { argv: string[]; file: string }[] {
  const lines: { argv: string[]; file: string }[] = [];
  for (const file of filesUnder(join(REPO_ROOT, "test/cli/testdata"), ".yaml")) {
    const scenario = parse(readFileSync(file, "utf8")) as { steps?: { run: string | string[] }[] };
    for (const step of scenario.steps ?? []) lines.push({ argv: typeof step.run === "string" ? splitWords(step.run) : step.run, file });
  }
  for (const file of filesUnder(join(REPO_ROOT, "test"), ".test.ts")) {
    const text = readFileSync(file, "utf8");
    // only tests that run the real binary count (the completion test's lines are typed, not run)
    if (!/OPENESC_BIN|runCli\(|bin\/openesc/.test(text) || file.endsWith("completion.test.ts") || file === import.meta.filename) continue;
    for (const m of text.matchAll(/\[\s*("[^"\n]*"(?:\s*,\s*"[^"\n]*")*)/g)) {
      lines.push({ argv: [...(m[1] as string).matchAll(/"([^"\n]*)"/g)].map((w) => w[1] as string), file });
    }
    for (const m of text.matchAll(/["'`]([a-z][^"'`\n]*)["'`]/g)) lines.push({ argv: splitWords(m[1] as string), file });
  }
  return lines;
}

describe("every command is run by a test of the binary", async () => {
  const program = await tree();
  const covered = new Map<string, string>();
  for (const { argv, file } of commandLines()) {
    const path = commandPath(program, argv);
    if (path !== "" && !covered.has(path)) covered.set(path, relative(REPO_ROOT, file));
  }
  const commands: string[] = [];
  const walk = (cmd: Command, prefix: string) => {
    for (const child of cmd.commands) {
      const path = prefix === "" ? child.name() : `${prefix} ${child.name()}`;
      // groups without an action of their own (`env settings`) are covered through their subcommands
      const runnable = child.commands.length === 0 || child.registeredArguments.length > 0;
      if (runnable && !ELSEWHERE.test(path)) commands.push(path);
      walk(child, path);
    }
  };
  walk(program, "");

  it.each(commands)("%s", (path) => {
    expect(covered.get(path), `no test runs \`openesc ${path}\``).toBeDefined();
  });

  it("finds the runs it reports (a scenario step, an argv array, a command string)", () => {
    expect(covered.get("env version tag rm")).toMatch(/^test\/cli\/testdata\/.+\.yaml$/);
    expect(covered.get("env open")).toMatch(/^test\/.+\.test\.ts$/);
    expect(covered.get("doctor")).toBe("test/cli-polish/doctor.test.ts");
    expect(covered.has("no such command")).toBe(false);
  });
});
