/**
 * Audit batches on a thread of their own, for a SQLite file. better-sqlite3 runs every statement on
 * the calling thread: under load the group-committed audit batches of reads (an INSERT into a table
 * with six indexes, the chain head's update, the commit) took ~20% of the event loop's time — time in
 * which no call was read, answered or parsed. The thread opens its own connections to the file and
 * runs the same audit repository (audit-thread-worker.ts); SQLite's write lock orders its transactions
 * with this process's other writers and other processes', exactly as between two processes.
 *
 * The thread starts on the first batch and is referenced only while a batch is in flight, so it never
 * keeps a process alive by itself. If it dies, the batches in flight fail (the calls answer Unavailable:
 * the audit log stays fail-closed) and the next batch starts a new one.
 */
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { AuditEventDraft } from "../audit/index.js";
import type { AuditThreadReply, AuditThreadRequest, AuditThreadError } from "./audit-thread-protocol.js";

export interface AuditThread {
  /** Appends the drafts to `chain` in one transaction of the thread's; rejects with the database's error. */
  appendBatch(chain: string, drafts: readonly AuditEventDraft[]): Promise<void>;
  /** Waits for the batches in flight, then closes the thread's connections. Idempotent. */
  close(): Promise<void>;
}

interface InFlight {
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

export interface AuditThreadOptions {
  /** The thread's script; tests replace it to see a thread die. Default audit-thread-worker. */
  readonly workerUrl?: URL;
}

/** The thread for the SQLite database at `url` (a file; `:memory:` cannot be shared with a thread). */
export function createAuditThread(url: string, options: AuditThreadOptions = {}): AuditThread {
  let worker: Worker | undefined;
  let nextId = 1;
  const inFlight = new Map<number, InFlight>();
  let idle: (() => void) | undefined;
  let closing: Promise<void> | undefined;

  function settled(): void {
    if (inFlight.size > 0) return;
    worker?.unref();
    idle?.();
  }

  function failAll(err: Error): void {
    for (const pending of inFlight.values()) pending.reject(err);
    inFlight.clear();
    settled();
  }

  function start(): Worker {
    const started = startWorker(options.workerUrl, { url });
    started.on("message", (reply: AuditThreadReply) => {
      const pending = inFlight.get(reply.id);
      if (pending === undefined) return;
      inFlight.delete(reply.id);
      if (reply.error === undefined) pending.resolve();
      else pending.reject(toError(reply.error));
      settled();
    });
    started.on("error", (err) => failAll(new Error(`the audit thread failed: ${err.message}`)));
    started.on("exit", (code) => {
      if (worker === started) worker = undefined;
      failAll(new Error(`the audit thread stopped (exit code ${code})`));
    });
    return started;
  }

  return {
    appendBatch(chain, drafts) {
      if (closing !== undefined) return Promise.reject(new Error("the store is closed"));
      worker ??= start();
      worker.ref();
      const id = nextId++;
      const request: AuditThreadRequest = { type: "append", id, chain, drafts };
      return new Promise<void>((resolve, reject) => {
        inFlight.set(id, { resolve, reject });
        (worker as Worker).postMessage(request);
      });
    },

    close() {
      closing ??= (async () => {
        if (inFlight.size > 0) await new Promise<void>((resolve) => (idle = resolve));
        const running = worker;
        if (running === undefined) return;
        running.ref();
        const exited = new Promise<void>((resolve) => running.once("exit", () => resolve()));
        running.postMessage({ type: "close" } satisfies AuditThreadRequest);
        await exited;
      })();
      return closing;
    },
  };
}

/** The database's error as the thread saw it: its name, message and driver code (SQLITE_READONLY, …). */
function toError(described: AuditThreadError): Error {
  const err = new Error(described.message) as Error & { code?: string };
  err.name = described.name;
  if (described.code !== undefined) err.code = described.code;
  return err;
}

// From dist the thread runs the compiled worker. From the sources (vitest) a small CommonJS entry
// registers tsx's loader in the thread first, then imports the TypeScript worker.
const FROM_SOURCES = import.meta.url.endsWith(".ts");

function startWorker(script: URL | undefined, workerData: unknown): Worker {
  if (script !== undefined || !FROM_SOURCES) return new Worker(script ?? new URL("./audit-thread-worker.js", import.meta.url), { workerData });
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api")).href;
  const worker = new URL("./audit-thread-worker.ts", import.meta.url).href;
  const entry = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(worker)}); })`;
  return new Worker(entry, { eval: true, workerData });
}
