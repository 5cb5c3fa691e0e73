/** What the fault tests expect of a call, and how they fill a disk. */
import { closeSync, openSync, writeSync } from "node:fs";
import { Code, ConnectError } from "@connectrpc/connect";

/** A write refused because the database's disk is full. */
export const FULL = { code: Code.ResourceExhausted, message: "the database is out of space: writes are refused" } as const;
/** A write refused because the database is read-only. */
export const READ_ONLY = { code: Code.Unavailable, message: "the database is read-only: writes are refused" } as const;

/** "ok", or the code and message the call failed with. */
export async function failure(p: Promise<unknown>): Promise<{ code: Code; message: string } | "ok"> {
  try {
    await p;
    return "ok";
  } catch (e) {
    const ce = ConnectError.from(e);
    return { code: ce.code, message: ce.rawMessage };
  }
}

/** Takes every byte left on the disk holding `path`, so that no write of the database fits any more. */
export function fill(path: string): void {
  const fd = openSync(path, "w");
  const chunk = Buffer.alloc(4096, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOSPC") throw e;
  } finally {
    closeSync(fd);
  }
}
