import { randomBytes } from "node:crypto";
import { closeSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CliError } from "./context.js";

/**
 * Writes `content` to a new private file (mode 0600, created exclusively) named `esc-<random>` in the
 * OS temp directory (esc-language.md §18.2) and returns its path.
 */
export function writePrivateTempFile(content: string, dir: string = tmpdir()): string {
  for (let attempt = 0; ; attempt++) {
    const path = join(dir, `esc-${randomBytes(6).toString("hex")}`);
    let fd: number;
    try {
      fd = openSync(path, "wx", 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST" && attempt < 100) continue;
      throw new CliError(`cannot write a temporary file for files: ${(e as Error).message}`);
    }
    try {
      writeSync(fd, content);
    } catch (e) {
      rmSync(path, { force: true });
      throw new CliError(`cannot write a temporary file for files: ${(e as Error).message}`);
    } finally {
      closeSync(fd);
    }
    return path;
  }
}

/** Temporary files that are removed together: when the command ends, and at the latest when the process exits. */
export interface TempFileSet {
  /** Writes one more file (see {@link writePrivateTempFile}) and returns its path. */
  write(content: string): string;
  /** The paths written so far. */
  readonly paths: readonly string[];
  /** Removes every file; safe to call more than once. */
  remove(): void;
}

/** A set of private temp files, removed by `remove()` or, failing that, on process exit. */
export function createTempFileSet(dir: string = tmpdir()): TempFileSet {
  const paths: string[] = [];
  const remove = (): void => {
    for (const p of paths.splice(0)) rmSync(p, { force: true });
    process.removeListener("exit", remove);
  };
  process.on("exit", remove);
  return {
    write(content) {
      const path = writePrivateTempFile(content, dir);
      paths.push(path);
      return path;
    },
    get paths() {
      return [...paths];
    },
    remove,
  };
}
