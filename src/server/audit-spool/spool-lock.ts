/**
 * One process per spool directory: two replicas sharing a data directory would shorten each other's
 * spool under them. The lock file names the holder's host and pid; a lock left by a process that
 * died on this host (`kill -9`, a crash) is taken over. A holder on another host cannot be checked:
 * its lock is taken over too (the documented rule is one spool directory per replica; this catches
 * the common mistake of two processes on one machine).
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";

export const LOCK_FILE_NAME = "audit-spool.lock";

export interface SpoolLock {
  release(): void;
}

/** Takes the directory's lock; throws when a live process on this host holds it. */
export function lockSpoolDirectory(dir: string): SpoolLock {
  const path = join(dir, LOCK_FILE_NAME);
  const me = { host: hostname(), pid: process.pid };
  const text = `${JSON.stringify(me)}\n`;
  try {
    writeFileSync(path, text, { mode: 0o600, flag: "wx" });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    const holder = readHolder(path);
    if (holder !== undefined && holder.host === me.host && holder.pid !== me.pid && isAlive(holder.pid)) {
      throw new Error(`the audit spool in ${dir} is in use by process ${holder.pid}: give each server a spool directory of its own (--audit-spool-dir)`);
    }
    writeFileSync(path, text, { mode: 0o600 });
  }
  return {
    release() {
      if (readHolder(path)?.pid === me.pid) rmSync(path, { force: true });
    },
  };
}

function readHolder(path: string): { host: string; pid: number } | undefined {
  try {
    const value = JSON.parse(readFileSync(path, "utf8")) as { host?: unknown; pid?: unknown };
    return typeof value.host === "string" && typeof value.pid === "number" ? { host: value.host, pid: value.pid } : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, owned by someone else
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
