import { goQuote } from "./go-quote.js";
import type { Value } from "./public-value.js";
import { sortKeys } from "./spell.js";

/** One projected variable or file (§18.1–18.2): its name, text and secret flag. */
export interface ProjectedEntry {
  readonly name: string;
  readonly value: string;
  readonly secret: boolean;
}

function scalarEntries(root: Value | null | undefined, key: string): ProjectedEntry[] {
  if (!root || root.kind !== "object" || root.value === null) return [];
  const o = (root.value as Record<string, Value>)[key];
  if (!o || o.kind !== "object" || o.value === null) return [];
  const props = o.value as Record<string, Value>;
  const out: ProjectedEntry[] = [];
  for (const k of sortKeys(Object.keys(props))) {
    const p = props[k] as Value;
    if (p.kind === "array" || p.kind === "object") continue;
    const value = p.unknown ? "[unknown]" : p.kind === "null" ? "" : p.kind === "boolean" ? (p.value ? "true" : "false") : (p.value as string);
    out.push({ name: k, value, secret: p.secret });
  }
  return out;
}

/** The `environmentVariables` projection (§18.1) of an environment's top-level value, sorted by name. */
export function environmentVariables(root: Value | null | undefined): ProjectedEntry[] {
  return scalarEntries(root, "environmentVariables");
}

/** The `files` projection (§18.2): each entry's `value` is the file content; the host writes the files. */
export function files(root: Value | null | undefined): ProjectedEntry[] {
  return scalarEntries(root, "files");
}

/** The `pulumiConfig` value (§18.3), or undefined when absent. */
export function pulumiConfig(root: Value | null | undefined): Value | undefined {
  if (!root || root.kind !== "object" || root.value === null) return undefined;
  return (root.value as Record<string, Value>)["pulumiConfig"];
}

/** Input of {@link renderDotenv}: plain variables, and file variables whose value is the file path. */
export interface DotenvInput {
  readonly variables: readonly ProjectedEntry[];
  readonly files?: readonly ProjectedEntry[];
}

/**
 * `dotenv` output format (§18.4): `NAME="VALUE"` lines, Go-quoted, variables sorted by name then file variables sorted
 * by name; secrets as `[secret]` when redacting (default true).
 */
export function renderDotenv(input: DotenvInput, options: { readonly redact?: boolean; readonly prefix?: string } = {}): string {
  const redact = options.redact ?? true;
  const line = (e: ProjectedEntry): string => `${options.prefix ?? ""}${e.name}=${goQuote(redact && e.secret ? "[secret]" : e.value)}\n`;
  const sorted = (l: readonly ProjectedEntry[]): ProjectedEntry[] => [...l].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return sorted(input.variables).map(line).join("") + sorted(input.files ?? []).map(line).join("");
}

/** `shell` output format (§18.4): the dotenv lines prefixed by `export `. */
export function renderShell(input: DotenvInput, options: { readonly redact?: boolean } = {}): string {
  return renderDotenv(input, { ...options, prefix: "export " });
}
