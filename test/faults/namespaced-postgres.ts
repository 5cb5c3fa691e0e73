/**
 * A PostgreSQL cluster of a fault test's own whose data directory lives on a small tmpfs in a private
 * mount namespace (`unshare`), so the test can fill the database's disk without touching the
 * machine's filesystems. The WAL stays on the normal disk (`initdb --waldir`): a full data disk makes
 * PostgreSQL refuse the writes that need space (53100 disk_full) while it keeps running, which is the
 * fault under test — a full WAL disk would stop the cluster instead (that is the restart fault).
 * Needs root (the server runs as the `postgres` OS user).
 */
import { execFileSync } from "node:child_process";
import { chownSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findPostgresBinDir, freePort, postgresUser } from "../support/postgres.js";

export interface NamespacedPostgres {
  /** The URL of the `postgres` database. */
  readonly url: string;
  /** A path on the cluster's data disk (through /proc/PID/root), for the test to fill or free it. */
  diskPath(name: string): string;
  /** Stops the cluster (immediate) and deletes its files. */
  destroy(): Promise<void>;
}

/** Undefined when this machine cannot (no PostgreSQL binaries, not root, no mount namespaces). */
export async function startPostgresOnTinyDisk(sizeMiB: number): Promise<NamespacedPostgres | undefined> {
  const bin = findPostgresBinDir();
  if (bin === undefined || process.getuid?.() !== 0) return undefined;
  const dir = mkdtempSync(join(tmpdir(), "openesc-ns-pg-"));
  const disk = join(dir, "disk");
  mkdirSync(disk);
  const owner = postgresUser();
  chownSync(dir, owner.uid, owner.gid);
  const port = await freePort();
  const asPostgres = (cmd: string, args: string) => `runuser -u postgres -- ${join(bin, cmd)} ${args}`;
  const script = [
    "set -e",
    `mount -t tmpfs -o size=${sizeMiB}m tmpfs "${disk}"`,
    `chown postgres:postgres "${disk}"`,
    asPostgres("initdb", `-D "${disk}/data" --waldir "${dir}/wal" -A trust -U postgres -E UTF8 --locale=C --no-sync >/dev/null`),
    asPostgres("pg_ctl", `-D "${disk}/data" -l "${dir}/server.log" -w -t 60 -o "-p ${port} -h 127.0.0.1 -k ${dir} -c fsync=off -c full_page_writes=off" start >/dev/null`),
    `head -n 1 "${disk}/data/postmaster.pid"`,
  ].join("\n");
  let pid: number;
  try {
    // The postmaster outlives the script and keeps the namespace (and its tmpfs) alive.
    pid = Number(execFileSync("unshare", ["--mount", "--propagation", "private", "sh", "-c", script], { encoding: "utf8", timeout: 90_000 }).trim());
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  let destroyed = false;
  const destroy = async (): Promise<void> => {
    if (destroyed) return;
    destroyed = true;
    try {
      process.kill(pid, "SIGQUIT"); // immediate shutdown
      for (let i = 0; i < 200 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", () => {
    if (!destroyed && alive(pid)) process.kill(pid, "SIGQUIT");
  });
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    diskPath: (name) => `/proc/${pid}/root${join(disk, name)}`,
    destroy,
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
