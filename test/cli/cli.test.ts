/**
 * Drives the real `openesc` binary (dist/, built by `npx tsc -p tsconfig.build.json`) against a
 * real server, one server per scenario file in testdata/. OPENESC_ACCEPT=1 rewrites expectations.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, startTestServer } from "../support/server.js";
import { acceptScenario, prepare, readScenario, runCli, selfSignedCertificate, type Bindings, type Outcome } from "./scenario.js";

const TESTDATA = join(import.meta.dirname, "testdata");
const ACCEPT = process.env.OPENESC_ACCEPT === "1";
const files = readdirSync(TESTDATA).filter((f) => f.endsWith(".yaml")).sort();

// the scenarios run the compiled binary: say so plainly when it is missing or older than the source
const BUILT = join(REPO_ROOT, "dist/src/cli/main.js");
if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`npx tsc -p tsconfig.build.json\` before the CLI tests`);
const newestSource = readdirSync(join(REPO_ROOT, "src/cli"), { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".ts"))
  .reduce((max, f) => Math.max(max, statSync(join(REPO_ROOT, "src/cli", f)).mtimeMs), 0);
if (newestSource > statSync(BUILT).mtimeMs) console.warn("[cli.test] src/cli is newer than dist/: the scenarios run the old build");

// at most this many servers at once: the suite shares a small machine with the other test files
const PARALLEL = 3;
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

describe.concurrent("openesc CLI scenarios", () => {
  it.each(files)("%s", { timeout: 300_000 }, (file) => slot(() => runScenario(file)));
});

async function runScenario(file: string): Promise<void> {
  const path = join(TESTDATA, file);
  const scenario = readScenario(path);
  const dir = mkdtempSync(join(tmpdir(), "openesc-cli-"));
  const server = await startTestServer({ args: scenario.tls === true ? selfSignedCertificate(dir) : [] });
  try {
    const b: Bindings = { url: server.url, token: server.token, dir };
    const env = prepare(scenario, b);
    const seed = [...(scenario.login === false ? [] : ["login {url} --token {token}"]), ...(scenario.seed ?? [])];
    for (const command of seed) {
      const o = await runCli(command, env, b);
      if (o.exit !== 0) throw new Error(`seed "${String(command)}" exited ${o.exit}:\n${o.stderr}${o.stdout}`);
    }
    const outcomes: Outcome[] = [];
    for (const step of scenario.steps) outcomes.push(await runCli(step.run, env, b, step.stdin, step.tty === true));
    if (ACCEPT) {
      acceptScenario(path, outcomes);
      return;
    }
    const expected = scenario.steps.map((s) => ({ run: s.run, stdout: s.stdout ?? "", stderr: s.stderr ?? "", exit: s.exit ?? 0 }));
    expect(outcomes.map((o, i) => ({ run: scenario.steps[i]?.run, ...o }))).toEqual(expected);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
