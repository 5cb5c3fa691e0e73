/**
 * The spools of workers that are gone. `serve --workers N` gives worker k > 1 the spool `DIR/worker-k`
 * (cluster-worker.ts); restarted with fewer workers, or without `--workers`, no process would own
 * `worker-k` for k > N again and its events would never reach the audit log. The process that owns
 * DIR (a single server, or worker 1) opens each such spool whose lock is free and drains it with the
 * spool's own drain — crash-safe, each event into its chain once — then lets it go once it is empty.
 * A spool whose lock a live process holds (a replica of the old count still shutting down) is left
 * to that process.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "pino";
import { openAuditSpool, type AuditSpool } from "./audit-spool.js";
import type { DrainTarget } from "./spool-drain.js";

export interface StrandedSpools {
  /** Drains them now, as far as the database lets it; the number of events moved. Never rejects. */
  drain(): Promise<number>;
  /** Events still waiting in them. */
  count(): number;
  /** Stops draining them (a drain in progress finishes first) and releases their locks. */
  close(): Promise<void>;
}

export interface StrandedSpoolsOptions {
  /** The spool directory of this process: the stranded ones are its `worker-k` subdirectories. */
  readonly dir: string;
  /** Workers now serving (1 for a single server): `worker-k` with k above it is stranded. */
  readonly workers: number;
  readonly maxBytes: number;
  readonly target: DrainTarget;
  readonly logger: Logger;
  /** How often a spool still holding events is drained and checked. Default 2000 ms. */
  readonly drainIntervalMs?: number;
}

const WORKER_DIR = /^worker-(\d+)$/;

/** The worker numbers above `workers` that have a spool directory in `dir`, in order. */
export function strandedWorkerDirs(dir: string, workers: number): string[] {
  let names: string[];
  try {
    names = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch {
    return [];
  }
  return names
    .map((name) => ({ name, k: Number(WORKER_DIR.exec(name)?.[1] ?? 0) }))
    .filter((d) => d.k > workers)
    .sort((a, b) => a.k - b.k)
    .map((d) => join(dir, d.name));
}

/** Opens and drains the stranded spools in `options.dir` (in the background). */
export async function openStrandedSpools(options: StrandedSpoolsOptions): Promise<StrandedSpools> {
  const { logger } = options;
  const intervalMs = options.drainIntervalMs ?? 2000;
  const open = new Map<string, AuditSpool>();
  const letGo: Promise<void>[] = [];
  for (const dir of strandedWorkerDirs(options.dir, options.workers)) {
    let spool: AuditSpool;
    try {
      // Drains what it holds at once, and every interval while events wait (audit-spool.ts).
      spool = await openAuditSpool({ dir, maxBytes: options.maxBytes, target: options.target, logger, drainIntervalMs: intervalMs });
    } catch (err) {
      logger.warn({ err: String(err), dir }, "audit spool of a worker that is gone: not drained here");
      continue;
    }
    if (spool.count() === 0) await spool.close();
    else open.set(dir, spool);
  }
  // Lets go of each once it is empty: its directory is then free for a worker of a larger count.
  const timer =
    open.size === 0
      ? undefined
      : setInterval(() => {
          for (const [dir, spool] of open) {
            if (spool.count() > 0) continue;
            open.delete(dir);
            letGo.push(spool.close());
          }
          if (open.size === 0) clearInterval(timer);
        }, Math.max(intervalMs, 100));
  timer?.unref();
  return {
    async drain() {
      const moved = await Promise.all([...open.values()].map((s) => s.drain()));
      return moved.reduce((sum, n) => sum + n, 0);
    },
    count: () => [...open.values()].reduce((sum, s) => sum + s.count(), 0),
    async close() {
      if (timer !== undefined) clearInterval(timer);
      await Promise.all([...open.values()].map((s) => s.close()).concat(letGo));
      open.clear();
    },
  };
}
