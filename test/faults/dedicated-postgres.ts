/**
 * A PostgreSQL cluster of a fault test's own (not the shared test server): the test stops and
 * starts it to simulate a database restart. Same recipe as test/support/postgres.ts (trust auth on
 * 127.0.0.1, a free port, a temp dir; as root the server runs as the `postgres` OS user).
 */
import { execFileSync } from "node:child_process";
import { chownSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findPostgresBinDir, freePort, postgresUser } from "../support/postgres.js";

export interface DedicatedPostgres {
  /** The URL of the `postgres` database (the cluster keeps its port across restarts). */
  readonly url: string;
  /** `pg_ctl stop -m fast`: disconnects every client, like a database restart or failover. */
  stop(): void;
  start(): void;
  /** Stops the cluster (immediate) and deletes its files. */
  destroy(): void;
}

/** Undefined when no PostgreSQL binaries are installed. */
export async function startDedicatedPostgres(): Promise<DedicatedPostgres | undefined> {
  const bin = findPostgresBinDir();
  if (bin === undefined) return undefined;
  const dir = mkdtempSync(join(tmpdir(), "openesc-fault-pg-"));
  const owner = process.getuid?.() === 0 ? postgresUser() : undefined;
  if (owner !== undefined) chownSync(dir, owner.uid, owner.gid);
  const run = (cmd: string, args: string[]): void => {
    const [file, argv] = owner === undefined ? [cmd, args] : ["runuser", ["-u", "postgres", "--", cmd, ...args]];
    execFileSync(file, argv, { stdio: ["ignore", "pipe", "pipe"], cwd: dir, timeout: 60_000 });
  };
  const data = join(dir, "data");
  const port = await freePort();
  run(join(bin, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"]);
  const options = `-p ${port} -h 127.0.0.1 -k ${dir} -c fsync=off -c full_page_writes=off -c max_connections=100`;
  const start = (): void => run(join(bin, "pg_ctl"), ["-D", data, "-l", join(dir, "server.log"), "-w", "-t", "60", "-o", options, "start"]);
  start();
  let destroyed = false;
  const destroy = (): void => {
    if (destroyed) return;
    destroyed = true;
    try {
      run(join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
    } catch {
      // already stopped
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  process.once("exit", destroy);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => run(join(bin, "pg_ctl"), ["-D", data, "-m", "fast", "-w", "stop"]),
    start,
    destroy,
  };
}
