/**
 * The audit thread's body (see audit-thread.ts): its own connections to the SQLite file, and the same
 * audit repository the event loop would run, one batch per message. Batches of different chains may
 * overlap here; the driver gives the writer connection to one transaction at a time.
 */
import { parentPort, workerData } from "node:worker_threads";
import { Kysely } from "kysely";
import { createAuditRepository } from "./audit-repository.js";
import type { AuditThreadError, AuditThreadReply, AuditThreadRequest } from "./audit-thread-protocol.js";
import type { Database } from "./database.js";
import { createStoreDialect } from "./dialect.js";

const port = parentPort;
if (port === null) throw new Error("audit-thread-worker runs as a worker thread");
const { url } = workerData as { url: string };
const dialect = createStoreDialect(url);
const db = new Kysely<Database>({ dialect: dialect.dialect });
const audit = createAuditRepository(db, dialect.capabilities);

port.on("message", (request: AuditThreadRequest) => {
  if (request.type === "close") {
    void db.destroy().finally(() => port.close());
    return;
  }
  const { id } = request;
  audit.appendBatch(request.chain, request.drafts).then(
    () => port.postMessage({ id } satisfies AuditThreadReply),
    (err: unknown) => port.postMessage({ id, error: describe(err) } satisfies AuditThreadReply),
  );
});

function describe(err: unknown): AuditThreadError {
  if (!(err instanceof Error)) return { name: "Error", message: String(err) };
  const code = (err as { code?: unknown }).code;
  return { name: err.name, message: err.message, ...(typeof code === "string" ? { code } : {}) };
}
