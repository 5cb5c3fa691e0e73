/**
 * Helpers for the contract checks: run a command from the repository root with a time limit, and
 * decide what a missing toolchain means — a failure in CI (`CI` set), a loud skip elsewhere.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file lives in test/contract/). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** True in CI, where a missing toolchain fails the check instead of skipping it. */
export const IN_CI = process.env.CI !== undefined && process.env.CI !== "" && process.env.CI !== "false";

/** The committed output folders of `npm run generate` (keep in sync with scripts/generate.sh). */
export const GENERATED_DIRS = [
  "src/gen",
  "sdks/typescript/src/gen",
  "sdks/go/gen",
  "sdks/python/src/openesc/v1",
] as const;

/** What a finished command left behind. */
export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Command line, exit status and output, ready for an assertion message. */
  readonly report: string;
}

/** Options of `run`; `cwd` is relative to the repository root (default: the root). */
export interface RunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Milliseconds before the command is killed (default 120 000). */
  readonly timeoutMs?: number;
}

/** Runs `command args…` without a shell and returns its status and output; never throws. */
export function run(command: string, args: readonly string[], options: RunOptions = {}): RunResult {
  const result = spawnSync(command, args, {
    cwd: join(ROOT, options.cwd ?? "."),
    env: { ...process.env, ...options.env },
    encoding: "utf8",
    timeout: options.timeoutMs ?? 120_000,
    maxBuffer: 64 * 1024 * 1024,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stdout = result.stdout ?? "";
  const stderr = result.stderr ?? "";
  const why = result.error !== undefined ? `error: ${result.error.message}\n` : "";
  const report =
    `$ ${[command, ...args].join(" ")}  (in ${options.cwd ?? "."})\n` +
    `${why}exit status: ${result.status ?? `killed by ${result.signal ?? "?"}`}\n` +
    `--- stdout ---\n${stdout}--- stderr ---\n${stderr}`;
  return { status: result.error !== undefined ? null : result.status, stdout, stderr, report };
}

/** True when `name` is an executable on PATH. */
export function onPath(name: string): boolean {
  return spawnSync("sh", ["-c", `command -v "$0"`, name], { stdio: "ignore" }).status === 0;
}

/** The missing entries among repository-relative tool paths. */
export function missingFiles(paths: readonly string[]): string[] {
  return paths.filter((p) => !existsSync(join(ROOT, p)));
}

/** The test context's skip, as vitest passes it to a test function. */
export interface SkipContext {
  skip(note?: string): never;
}

/**
 * Called when a check's toolchain is missing: throws in CI (the check fails with `what` and `fix`),
 * otherwise prints a loud banner and skips the test.
 */
export function missingToolchain(ctx: SkipContext, what: string, fix: string): never {
  const message = `${what} — ${fix}`;
  if (IN_CI) throw new Error(`required in CI: ${message}`);
  const line = "*".repeat(72);
  console.warn(`\n${line}\n*** SKIPPED (not in CI): ${message}\n${line}\n`);
  return ctx.skip(message);
}

/** The pinned tools the contract checks rely on, as installed by scripts/setup-tools.sh and npm ci. */
export const SETUP_TOOLS_FIX = "run `bash scripts/setup-tools.sh` (and `npm ci`)";
