import { toJson, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import type { CliContext } from "./context.js";
import { usageError } from "./context.js";

/** How a command prints structured data: a table or readable text, or JSON (`--output json`). */
export type OutputFormat = "table" | "json";

/** Validates `--output`; anything but `table` and `json` is a usage error. */
export function outputFormat(flags: { readonly output?: string }): OutputFormat {
  const value = flags.output ?? "table";
  if (value !== "table" && value !== "json") throw usageError(`invalid --output "${value}": expected table or json`);
  return value;
}

/** Prints a value as indented JSON. */
export function writeJson(ctx: CliContext, value: unknown): void {
  ctx.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A message in its canonical proto JSON form, every field present. */
export function messageJson<Desc extends DescMessage>(schema: Desc, message: MessageShape<Desc>): unknown {
  return toJson(schema, message, { alwaysEmitImplicit: true });
}

/** Prints a message as {@link messageJson}; nothing when the server sent none. */
export function writeMessage<Desc extends DescMessage>(ctx: CliContext, schema: Desc, message: MessageShape<Desc> | undefined): void {
  if (message !== undefined) writeJson(ctx, messageJson(schema, message));
}

/** Columns padded to their widest cell, two spaces apart; headers as given. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(headers), ...rows.map(line)].map((l) => `${l}\n`).join("");
}

/** Prints a table. */
export function writeTable(ctx: CliContext, headers: readonly string[], rows: readonly (readonly string[])[]): void {
  ctx.stdout.write(formatTable(headers, rows));
}

/** `2026-01-02T03:04:05Z`, or "" when unset. */
export function formatTime(ts: Timestamp | undefined): string {
  if (ts === undefined) return "";
  return timestampDate(ts).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Collects every page of a paged listing (bounded, in case a server never ends its pages). */
export async function allPages<T>(fetch: (pageToken: string) => Promise<{ items: T[]; next: string }>, maxPages = 10_000): Promise<T[]> {
  const out: T[] = [];
  let token = "";
  for (let i = 0; i < maxPages; i++) {
    const page = await fetch(token);
    out.push(...page.items);
    if (page.next === "" || page.next === token) return out;
    token = page.next;
  }
  return out;
}
