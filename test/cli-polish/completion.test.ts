/**
 * `openesc completion bash|zsh|fish`: the scripts the real binary prints are loaded into the real
 * shells and asked for completions (bash: COMPREPLY of the completion function; zsh: the function
 * with zsh's completion builtins recorded; fish: `complete -C`). Every command of the tree is checked.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterAll, describe, expect, it } from "vitest";
import { registerCommands } from "../../src/cli/commands/index.js";
import { allCommands, completionTree, type CompletionCommand } from "../../src/cli/completion-tree.js";
import { processContext } from "../../src/cli/context.js";
import { OPENESC_BIN } from "../support/server.js";
import { requireTool } from "../support/tools.js";

const dir = mkdtempSync(join(tmpdir(), "openesc-completion-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The script the binary prints for `shell`, written once into the temp folder. */
const scripts = new Map<string, string>();
function script(shell: string): string {
  const known = scripts.get(shell);
  if (known !== undefined) return known;
  const file = join(dir, `openesc.${shell}`);
  writeFileSync(file, execFileSync(process.execPath, [OPENESC_BIN, "completion", shell], { encoding: "utf8" }));
  scripts.set(shell, file);
  return file;
}

async function tree(): Promise<CompletionCommand> {
  const program = new Command("openesc").version("0.0.0", "-v, --version");
  await registerCommands(program, processContext(), () => {}, []);
  return completionTree(program);
}

/** What bash's completion function offers for the words typed so far (the last one being completed). */
function bashComplete(file: string, cases: readonly string[][]): string[][] {
  const lines = cases.map((words) => `c ${words.map((w) => `'${w}'`).join(" ")}`).join("\n");
  const program = `source '${file}'\nc() { COMP_WORDS=("$@"); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _openesc; echo "\${COMPREPLY[*]}"; }\n${lines}\n`;
  const out = execFileSync("bash", ["--norc", "--noprofile", "-c", program], { encoding: "utf8", cwd: dir, env: { PATH: "/usr/local/bin:/usr/bin:/bin" } });
  return out.split("\n").slice(0, cases.length).map((l) => (l === "" ? [] : l.split(" ")));
}

const CASES: readonly [string, readonly string[]][] = [
  // (the whole list of top-level commands is checked against the tree below)
  ["openesc lo", ["login", "logout"]],
  ["openesc d", ["doctor"]],
  ["openesc env ver", ["version"]],
  ["openesc env version tag ", ["ls", "list", "rm"]],
  // options before a subcommand's name are skipped with their values
  ["openesc env version --url http://x tag l", ["ls", "list"]],
  ["openesc env ls --output ", ["table", "json"]],
  ["openesc env ls -o j", ["json"]],
  ["openesc env ls --p", ["--project"]],
  ["openesc completion ", ["bash", "zsh", "fish"]],
  ["openesc completion z", ["zsh"]],
  ["openesc doctor --t", ["--timeout", "--token"]],
  ["openesc admin keys rotate --key-provider ", ["local", "vault-transit"]],
  ["openesc env get default/payments/dev --value ", ["json", "string", "dotenv", "shell", "detailed"]],
  ["openesc nonsense ", []],
];

describe("openesc completion zsh | head", () => {
  it("stops quietly when the reader goes away (EPIPE: exit 0, nothing on stderr)", () => {
    // the zsh script is larger than a pipe holds: the rest is written after head has gone
    const run = spawnSync("bash", ["-c", `"$0" "$1" completion zsh | head -c 10 >/dev/null; echo "\${PIPESTATUS[0]}"`, process.execPath, OPENESC_BIN], { encoding: "utf8" });
    expect({ status: run.stdout, stderr: run.stderr }).toEqual({ status: "0\n", stderr: "" });
  });
});

describe("bash completion", () => {
  const file = script("bash");

  it("is valid bash", () => {
    expect(spawnSync("bash", ["-n", file]).status).toBe(0);
  });

  it.each(CASES)("%j offers the expected words", (line, expected) => {
    const [got] = bashComplete(file, [line.split(" ")]);
    expect(got).toEqual(expected);
  });

  it("completes file names for <file> options and command names after run --", () => {
    writeFileSync(join(dir, "ca-bundle.pem"), "");
    const [files, commands] = bashComplete(file, [
      ["openesc", "doctor", "--ca-file", "ca-b"],
      ["openesc", "run", "dev", "--", "printen"],
    ]);
    expect(files).toEqual(["ca-bundle.pem"]);
    expect(new Set(commands)).toEqual(new Set(["printenv"]));
  });

  // (no `openesc` on this PATH: REF arguments complete nothing here, see complete-refs.test.ts)
  it("offers every command's subcommands (aliases included) and options", { timeout: 60_000 }, async () => {
    const commands = allCommands(await tree());
    const results = bashComplete(file, [
      ...commands.map((c) => ["openesc", ...c.path.split(" ").filter((w) => w !== ""), ""]),
      ...commands.map((c) => ["openesc", ...c.path.split(" ").filter((w) => w !== ""), "-"]),
    ]);
    commands.forEach((c, i) => {
      const words = [...c.subcommands.flatMap((s) => s.names), ...(c.argumentChoices[0] ?? [])];
      expect(results[i], `openesc ${c.path} <TAB>`).toEqual(words);
      expect(results[commands.length + i], `openesc ${c.path} -<TAB>`).toEqual(c.options.flatMap((o) => o.flags));
    });
  });
});

describe("zsh completion", () => {
  const zsh = requireTool("zsh");
  it.skipIf(zsh === undefined).each(CASES)("%j offers the expected words", (line, expected) => {
    const file = script("zsh");
    const words = line.split(" ");
    // zsh's completion builtins, recorded: _describe prints the candidate names of its array
    const program = [
      `compdef() { :; }`,
      `_describe() { local arr=\${@[-1]}; print -rl -- \${\${(P)arr}%%:*}; }`,
      `_files() { print -r -- "<files>"; }`,
      `_command_names() { print -r -- "<commands>"; }`,
      `source '${file}'`,
      `words=(${words.map((w) => `'${w}'`).join(" ")}); CURRENT=${words.length}`,
      `_openesc`,
    ].join("\n");
    const out = execFileSync(zsh as string, ["-f", "-c", program], { encoding: "utf8" });
    const prefix = words[words.length - 1] ?? "";
    // zsh itself filters the candidates by what is typed; file names are the fallback, as in bash (-o default)
    expect(out.split("\n").filter((w) => w !== "" && w !== "<files>" && w.startsWith(prefix))).toEqual(expected);
  });
});

describe("zsh completion from $fpath", () => {
  const zsh = requireTool("zsh");
  it.skipIf(zsh === undefined)("completes on the first TAB when autoloaded as _openesc", () => {
    const fpath = join(dir, "zfunc");
    mkdirSync(fpath, { recursive: true });
    copyFileSync(script("zsh"), join(fpath, "_openesc"));
    const program = [
      `_describe() { local arr=\${@[-1]}; print -rl -- \${\${(P)arr}%%:*}; }`,
      `fpath=('${fpath}' $fpath); autoload -U _openesc`,
      `words=(openesc env version tag ''); CURRENT=5`,
      `_openesc`,
    ].join("\n");
    expect(execFileSync(zsh as string, ["-f", "-c", program], { encoding: "utf8" })).toBe("ls\nlist\nrm\n");
  });
});

describe("fish completion", () => {
  const fish = requireTool("fish");
  it.skipIf(fish === undefined).each(CASES)("%j offers the expected words", (line, expected) => {
    const file = script("fish");
    const out = execFileSync(fish as string, ["--no-config", "-c", `source '${file}'; complete -C'${line}'`], { encoding: "utf8" });
    const got = out.split("\n").filter((l) => l !== "").map((l) => l.split("\t")[0]);
    // fish sorts candidates itself
    expect(got.sort()).toEqual([...expected].sort());
  });
});
