import { spawn } from "node:child_process";
import { constants } from "node:os";
import { finished } from "node:stream/promises";
import { CliError } from "./context.js";
import { secretFilterStream } from "./secret-filter.js";

/** What {@link runChild} runs and where its output goes. */
export interface ChildRun {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** Secret strings to replace by `[secret]` in the child's stdout and stderr; undefined: no filter (`-i`). */
  readonly secrets: readonly string[] | undefined;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Give the child this process's own stdout and stderr (a terminal stays a terminal) when not filtering. */
  readonly inheritOutput?: boolean;
  /** Signals forwarded to the child while it runs; default SIGINT, SIGTERM, SIGHUP. */
  readonly forward?: readonly NodeJS.Signals[];
}

/**
 * Runs a command directly (no shell) with stdin inherited, its output filtered line by line unless
 * `secrets` is undefined, and the signals this process receives forwarded to it (esc-language.md
 * §18.5). Resolves with its exit status: its code, or 128 + the number of the signal that ended it,
 * once all its output is written. A command that cannot be started is a CliError (exit 1).
 */
export async function runChild(run: ChildRun): Promise<number> {
  const filter = run.secrets !== undefined;
  const inherit = !filter && run.inheritOutput === true;
  const child = spawn(run.command, [...run.args], { env: run.env, stdio: ["inherit", inherit ? "inherit" : "pipe", inherit ? "inherit" : "pipe"] });
  const forwarding = (run.forward ?? ["SIGINT", "SIGTERM", "SIGHUP"]).map((signal) => {
    const handler = () => {
      child.kill(signal);
    };
    process.on(signal, handler);
    return () => process.removeListener(signal, handler);
  });
  const outputs: Promise<void>[] = [];
  const pipeTo = (from: NodeJS.ReadableStream | null, to: NodeJS.WritableStream) => {
    if (from === null) return;
    if (!filter) {
      from.pipe(to, { end: false });
      outputs.push(finished(from));
      return;
    }
    const through = secretFilterStream(run.secrets ?? []);
    from.pipe(through).pipe(to, { end: false });
    outputs.push(finished(through));
  };
  pipeTo(child.stdout, run.stdout);
  pipeTo(child.stderr, run.stderr);
  try {
    const status = await new Promise<number>((resolve, reject) => {
      child.once("error", (e: NodeJS.ErrnoException) => {
        reject(new CliError(`cannot run ${JSON.stringify(run.command)}: ${e.code === "ENOENT" ? "command not found" : e.message}`));
      });
      child.once("close", (code, signal) => {
        resolve(code ?? 128 + (signal !== null ? (constants.signals[signal] ?? 0) : 0));
      });
    });
    await Promise.all(outputs);
    return status;
  } finally {
    for (const stop of forwarding) stop();
  }
}
