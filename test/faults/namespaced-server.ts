/**
 * A real `openesc serve` whose SQLite database lives on a tiny tmpfs of its own, mounted in a private
 * mount namespace (`unshare`), so a fault test can fill the disk without touching the machine's
 * filesystems. The data directory (master key, admin token) stays on the normal disk.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OPENESC_BIN } from "../support/server.js";

export interface NamespacedServer {
  readonly url: string;
  readonly token: string;
  output(): string;
  /** SIGTERM and wait; returns the exit code. Removes the directories. */
  stop(): Promise<number | null>;
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
export async function startServerOnTinyDisk(sizeKiB: number): Promise<NamespacedServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "openesc-ns-data-"));
  const mountPoint = mkdtempSync(join(tmpdir(), "openesc-ns-disk-"));
  const serve = [OPENESC_BIN, "serve", "--listen", "127.0.0.1:0", "--data-dir", dataDir, "--database", `sqlite:${join(mountPoint, "openesc.db")}`];
  const script = `mount -t tmpfs -o size=${sizeKiB}k tmpfs "$0" && exec "$@"`;
  const child = spawn("unshare", [...unshareArgs(), "sh", "-c", script, mountPoint, process.execPath, ...serve], {
    env: { ...process.env, OPENESC_LOG_LEVEL: process.env.OPENESC_TEST_LOG_LEVEL ?? "warn" },
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
  const token = /shown only this once[^\n]*:\n\n {2}(\S+)/.exec(output)?.[1] ?? "";
  return {
    url,
    token,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const code = await exited;
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(mountPoint, { recursive: true, force: true });
      return code;
    },
  };
}
