/**
 * A real `openesc serve` whose SQLite database lives on a filesystem of its own, mounted in a private
 * mount namespace (`unshare`), so a fault test can fill the disk or make it read-only without
 * touching the machine's filesystems. The data directory (master key, admin token, audit spool) stays
 * on the normal disk.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OPENESC_BIN } from "../support/server.js";

export interface NamespacedServer {
  readonly url: string;
  /** The bootstrap admin token (printed by a first start, else read from DATA_DIR/admin.token). */
  readonly token: string;
  readonly dataDir: string;
  /** A path inside the server's own filesystem (through /proc/PID/root), for the test to fill or free it. */
  diskPath(name: string): string;
  output(): string;
  /** Ends the process (SIGTERM by default) and waits; returns the exit code. Removes the directories unless keepData. */
  stop(options?: { signal?: NodeJS.Signals; keepData?: boolean }): Promise<number | null>;
}

/** True when this machine lets us create a mount namespace with a tmpfs in it. */
export function canMountTmpfs(): boolean {
  const dir = mkdtempSync(join(tmpdir(), "openesc-ns-probe-"));
  try {
    execFileSync("unshare", [...unshareArgs(), "sh", "-c", 'mount -t tmpfs -o size=64k tmpfs "$0"', dir], { stdio: "ignore", timeout: 10_000 });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Root only needs a mount namespace; anyone else also a user namespace mapping them to root. */
function unshareArgs(): string[] {
  return process.getuid?.() === 0 ? ["--mount", "--propagation", "private"] : ["--user", "--map-root-user", "--mount", "--propagation", "private"];
}

/** Starts the server with its SQLite database on a `sizeKiB` tmpfs. */
export async function startServerOnTinyDisk(sizeKiB: number, options: { args?: readonly string[] } = {}): Promise<NamespacedServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "openesc-ns-data-"));
  const mountPoint = mkdtempSync(join(tmpdir(), "openesc-ns-disk-"));
  return startInNamespace(`mount -t tmpfs -o size=${sizeKiB}k tmpfs "$0"`, mountPoint, dataDir, options.args ?? [], () => rmSync(mountPoint, { recursive: true, force: true }));
}

/**
 * Starts the server on an existing SQLite database in `dbDir` (on the normal disk), which the server
 * sees read-only (a read-only bind mount in its namespace), like a volume the kernel remounted
 * read-only after I/O errors. `dataDir` is reused (writable).
 */
export async function startServerOnReadOnlyDisk(dbDir: string, dataDir: string, options: { args?: readonly string[] } = {}): Promise<NamespacedServer> {
  return startInNamespace('mount --bind "$0" "$0" && mount -o remount,ro,bind "$0"', dbDir, dataDir, options.args ?? [], () => undefined);
}

async function startInNamespace(setup: string, mountPoint: string, dataDir: string, args: readonly string[], cleanup: () => void): Promise<NamespacedServer> {
  const serve = [OPENESC_BIN, "serve", "--listen", "127.0.0.1:0", "--data-dir", dataDir, "--database", `sqlite:${join(mountPoint, "openesc.db")}`, ...args];
  const child = spawn("unshare", [...unshareArgs(), "sh", "-c", `${setup} && exec "$@"`, mountPoint, process.execPath, ...serve], {
    env: { ...process.env, OPENESC_LOG_LEVEL: process.env.OPENESC_TEST_LOG_LEVEL ?? "info", OPENESC_PEER_RATE_LIMIT: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (s: string) => (output += s));
  child.stderr.setEncoding("utf8").on("data", (s: string) => (output += s));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 30 s:\n${output}`)), 30_000);
    const check = () => {
      const m = /openesc: listening on (https?:\/\/\S+)/.exec(output);
      if (m !== null) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    };
    child.stdout.on("data", check);
    child.stderr.on("data", check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });
  // The banner prints the bootstrap token once (the token file is in the data dir too).
  const tokenFile = join(dataDir, "admin.token");
  const token = /shown only this once[^\n]*:\n\n {2}(\S+)/.exec(output)?.[1] ?? (existsSync(tokenFile) ? readFileSync(tokenFile, "utf8").trim() : "");
  // unshare and sh exec the server: the child's pid is the server's, inside the namespace.
  const pid = child.pid as number;
  return {
    url,
    token,
    dataDir,
    diskPath: (name) => `/proc/${pid}/root${join(mountPoint, name)}`,
    output: () => output,
    async stop(options = {}) {
      if (child.exitCode === null && child.signalCode === null) child.kill(options.signal ?? "SIGTERM");
      const code = await exited;
      if (options.keepData !== true) {
        rmSync(dataDir, { recursive: true, force: true });
        cleanup();
      }
      return code;
    },
  };
}
