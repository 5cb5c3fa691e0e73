import { sortKeys } from "./spell.js";

/** A plain JSON value; numbers may be given as decimal text through {@link JsonNumber}. */
export type Json = null | boolean | number | string | JsonNumber | readonly Json[] | { readonly [k: string]: Json };

/** JSON for rendering: like {@link Json}, plus `Map`s rendered as objects in insertion order (Go struct fields). */
export type RenderJson = Json | ReadonlyMap<string, RenderJson> | readonly RenderJson[] | { readonly [k: string]: RenderJson };

/**
 * A JSON number kept as its decimal text. A class, not a shape: an object whose only key is
 * `number` (`{number: five}` in a definition) must stay an object.
 */
export class JsonNumber {
  constructor(readonly number: string) {}
}

/** A {@link JsonNumber} of decimal text. */
export function jsonNumber(text: string): JsonNumber {
  return new JsonNumber(text);
}

/** True for a {@link JsonNumber}. */
export function isJsonNumber(x: unknown): x is JsonNumber {
  return x instanceof JsonNumber;
}

/** Go `encoding/json` string encoding (esc-language.md §11): HTML characters, U+2028/9 and controls escaped. */
export function jsonString(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc: string | undefined;
    if (c < 0x20 || c === 0x22 || c === 0x5c || c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029) {
      switch (c) {
        case 0x22: esc = '\\"'; break;
        case 0x5c: esc = "\\\\"; break;
        case 0x0a: esc = "\\n"; break;
        case 0x0d: esc = "\\r"; break;
        case 0x09: esc = "\\t"; break;
        case 0x08: esc = "\\b"; break;
        case 0x0c: esc = "\\f"; break;
        default: esc = "\\u" + c.toString(16).padStart(4, "0");
      }
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const pair = c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      if (pair) { i++; continue; }
      esc = "\\ufffd";
    }
    if (esc !== undefined) {
      out += s.slice(start, i) + esc;
      start = i + 1;
    }
  }
  return out + s.slice(start) + '"';
}

/** True when decimal text is a valid JSON number literal. */
export function isJsonNumberText(t: string): boolean {
  return /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$/.test(t);
}

/** Compact JSON text of a plain value, keys in byte order, Go escaping. */
export function jsonText(v: Json): string {
  if (v === null) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") return String(v);
  if (typeof v === "string") return jsonString(v);
  if (isJsonNumber(v)) return v.number;
  if (Array.isArray(v)) return "[" + v.map(jsonText).join(",") + "]";
  const o = v as { readonly [k: string]: Json };
  return "{" + sortKeys(Object.keys(o)).map((k) => jsonString(k) + ":" + jsonText(o[k] as Json)).join(",") + "}";
}

/** Indented JSON text (Go `json.MarshalIndent` layout), keys in byte order. */
export function jsonTextIndent(v: RenderJson, indent = "  ", prefix = ""): string {
  if (v === null || typeof v !== "object" || isJsonNumber(v)) return jsonText(v as Json);
  const inner = prefix + indent;
  if (v instanceof Map) {
    if (v.size === 0) return "{}";
    return "{\n" + [...v].map(([k, e]) => inner + jsonString(k) + ": " + jsonTextIndent(e as RenderJson, indent, inner)).join(",\n") + "\n" + prefix + "}";
  }
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    return "[\n" + (v as RenderJson[]).map((e) => inner + jsonTextIndent(e, indent, inner)).join(",\n") + "\n" + prefix + "]";
  }
  const o = v as { readonly [k: string]: RenderJson };
  const ks = sortKeys(Object.keys(o));
  if (ks.length === 0) return "{}";
  return "{\n" + ks.map((k) => inner + jsonString(k) + ": " + jsonTextIndent(o[k] as RenderJson, indent, inner)).join(",\n") + "\n" + prefix + "}";
}
