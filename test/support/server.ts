import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** The repository root and the real binary (built into dist/ by `npm run build`). */
export const REPO_ROOT = resolve(import.meta.dirname, "../..");
export const OPENESC_BIN = join(REPO_ROOT, "bin/openesc.js");

/** A real `openesc serve` process on a free loopback port with its own data directory. */
export interface TestServer {
  readonly url: string;
  /** The bootstrap admin token (read from DATA_DIR/admin.token); "" for a replica that did not bootstrap. */
  readonly token: string;
  readonly dataDir: string;
  readonly process: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** SIGTERM, then waits for exit; returns the exit code. Removes the data dir unless keepData. */
  stop(options?: { keepData?: boolean; signal?: NodeJS.Signals }): Promise<number | null>;
}

export interface TestServerOptions {
  /** A database URL; default SQLite in the data dir. */
  readonly database?: string;
  /** Reuse a data directory (restart tests). */
  readonly dataDir?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly args?: readonly string[];
}

/** Starts the server binary and waits until it logs that it listens (at most 30 s). */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "openesc-test-"));
  const args = [OPENESC_BIN, "serve", "--listen", "127.0.0.1:0", "--data-dir", dataDir, ...(options.args ?? [])];
  if (options.database !== undefined) args.push("--database", options.database);
  const child = spawn(process.execPath, args, {
    // Every test client shares 127.0.0.1: the per-address limit (50/s, failed authentications included)
    // would make suites that fail authentication on purpose depend on their speed. Limit tests set it.
    env: { ...process.env, OPENESC_LOG_LEVEL: process.env.OPENESC_TEST_LOG_LEVEL ?? "info", OPENESC_PEER_RATE_LIMIT: "0", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (s: string) => (output += s));
  child.stderr.setEncoding("utf8").on("data", (s: string) => (output += s));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));

  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 30 s:\n${output}`)), 30_000);
    const check = () => {
      const m = /openesc: listening on (https?:\/\/\S+)/.exec(output);
      if (m !== null) {
        clearTimeout(timer);
        resolveUrl(m[1] as string);
      }
    };
    child.stdout.on("data", check);
    child.stderr.on("data", check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });
  // A replica joining an existing database does not bootstrap: it has no admin.token of its own.
  const tokenFile = join(dataDir, "admin.token");
  const token = existsSync(tokenFile) ? readFileSync(tokenFile, "utf8").trim() : "";
  return {
    url,
    token,
    dataDir,
    process: child,
    output: () => output,
    async stop(stopOptions = {}) {
      if (child.exitCode === null && child.signalCode === null) child.kill(stopOptions.signal ?? "SIGTERM");
      const code = await exited;
      if (stopOptions.keepData !== true && options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}
