/**
 * The audit spool: where the events of calls that changed nothing (reads, denials, failed calls) go
 * while the database refuses writes (read-only, out of space), so that reads keep being answered
 * without losing an event. Each event is on the local disk, fsync'd, before its call is answered; a
 * background drain (at start-up and every few seconds) moves the events into their chains, in spool
 * order and with their original time, once the database accepts writes again, and removes them from
 * the spool only after that commit. When the spool cannot take an event (its bound, its disk), the
 * caller fails closed as before.
 */
import { mkdirSync } from "node:fs";
import { appendFile } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "pino";
import type { AuditEventDraft } from "../../audit/index.js";
import { databaseFailure } from "../../store/database-errors.js";
import type { DrainTarget } from "./spool-drain.js";
import { openSpoolFile } from "./spool-file.js";
import { lockSpoolDirectory } from "./spool-lock.js";
import { writeRefusalOf, type WriteRefusal } from "./write-refusal.js";

export interface AuditSpool {
  /** Keeps the draft durably (fsync'd) for the drain; rejects when the spool cannot take it. */
  keep(draft: AuditEventDraft, reason: WriteRefusal): Promise<void>;
  /** Moves the spooled events into the audit log as far as the database lets it; the number moved. Never rejects. */
  drain(): Promise<number>;
  /** Events waiting in the spool. */
  count(): number;
  /** Stops the drain timer and closes the file (a drain in progress finishes first). */
  close(): Promise<void>;
}

export interface AuditSpoolOptions {
  /** The spool's directory (created 0700). */
  readonly dir: string;
  /** The spool file's bound in bytes; past it events are refused. */
  readonly maxBytes: number;
  readonly target: DrainTarget;
  readonly logger: Logger;
  /** How often the drain runs while events wait. Default 2000 ms; 0 = only when `drain()` is called. */
  readonly drainIntervalMs?: number;
  /** Events per drain transaction. Default 200. */
  readonly batchSize?: number;
}

export const REJECTED_FILE_NAME = "audit-spool.rejected.ndjson";
/** How much of the spool one drain step reads (a batch is far smaller: events are < 2 KB). */
const READ_BYTES = 1 << 20;

/** Opens the spool in `options.dir`; drains what an earlier process left there in the background. */
export async function openAuditSpool(options: AuditSpoolOptions): Promise<AuditSpool> {
  const { logger, target } = options;
  const batchSize = options.batchSize ?? 200;
  const intervalMs = options.drainIntervalMs ?? 2000;
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  const lock = lockSpoolDirectory(options.dir);
  const file = await openSpoolFile(options.dir, options.maxBytes).catch((e: unknown) => {
    lock.release();
    throw e;
  });
  let draining: Promise<number> | undefined;
  let announced = false;

  async function drainOnce(): Promise<number> {
    let bytes = 0;
    let lines = 0;
    let moved = 0;
    try {
      for (let chunk = await file.read(0, READ_BYTES); chunk.length > 0; chunk = await file.read(bytes, READ_BYTES)) {
        for (let i = 0; i < chunk.length; i += batchSize) {
          const batch = chunk.slice(i, i + batchSize);
          const drafts: AuditEventDraft[] = [];
          const broken: string[] = [];
          for (const entry of batch) {
            const draft = parseDraft(entry.line);
            if (draft === undefined) broken.push(entry.line);
            else drafts.push(draft);
          }
          moved += await target.commit(drafts);
          if (broken.length > 0) await setAside(broken);
          for (const entry of batch) bytes += entry.bytes;
          lines += batch.length;
        }
      }
    } catch (e) {
      // Still refused (or unreachable): the next round tries again; the spool keeps everything not committed.
      const refusal = writeRefusalOf(e);
      if (refusal !== undefined) logger.debug({ reason: refusal, waiting: file.count() - lines }, "audit spool: the database still refuses writes");
      // the database unreachable or busy: the pipeline's own calls report that; no warning every round
      else if (databaseFailure(e) !== undefined) logger.debug({ err: errorFields(e), waiting: file.count() - lines }, "audit spool: the database is unavailable; will retry");
      else logger.warn({ err: errorFields(e), waiting: file.count() - lines }, "audit spool: draining failed; will retry");
    }
    await file.dropPrefix(bytes, lines);
    if (lines > 0 && file.count() === 0) {
      announced = false;
      logger.info({ events: lines }, "audit spool drained: the spooled audit events are in the audit log");
    }
    return moved;
  }

  async function setAside(lines: readonly string[]): Promise<void> {
    // Unreadable lines (a disk fault) cannot be chained; they are kept beside the spool, not dropped.
    await appendFile(join(options.dir, REJECTED_FILE_NAME), lines.map((l) => `${l}\n`).join(""), { mode: 0o600 });
    logger.error({ lines: lines.length, file: join(options.dir, REJECTED_FILE_NAME) }, "audit spool: unreadable lines set aside");
  }

  const spool: AuditSpool = {
    async keep(draft, reason) {
      await file.append([JSON.stringify(draft)]);
      if (!announced) {
        announced = true;
        logger.warn({ reason, dir: options.dir }, "the database refuses writes: audit events of calls that change nothing are spooled to local disk until it accepts them again");
      }
    },

    drain() {
      draining ??= drainOnce()
        .catch((e: unknown) => {
          logger.warn({ err: errorFields(e) }, "audit spool: draining failed; will retry");
          return 0;
        })
        .finally(() => (draining = undefined));
      return draining;
    },

    count: () => file.count(),

    async close() {
      if (timer !== undefined) clearInterval(timer);
      await draining;
      await file.close();
      lock.release();
    },
  };

  const timer =
    intervalMs > 0
      ? setInterval(() => {
          if (file.count() > 0) void spool.drain();
        }, intervalMs)
      : undefined;
  timer?.unref();
  if (file.count() > 0) {
    logger.warn({ events: file.count(), dir: options.dir }, "audit spool: events from an earlier run are waiting; draining");
    void spool.drain();
  }
  return spool;
}

function errorFields(e: unknown): { name: string; message: string; code?: string } | string {
  if (!(e instanceof Error)) return String(e);
  const code = "code" in e && typeof e.code === "string" ? e.code : undefined;
  return { name: e.name, message: e.message, ...(code === undefined ? {} : { code }) };
}

const STRING_FIELDS = ["chain", "actor", "actorId", "tokenId", "source", "userAgent", "action", "org", "project", "environment", "outcome", "requestId"] as const;

/** A spooled line back to its draft; undefined when it is not one. */
function parseDraft(line: string): AuditEventDraft | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (!STRING_FIELDS.every((f) => typeof v[f] === "string")) return undefined;
  if (typeof v.time !== "number" || !(v.revision === null || typeof v.revision === "number") || !Array.isArray(v.providerCalls)) return undefined;
  return v as unknown as AuditEventDraft;
}
