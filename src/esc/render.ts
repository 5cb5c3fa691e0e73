import { goQuote } from "./go-quote.js";
import { jsonNumber, jsonTextIndent, type Json, type RenderJson } from "./json-text.js";
import type { Range } from "./range.js";
import type { Value } from "./public-value.js";
import { sortKeys } from "./spell.js";

/** Rendering options. */
export interface RenderOptions {
  /** Replace secret nodes by `"[secret]"`. Default true. */
  readonly redact?: boolean;
}

/**
 * The plain JSON projection `toJSON(v, redact)` of esc-language.md §17.3: secret → `"[secret]"` (when redacting,
 * tested first), unknown → `"[unknown]"`; numbers keep their decimal text.
 */
export function toPlainJson(v: Value | null | undefined, options: RenderOptions = {}): Json {
  if (!v) return null;
  const redact = options.redact ?? true;
  if (redact && v.secret) return "[secret]";
  if (v.unknown) return "[unknown]";
  switch (v.kind) {
    case "null": return null;
    case "boolean": return v.value as boolean;
    case "number": return jsonNumber(v.value as string);
    case "string": return v.value as string;
    case "array": return (v.value as Value[]).map((e) => toPlainJson(e, options));
    case "object": {
      const o: Record<string, Json> = Object.create(null) as Record<string, Json>;
      for (const [k, e] of Object.entries(v.value as Record<string, Value>)) o[k] = toPlainJson(e, options);
      return o;
    }
  }
}

/** `json` output format (§18.4): {@link toPlainJson} indented by two spaces, with a final newline. */
export function renderJson(v: Value | null | undefined, options: RenderOptions = {}): string {
  return jsonTextIndent(toPlainJson(v, options)) + "\n";
}

function rangeJson(r: Range): RenderJson {
  const pos = (p: Range["begin"]): RenderJson => new Map<string, RenderJson>([["line", p.line], ["column", p.column], ["byte", p.byte]]);
  const m = new Map<string, RenderJson>();
  if (r.environment !== "") m.set("environment", r.environment);
  m.set("begin", pos(r.begin));
  m.set("end", pos(r.end));
  return m;
}

function detailed(v: Value, redact: boolean): RenderJson {
  const m = new Map<string, RenderJson>();
  if (redact && v.secret) m.set("value", "[secret]");
  else if (v.value !== null) {
    switch (v.kind) {
      case "number": m.set("value", jsonNumber(v.value as string)); break;
      case "array": m.set("value", (v.value as Value[]).map((e) => detailed(e, redact))); break;
      case "object": {
        const o: Record<string, RenderJson> = Object.create(null) as Record<string, RenderJson>;
        for (const [k, e] of Object.entries(v.value as Record<string, Value>)) o[k] = detailed(e, redact);
        m.set("value", o);
        break;
      }
      default: m.set("value", v.value as boolean | string);
    }
  }
  if (v.secret) m.set("secret", true);
  if (v.unknown) m.set("unknown", true);
  const t = new Map<string, RenderJson>();
  if (v.trace?.def) t.set("def", rangeJson(v.trace.def));
  if (v.trace?.base) t.set("base", detailed(v.trace.base, redact));
  m.set("trace", t);
  return m;
}

/** `detailed` output format (§18.4): the §17.2 Value tree as indented JSON, with a final newline. */
export function renderDetailed(v: Value | null | undefined, options: RenderOptions = {}): string {
  if (!v) return "null\n";
  return jsonTextIndent(detailed(v, options.redact ?? true)) + "\n";
}

/** `ToString(value, redact)` (§18.4 `string`): §10.1 listing all visible keys, secrets as `[secret]` when redacting. */
export function valueToString(v: Value | null | undefined, options: RenderOptions = {}): string {
  if (!v) return "";
  const redact = options.redact ?? true;
  const s = (x: Value): string => {
    if (redact && x.secret) return "[secret]";
    if (x.unknown) return "[unknown]";
    switch (x.kind) {
      case "null": return "";
      case "boolean": return x.value ? "true" : "false";
      case "number": case "string": return x.value as string;
      case "array": return (x.value as Value[]).map((e) => goQuote(s(e))).join(",");
      case "object": {
        const o = x.value as Record<string, Value>;
        return sortKeys(Object.keys(o)).map((k) => goQuote(k) + "=" + goQuote(s(o[k] as Value))).join(",");
      }
    }
  };
  return s(v);
}

/** `string` output format: {@link valueToString} plus a newline unless it already ends with one. */
export function renderString(v: Value | null | undefined, options: RenderOptions = {}): string {
  const t = valueToString(v, options);
  return t.endsWith("\n") ? t : t + "\n";
}
