/**
 * Golden tests of `openesc env eval DIR NAME …` (issue 3, deliverable 5) driving the REAL binary (dist/, built by
 * `npx tsc -p tsconfig.build.json`). Each folder of cases/ holds environment files and `runs.yaml`:
 *
 * ```yaml
 * runs:
 *   - args: [root, --format, json]   # after `openesc env eval .`, run in a copy of the folder
 *     env: { X: "…" }                # extra environment variables
 *     stdin: "…"
 *     stdout: "…"                    # exact; temp files of `files` print as /tmp/esc-123456
 *     stderr: "…"
 *     exit: 0
 *     specJson: '{"a":1}'            # §20: the spec's JSON text, compared with stdout without insignificant blanks
 *     specText: "…"                  # §20: the spec's output block, compared with stdout as is
 *     specDiagnostics: [summary, …]  # §20: the summaries the spec lists (same multiset as the stderr diagnostics)
 *     after: { root.yaml: "…" }      # file contents after the run (rotation write-back)
 *     tempFiles: ["token=hunter2\n"] # contents of the temp files the run wrote, in name order of their variables
 * ```
 * `{plugins}` stands for the fixture plugins folder. OPENESC_ACCEPT=1 rewrites stdout, stderr, exit and after.
 */
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import { OPENESC_BIN, REPO_ROOT } from "../support/server.js";

const CASES = join(import.meta.dirname, "cases");
const PLUGINS = join(import.meta.dirname, "fixtures", "plugins");
const ACCEPT = process.env.OPENESC_ACCEPT === "1";
/** Plaintexts of the fixtures' secrets (and encodings of them) that redacted output must not show. */
const SECRETS = ["hunter2", "aHVudGVyMiBiYXI=", "s3cr3t", "tok-ana", "pw-1", "pw-2", "new-1", "business"];

const BUILT = join(REPO_ROOT, "dist/src/cli/commands/env-eval.js");
if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`npx tsc -p tsconfig.build.json\` before the env eval tests`);
if (statSync(join(REPO_ROOT, "src/cli/commands/env-eval.ts")).mtimeMs > statSync(BUILT).mtimeMs) {
  console.warn("[eval-cli.test] src/cli/commands/env-eval.ts is newer than dist/: the tests run the old build");
}

interface Run {
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly stdin?: string;
  readonly stdout?: string;
  readonly stderr?: string;
  readonly exit?: number;
  readonly specJson?: string;
  readonly specText?: string;
  readonly specDiagnostics?: readonly string[];
  readonly after?: Readonly<Record<string, string>>;
  readonly tempFiles?: readonly string[];
}

interface Outcome {
  readonly stdout: string;
  readonly stderr: string;
  readonly exit: number;
  readonly after: Record<string, string>;
  readonly tempFiles: string[];
}

// at most this many binaries at once: the suite shares a small machine with the other test files
const PARALLEL = 6;
let running = 0;
const waiting: (() => void)[] = [];
async function slot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= PARALLEL) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** Runs `openesc env eval . ARGS` in a copy of the case folder, with a private TMPDIR. */
async function runEval(caseDir: string, run: Run): Promise<Outcome> {
  const work = mkdtempSync(join(tmpdir(), "openesc-eval-"));
  const dir = join(work, "envs");
  const temp = join(work, "tmp");
  cpSync(caseDir, dir, { recursive: true });
  rmSync(join(dir, "runs.yaml"));
  mkdirSync(temp);
  try {
    const args = ["env", "eval", ".", ...run.args.map((a) => a.replaceAll("{plugins}", PLUGINS))];
    const env = { PATH: process.env.PATH, HOME: work, TMPDIR: temp, LANG: "C.UTF-8", ...run.env };
    const { stdout, stderr, exit } = await slot(() => spawnCli(args, dir, env, run.stdin));
    const clean = (s: string) => s.replaceAll(PLUGINS, "{plugins}").replaceAll(`${temp}/esc-`, "/tmp/esc-").replace(/\/tmp\/esc-\d+/g, "/tmp/esc-123456");
    const after: Record<string, string> = {};
    for (const name of Object.keys(run.after ?? {})) after[name] = existsSync(join(dir, name)) ? readFileSync(join(dir, name), "utf8") : "<missing>";
    const tempFiles = readdirSync(temp)
      .filter((f) => /^esc-\d+$/.test(f))
      .map((f) => ({ f, at: stdout.indexOf(join(temp, f)) }))
      .sort((a, b) => a.at - b.at)
      .map(({ f }) => readFileSync(join(temp, f), "utf8"));
    return { stdout: clean(stdout), stderr: clean(stderr), exit, after, tempFiles };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function spawnCli(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, stdin?: string): Promise<{ stdout: string; stderr: string; exit: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [OPENESC_BIN, ...args], { cwd, env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    child.on("error", reject);
    child.on("close", (code) => resolve({ stdout, stderr, exit: code ?? -1 }));
    child.stdin.end(stdin);
  });
}

/** JSON text without the blanks outside strings (the spec prints JSON compactly, `--format json` indents it). */
function compactJsonText(text: string): string {
  let out = "";
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (inString) {
      out += c;
      if (c === "\\") out += text[++i] ?? "";
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (!/\s/.test(c)) out += c;
  }
  return out;
}

/** The summaries of `ENV:LINE:COLUMN: severity: SUMMARY` lines. */
function summaries(stderr: string): string[] {
  return stderr
    .split("\n")
    .map((l) => /^[^:]+(?::\d+:\d+)?: (?:error|warning): (.*)$/.exec(l)?.[1])
    .filter((s): s is string => s !== undefined);
}

const folders = readdirSync(CASES)
  .filter((d) => existsSync(join(CASES, d, "runs.yaml")))
  .sort();

describe.concurrent("openesc env eval (real binary)", () => {
  for (const folder of folders) {
    const file = join(CASES, folder, "runs.yaml");
    const runs = (parse(readFileSync(file, "utf8")) as { runs: Run[] }).runs;
    it(folder, { timeout: 120_000 }, async () => {
      const outcomes = await Promise.all(runs.map((run) => runEval(join(CASES, folder), run)));
      if (ACCEPT) {
        const doc = parseDocument(readFileSync(file, "utf8"));
        outcomes.forEach((o, i) => {
          doc.setIn(["runs", i, "stdout"], o.stdout);
          doc.setIn(["runs", i, "stderr"], o.stderr);
          doc.setIn(["runs", i, "exit"], o.exit);
          if (runs[i]?.after !== undefined) doc.setIn(["runs", i, "after"], o.after);
        });
        writeFileSync(file, doc.toString({ lineWidth: 0 }));
      }
      outcomes.forEach((o, i) => {
        const run = runs[i] as Run;
        const what = `${folder} run ${i}: env eval . ${run.args.join(" ")}`;
        // the spec's own texts first: they do not move with OPENESC_ACCEPT
        if (run.specJson !== undefined) expect(compactJsonText(o.stdout), `${what} (spec JSON)`).toBe(run.specJson);
        if (run.specText !== undefined) expect(o.stdout, `${what} (spec text)`).toBe(run.specText);
        if (run.specDiagnostics !== undefined) expect(summaries(o.stderr).sort(), `${what} (spec diagnostics)`).toEqual([...run.specDiagnostics].sort());
        if (run.tempFiles !== undefined) expect(o.tempFiles, `${what} (temp files)`).toEqual(run.tempFiles);
        // redacted output never carries a plaintext secret of the fixtures (STYLE.md: the language's redaction test)
        if (!run.args.includes("--show-secrets")) {
          for (const secret of SECRETS) expect(o.stdout + o.stderr, `${what} (redaction)`).not.toContain(secret);
        }
        if (!ACCEPT) {
          expect({ stdout: o.stdout, stderr: o.stderr, exit: o.exit }, what).toEqual({ stdout: run.stdout ?? "", stderr: run.stderr ?? "", exit: run.exit ?? 0 });
          if (run.after !== undefined) expect(o.after, `${what} (files after)`).toEqual(run.after);
        }
      });
    });
  }
});
