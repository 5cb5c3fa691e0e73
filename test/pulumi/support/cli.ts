import { spawn, type ChildProcess } from "node:child_process";
import { delimiter, join } from "node:path";
import { OPENESC_BIN } from "../../support/server.js";

/** The folder holding the stand-in `pulumi` (support/bin/pulumi). */
export const STANDIN_DIR = join(import.meta.dirname, "bin");

/** What a finished `openesc` run printed and its exit status. */
export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment of an `openesc` run: the stand-in first on PATH, no credentials file, plus `env`. */
export function cliEnv(env: Readonly<Record<string, string>>, home: string): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env, PATH: `${STANDIN_DIR}${delimiter}${process.env.PATH ?? ""}`, OPENESC_HOME: home };
  for (const name of ["PULUMI_CONFIG_PASSPHRASE", "PULUMI_CONFIG_PASSPHRASE_FILE", "OPENESC_URL", "OPENESC_TOKEN"]) delete base[name];
  return { ...base, ...env };
}

/** Starts the real binary. */
export function startCli(args: readonly string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [OPENESC_BIN, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
}

/** Runs the real binary to its end. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  return finish(startCli(args, env));
}

/** Collects a started run's output and status. */
export function finish(child: ChildProcess): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (s: string) => (stdout += s));
  child.stderr?.setEncoding("utf8").on("data", (s: string) => (stderr += s));
  return new Promise((resolve) => child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
}
