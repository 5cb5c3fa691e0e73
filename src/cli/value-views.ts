import { Document } from "yaml";
import {
  environmentVariables,
  files,
  renderDetailed,
  renderDotenv,
  renderJson,
  renderShell,
  renderString,
  selectPath,
  type ProjectedEntry,
  type Range as EscRange,
  type Value as EscValue,
} from "../esc/index.js";
import type { ProjectedValue } from "../gen/openesc/v1/open_pb.js";
import type { Range } from "../gen/openesc/v1/diagnostic_pb.js";
import type { Value } from "../gen/openesc/v1/value_pb.js";
import { usageError } from "./context.js";
import { parseValuePath } from "./value-path.js";

/** The output formats of `env open` and `env get --value` (esc-language.md §18.4); `yaml` is open only. */
export const VALUE_FORMATS = ["json", "yaml", "detailed", "string", "dotenv", "shell"] as const;
export type ValueFormat = (typeof VALUE_FORMATS)[number];

/** Whether a format prints the `environmentVariables` and `files` projections rather than a value. */
export function isProjectionFormat(format: ValueFormat): format is "dotenv" | "shell" {
  return format === "dotenv" || format === "shell";
}

/** A server value in the language's shape, and how many secret nodes the server withheld. */
export interface ServerValue {
  readonly value: EscValue | undefined;
  /**
   * Secret nodes sent without content (`secret` and no kind: withheld, or unknown such as ciphertext in
   * check mode): unredacted, a withheld one shows `[secret]` and an unknown one `[unknown]`.
   */
  readonly withheld: number;
}

// The language's values carry this registered brand (src/esc/public-value.ts ESC_VALUE); the front door
// exports no constructor with per-node flags, so views build the shape themselves.
const ESC_VALUE = Symbol.for("openesc.value");

/**
 * An `openesc.v1.Value` as the language's {@link EscValue}: numbers keep their decimal text, secret and
 * unknown flags stay per node, traces keep their definition range. A withheld secret (flag, no kind)
 * becomes the string `[secret]` flagged secret, so every format shows `[secret]` for it.
 */
export function fromServerValue(v: Value | undefined): ServerValue {
  let withheld = 0;
  const convert = (x: Value): EscValue => {
    const flags = { secret: x.secret, unknown: x.unknown, trace: x.trace === undefined ? undefined : { def: rangeOf(x.trace) } };
    switch (x.kind.case) {
      case "nullValue":
        return escValue("null", null, flags);
      case "boolValue":
        return escValue("boolean", x.kind.value, flags);
      case "numberValue":
        return escValue("number", x.kind.value, flags);
      case "stringValue":
        return escValue("string", x.kind.value, flags);
      case "listValue":
        return escValue("array", x.kind.value.values.map(convert), flags);
      case "objectValue": {
        const o: Record<string, EscValue> = Object.create(null) as Record<string, EscValue>;
        for (const [k, e] of Object.entries(x.kind.value.fields)) o[k] = convert(e);
        return escValue("object", o, flags);
      }
      case undefined:
        if (x.secret) withheld++;
        // a withheld secret keeps showing [secret] when rendered unredacted
        if (x.secret && !x.unknown) return escValue("string", "[secret]", flags);
        return escValue("null", null, flags);
    }
  };
  return { value: v === undefined ? undefined : convert(v), withheld };
}

function escValue(kind: EscValue["kind"], value: EscValue["value"], flags: { secret: boolean; unknown: boolean; trace: EscValue["trace"] }): EscValue {
  const out = { [ESC_VALUE]: true, kind, value, secret: flags.secret, unknown: flags.unknown, ...(flags.trace !== undefined ? { trace: flags.trace } : {}) };
  return out as unknown as EscValue;
}

function rangeOf(r: Range): EscRange {
  const pos = (p: Range["begin"]) => ({ line: p?.line ?? 0, column: p?.column ?? 0, byte: p?.byte ?? 0 });
  return { environment: r.environment, begin: pos(r.begin), end: pos(r.end) };
}

/**
 * The sub-value at a property path (`a.b[0]["c.d"]`), the whole value without one; undefined when the
 * path does not exist. A malformed path is a usage error.
 */
export function selectValue(root: EscValue | undefined, path: string | undefined): EscValue | undefined {
  if (path === undefined) return root;
  checkPath(path);
  return selectPath(root, path);
}

/** Throws the usage error of a malformed property path (before anything is fetched). */
export function checkPath(path: string | undefined): void {
  if (path === undefined) return;
  const parsed = parseValuePath(path);
  if ("error" in parsed) throw usageError(parsed.error);
}

/** A projection map of ResolveEnvironment as entries sorted by name. */
export function projectedEntries(map: { readonly [name: string]: ProjectedValue }): ProjectedEntry[] {
  return Object.keys(map)
    .sort(byBytes)
    .map((name) => ({ name, value: map[name]?.value ?? "", secret: map[name]?.secret ?? false }));
}

/** The `environmentVariables` and `files` projections (§18.1–18.2) of a top-level value. */
export function projectionsOf(root: EscValue | undefined): { variables: ProjectedEntry[]; files: ProjectedEntry[] } {
  return { variables: environmentVariables(root), files: files(root) };
}

/**
 * `dotenv` or `shell` lines (§18.4). `filePaths` holds the path of each file variable: written temp
 * files in open mode, `[unknown]` for every one in check mode ("pretend", §18.2).
 */
export function renderProjection(
  format: "dotenv" | "shell",
  variables: readonly ProjectedEntry[],
  filePaths: readonly ProjectedEntry[],
  redact: boolean,
): string {
  const input = { variables, files: filePaths };
  return format === "dotenv" ? renderDotenv(input, { redact }) : renderShell(input, { redact });
}

/** One value in `json`, `yaml`, `detailed` or `string` (§18.4); undefined (a missing path) is null. */
export function renderValue(value: EscValue | undefined, format: Exclude<ValueFormat, "dotenv" | "shell">, redact: boolean): string {
  const options = { redact };
  switch (format) {
    case "json":
      return renderJson(value, options);
    case "yaml":
      return renderYaml(value, redact);
    case "detailed":
      return renderDetailed(value, options);
    case "string":
      return renderString(value, options);
  }
}

/** Decimal text that must print verbatim in YAML (`1.50` stays `1.50`). */
class DecimalText {
  constructor(readonly text: string) {}
}

const DECIMAL_TAG = {
  tag: "tag:yaml.org,2002:float",
  default: true,
  identify: (v: unknown) => v instanceof DecimalText,
  resolve: (s: string) => new DecimalText(s),
  stringify: (item: { value: unknown }) => (item.value as DecimalText).text,
};

/**
 * `yaml` (§18.4, open only): the plain value of §17.3 (`[secret]` when redacting, `[unknown]`) as YAML
 * with 3-space indentation; keys in byte order, numbers as their decimal text.
 */
export function renderYaml(value: EscValue | undefined, redact: boolean): string {
  const doc = new Document(yamlNode(value, redact), { customTags: (tags) => [DECIMAL_TAG, ...tags] });
  return doc.toString({ indent: 3, lineWidth: 0 });
}

// Built from the Value itself, not from toPlainJson, whose `{number: text}` is ambiguous with an
// object holding one string property `number`. Maps keep keys in byte order.
function yamlNode(v: EscValue | undefined, redact: boolean): unknown {
  if (v === undefined) return null;
  if (redact && v.secret) return "[secret]";
  if (v.unknown) return "[unknown]";
  switch (v.kind) {
    case "null":
      return null;
    case "boolean":
    case "string":
      return v.value;
    case "number":
      return new DecimalText(v.value as string);
    case "array":
      return (v.value as readonly EscValue[]).map((e) => yamlNode(e, redact));
    case "object": {
      const o = v.value as { readonly [k: string]: EscValue };
      const keys = Object.keys(o).sort(byBytes);
      return new Map(keys.map((k) => [k, yamlNode(o[k], redact)]));
    }
  }
}

/** Byte (UTF-8) order of keys, as Go sorts them. */
function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
