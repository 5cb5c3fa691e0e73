import { existsSync, readFileSync, renameSync, writeFileSync, statSync } from "node:fs";
import { dirname, join, basename } from "node:path";
import { StackEditError } from "../../pulumi/index.js";
import { CliError } from "../context.js";

/** The stack file's text ("" when it does not exist yet). */
export function readStackText(path: string): string {
  return existsSync(path) ? readFileSync(path, "utf8") : "";
}

/** Replaces the stack file's content atomically (a same-directory temporary file renamed over it), keeping its mode. */
export function writeStackText(path: string, text: string): void {
  const mode = existsSync(path) ? statSync(path).mode & 0o777 : 0o644;
  const tmp = join(dirname(path), `.${basename(path)}.openesc-${process.pid}`);
  writeFileSync(tmp, text, { mode });
  renameSync(tmp, path);
}

/** An edit refusal as the CLI reports it, naming the file. */
export function editError(path: string, e: unknown): unknown {
  return e instanceof StackEditError ? new CliError(`${path}: ${e.message}`) : e;
}
