/**
 * The spool's file: one JSON line per entry, appended and fsync'd before the caller is answered,
 * bounded in size, and shortened from the front once entries have been moved elsewhere. Appends of
 * concurrent callers share one write and one fsync (group commit). The file is 0600 in a 0700
 * directory: the lines are audit events (names and paths, never values), still nobody else's business.
 *
 * Crash safety: a line is only ever acknowledged after its fsync, so a torn last line (a crash during
 * the write) belongs to a call that was never answered and is cut off on open. Shortening writes the
 * rest to a new file, fsyncs it and renames it over the old one: a crash leaves the old or the new
 * file, never a mix.
 */
import { closeSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, rmSync, statSync, type PathLike } from "node:fs";
import { open, readFile, rename, type FileHandle } from "node:fs/promises";
import { join } from "node:path";

export interface SpoolFile {
  /** Appends the lines (each without its newline), durably. Rejects with SpoolFullError past the bound. */
  append(lines: readonly string[]): Promise<void>;
  /**
   * Complete lines from byte `from` on, about `maxBytes` of them (at least one line when there is
   * one), in order, with the byte length of each (newline included). Empty at the end.
   */
  read(from: number, maxBytes: number): Promise<{ readonly line: string; readonly bytes: number }[]>;
  /** Removes the first `bytes` bytes (which must end on a line boundary) holding `lines` lines. */
  dropPrefix(bytes: number, lines: number): Promise<void>;
  /** Lines in the file. */
  count(): number;
  close(): Promise<void>;
}

/** The spool has no room left (its bound, or the disk under it). */
export class SpoolFullError extends Error {
  override readonly name = "SpoolFullError";
}

export const SPOOL_FILE_NAME = "audit-spool.ndjson";

/** Opens (creating) the spool file in `dir`; `maxBytes` bounds the file's size. */
export async function openSpoolFile(dir: string, maxBytes: number): Promise<SpoolFile> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, SPOOL_FILE_NAME);
  const tmp = `${path}.tmp`;
  rmSync(tmp, { force: true }); // a shortening interrupted before its rename
  cutTornTail(path);
  let handle: FileHandle = await open(path, "a+", 0o600);
  let size = (await handle.stat()).size;
  let lines = size === 0 ? 0 : countLines(await readFile(path));
  let exclusive: Promise<unknown> = Promise.resolve();
  let queue: { text: string; resolve: () => void; reject: (e: unknown) => void }[] = [];
  let flushing = false;

  /** Runs `fn` after everything queued before it, alone. */
  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const result = exclusive.then(fn);
    exclusive = result.catch(() => undefined);
    return result;
  }

  async function flush(): Promise<void> {
    flushing = true;
    try {
      while (queue.length > 0) {
        const batch = queue;
        queue = [];
        await serial(async () => {
          const text = batch.map((p) => p.text).join("");
          const bytes = Buffer.byteLength(text);
          if (size + bytes > maxBytes) throw new SpoolFullError(`the audit spool is full (${size} of ${maxBytes} bytes)`);
          try {
            await handle.write(text);
            await handle.sync();
          } catch (e) {
            // Out of space half-way: cut what was written so the file stays whole lines.
            await handle.truncate(size).catch(() => undefined);
            throw e instanceof Error && "code" in e && e.code === "ENOSPC" ? new SpoolFullError("the disk under the audit spool is full", { cause: e }) : e;
          }
          size += bytes;
          lines += batch.length;
        }).then(
          () => batch.forEach((p) => p.resolve()),
          (e: unknown) => batch.forEach((p) => p.reject(e)),
        );
      }
    } finally {
      flushing = false;
    }
  }

  return {
    append(entries) {
      if (entries.length === 0) return Promise.resolve();
      const text = entries.map((l) => `${l}\n`).join("");
      return new Promise<void>((resolve, reject) => {
        queue.push({ text, resolve, reject });
        if (!flushing) void flush();
      });
    },

    read(from, maxBytes) {
      return serial(async () => {
        // Positioned reads: a drain walks a large spool once instead of reading it whole per batch.
        for (let want = Math.max(1, maxBytes); ; want *= 2) {
          const length = Math.max(0, Math.min(want, size - from));
          const buffer = Buffer.alloc(length);
          const { bytesRead } = length === 0 ? { bytesRead: 0 } : await handle.read(buffer, 0, length, from);
          const chunk = buffer.subarray(0, bytesRead);
          const last = chunk.lastIndexOf(0x0a);
          if (last < 0 && from + bytesRead < size) continue; // one line longer than `want`
          const out: { line: string; bytes: number }[] = [];
          for (let start = 0, end = chunk.indexOf(0x0a); end >= 0 && end <= last; start = end + 1, end = chunk.indexOf(0x0a, start)) {
            out.push({ line: chunk.toString("utf8", start, end), bytes: end - start + 1 });
          }
          return out;
        }
      });
    },

    dropPrefix(bytes, dropped) {
      return serial(async () => {
        if (bytes <= 0) return;
        if (bytes === size) {
          // Everything was drained (the usual case): emptying in place needs no free space.
          await handle.truncate(0);
          await handle.sync();
          size = 0;
          lines = 0;
          return;
        }
        const content = await readFile(path);
        if (bytes > content.length || content[bytes - 1] !== 0x0a) throw new Error("audit spool: a prefix to drop must end on a line boundary");
        const rest = content.subarray(bytes);
        const out = await open(tmp, "w", 0o600);
        try {
          await out.write(rest);
          await out.sync();
        } finally {
          await out.close();
        }
        await rename(tmp, path);
        syncDirectory(dir);
        await handle.close();
        handle = await open(path, "a+", 0o600);
        size = rest.length;
        lines = Math.max(0, lines - dropped);
      });
    },

    count: () => lines,

    close() {
      return serial(() => handle.close());
    },
  };
}

/** A last line without its newline was being written when the process died: never acknowledged. */
function cutTornTail(path: string): void {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return;
  }
  if (size === 0) return;
  const content = readFileSync(path);
  if (content[size - 1] === 0x0a) return;
  const keep = content.lastIndexOf(0x0a) + 1;
  const fd = openSync(path, "r+");
  try {
    ftruncateSync(fd, keep);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function countLines(content: Buffer): number {
  let n = 0;
  for (let i = content.indexOf(0x0a); i >= 0; i = content.indexOf(0x0a, i + 1)) n++;
  return n;
}

/** Makes a rename in `dir` durable. */
function syncDirectory(dir: PathLike): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
