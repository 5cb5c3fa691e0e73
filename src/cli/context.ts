import type { CliClient, ConnectionFlags } from "./client.js";

/** What every command receives: injected streams and environment, so tests can drive main(). */
export interface CliContext {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  readonly env: NodeJS.ProcessEnv;
  /** Whether stdout is a terminal (human tables) or not. */
  readonly isTTY: boolean;
  /** Whether stderr is a terminal: progress of long operations is shown only then. Default false. */
  readonly stderrIsTTY?: boolean;
  /**
   * The client factory; default: from flags, `OPENESC_*` variables and the credentials file
   * (`createCliClient`). Tests pass clients over an in-process transport.
   */
  readonly clients?: (flags: ConnectionFlags) => CliClient;
}

/** The process's own streams and environment. */
export function processContext(): CliContext {
  // `openesc … | head`: a reader that goes away is not an error of ours; stop quietly
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.listenerCount("error") === 0) stream.on("error", (e: NodeJS.ErrnoException) => (e.code === "EPIPE" ? process.exit(process.exitCode ?? 0) : undefined));
  }
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    isTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
  };
}

/**
 * A failed operation (exit 1) or bad usage (exit 2), printed as one `error: …` line. `details`
 * are printed before it, one per line (diagnostics such as `ENV:LINE:COLUMN: error: …`).
 */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
    readonly details: readonly string[] = [],
  ) {
    super(message);
  }
}

/** A usage error (exit 2). */
export function usageError(message: string): CliError {
  return new CliError(message, 2);
}
