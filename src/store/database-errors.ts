/**
 * Recognises the database failures a client should see as a clean code instead of `Internal`: the
 * database unreachable or restarting, read-only, or out of space. Only driver error codes and the
 * pg driver's fixed connection messages are read; the original error's message (which may quote SQL
 * parameters) never reaches the client.
 */
import { Code, ConnectError } from "@connectrpc/connect";

/** Socket-level failures while connecting to or talking with PostgreSQL. */
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);
/**
 * PostgreSQL SQLSTATEs meaning "not now": connection exceptions (class 08), the server shutting down
 * or starting up (57P01–57P03), too many connections (53300).
 */
const PG_UNAVAILABLE = /^(08\d{3}|57P0[1-3]|53300)$/;
/** Messages the pg driver uses when a connection dies under it (these errors carry no code). */
const PG_CONNECTION_LOST = /^(Connection terminated( unexpectedly| due to connection timeout)?|Client has encountered a connection error and is not queryable|timeout exceeded when trying to connect)$/;

/**
 * The ConnectError for a database failure, or undefined when `err` is not one. Looks through
 * `cause` chains (a few levels) because layers above the store may wrap the driver's error.
 */
export function databaseFailure(err: unknown): ConnectError | undefined {
  for (let e = err, depth = 0; typeof e === "object" && e !== null && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const found = classify(e);
    if (found !== undefined) return new ConnectError(found.message, found.code, undefined, undefined, err);
  }
  return undefined;
}

function classify(e: object): { code: Code; message: string } | undefined {
  const code = "code" in e && typeof e.code === "string" ? e.code : undefined;
  const message = e instanceof Error ? e.message : "";
  if (code === "25006" || code === "SQLITE_READONLY" || code?.startsWith("SQLITE_READONLY_") === true) {
    return { code: Code.Unavailable, message: "the database is read-only: writes are refused" };
  }
  if (code === "53100" || code === "SQLITE_FULL") {
    return { code: Code.ResourceExhausted, message: "the database is out of space: writes are refused" };
  }
  if (code === "40001" || code === "40P01") {
    return { code: Code.Aborted, message: "a concurrent change conflicted with this one: retry" };
  }
  if (code === "SQLITE_BUSY" || code?.startsWith("SQLITE_BUSY_") === true) {
    return { code: Code.Unavailable, message: "the database is busy: retry" };
  }
  if ((code !== undefined && (NETWORK_CODES.has(code) || PG_UNAVAILABLE.test(code))) || PG_CONNECTION_LOST.test(message)) {
    return { code: Code.Unavailable, message: "the database is unavailable: retry" };
  }
  if (e instanceof AggregateError && e.errors.some((x: unknown) => typeof x === "object" && x !== null && classify(x) !== undefined)) {
    return { code: Code.Unavailable, message: "the database is unavailable: retry" };
  }
  return undefined;
}
