/**
 * Which database failures mean "the database answers but refuses writes" — read-only, or out of
 * space (the same driver codes src/store/database-errors.ts maps to clean codes). Only these let an
 * audit event go to the spool: reads still work then, so the call can be answered. Any other failure
 * (a lost connection, a bug) keeps the audit log fail-closed.
 */
export type WriteRefusal = "read-only" | "out-of-space";

export function writeRefusalOf(err: unknown): WriteRefusal | undefined {
  for (let e = err, depth = 0; typeof e === "object" && e !== null && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = "code" in e && typeof e.code === "string" ? e.code : undefined;
    if (code === undefined) continue;
    if (code === "25006" || code === "SQLITE_READONLY" || code.startsWith("SQLITE_READONLY_")) return "read-only";
    if (code === "53100" || code === "SQLITE_FULL") return "out-of-space";
  }
  return undefined;
}
