import { isJsonNumber, jsonText, type Json } from "./json-text.js";
import { formatNumber } from "./number-format.js";

/** A compiled JSON Schema of the supported subset (esc-language.md §9.13, §12); `true`/`false` are schemas. */
export type Schema = boolean | SchemaObject;

/** A numeric keyword: its value and the text shown in messages. */
export interface SchemaNumber { readonly n: number; readonly text: string }

/** A compiled schema object. `ref` is the resolved target of `$ref`. */
export interface SchemaObject {
  type?: string;
  ref?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  prefixItems?: Schema[];
  items?: Schema;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema;
  required?: string[];
  dependentRequired?: Record<string, string[]>;
  const?: Json;
  hasConst?: boolean;
  enum?: Json[];
  multipleOf?: SchemaNumber;
  maximum?: SchemaNumber;
  exclusiveMaximum?: SchemaNumber;
  minimum?: SchemaNumber;
  exclusiveMinimum?: SchemaNumber;
  maxLength?: number;
  minLength?: number;
  maxItems?: number;
  minItems?: number;
  maxProperties?: number;
  minProperties?: number;
  pattern?: string;
  patternRe?: RegExp;
  rotateOnly?: string[];
  secret?: boolean;
}

/** Schema constructors for the builtins. */
export const S = {
  string: (): SchemaObject => ({ type: "string" }),
  number: (): SchemaObject => ({ type: "number" }),
  array: (items?: Schema): SchemaObject => (items === undefined ? { type: "array" } : { type: "array", items }),
  object: (): SchemaObject => ({ type: "object" }),
};

class SchemaError extends Error {}

function num(v: Json, key: string): SchemaNumber {
  if (typeof v === "number") return { n: v, text: formatNumber(v) };
  if (isJsonNumber(v)) return { n: Number(v.number), text: v.number };
  throw new SchemaError(`${key} must be a number`);
}

function count(v: Json): number {
  const text = typeof v === "number" ? formatNumber(v) : isJsonNumber(v) ? v.number : JSON.stringify(v);
  if (!/^[0-9]+$/.test(text)) throw new SchemaError(`strconv.ParseUint: parsing ${JSON.stringify(text)}: invalid syntax`);
  return Number(text);
}

/**
 * True when a repeated group itself contains repetition or alternation (`(a+)+`, `(a|aa)*`): such patterns can take
 * exponential time in a backtracking engine, where RE2 is linear, so they are refused rather than risking a hang.
 */
function mayBacktrackExponentially(p: string): boolean {
  const stack: Array<{ risky: boolean }> = [];
  let lastGroupRisky = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    const repeats = c === "*" || c === "+" || (c === "{" && /^\{\d*,\d*\}|^\{\d{2,}\}|^\{[2-9]\}/.test(p.slice(i)));
    if (repeats) {
      if (lastGroupRisky) return true;
      const top = stack[stack.length - 1];
      if (top) top.risky = true;
    }
    lastGroupRisky = false;
    if (c === "\\") { i++; continue; }
    if (c === "[") {
      for (i++; i < p.length && p[i] !== "]"; i++) if (p[i] === "\\") i++;
      continue;
    }
    if (c === "(") stack.push({ risky: false });
    else if (c === "|") { const top = stack[stack.length - 1]; if (top) top.risky = true; }
    else if (c === ")") {
      const g = stack.pop();
      lastGroupRisky = g?.risky ?? false;
      const top = stack[stack.length - 1];
      if (top && lastGroupRisky) top.risky = true;
    }
  }
  return false;
}

function translatePattern(p: string): RegExp {
  if (mayBacktrackExponentially(p)) {
    throw new SchemaError("error parsing regexp: repeated groups containing repetition or alternation are not supported");
  }
  let flags = "";
  let src = p;
  const m = /^\(\?([imsU]+)\)/.exec(src);
  if (m) { src = src.slice(m[0].length); if (m[1]!.includes("i")) flags += "i"; if (m[1]!.includes("s")) flags += "s"; if (m[1]!.includes("m")) flags += "m"; }
  src = src.replace(/\\z/g, "$").replace(/\\A/g, "^");
  try {
    return new RegExp(src, flags);
  } catch (e) {
    throw new SchemaError(`error parsing regexp: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Compiles a JSON Schema. Returns `{ error }` (the text after `invalid schema: `) when it cannot be compiled.
 * Unknown keywords are ignored.
 */
export function compileSchema(json: Json): { schema: Schema } | { error: string } {
  const defs = new Map<string, Schema>();
  const pending: Array<[SchemaObject, string]> = [];
  const rootDefs = typeof json === "object" && json !== null && !Array.isArray(json) && !isJsonNumber(json) ? (json as Record<string, Json>)["$defs"] : undefined;
  const compile = (j: Json): Schema => {
    if (typeof j === "boolean") return j;
    if (j === null || typeof j !== "object" || Array.isArray(j) || isJsonNumber(j)) return true;
    const o = j as Record<string, Json>;
    const s: SchemaObject = {};
    for (const [k, v] of Object.entries(o)) {
      switch (k) {
        case "type": if (typeof v === "string") s.type = v; break;
        case "$ref":
          if (typeof v !== "string" || !v.startsWith("#/$defs/")) throw new SchemaError("only fragment references of the form #/$defs/ref are supported");
          pending.push([s, v]);
          break;
        case "anyOf": case "oneOf": case "prefixItems": if (Array.isArray(v)) s[k] = v.map(compile); break;
        case "items": case "additionalProperties": s[k] = compile(v); break;
        case "properties":
          if (v && typeof v === "object" && !Array.isArray(v)) {
            const props: Record<string, Schema> = Object.create(null) as Record<string, Schema>;
            for (const [pk, pv] of Object.entries(v as Record<string, Json>)) props[pk] = compile(pv);
            s.properties = props;
          }
          break;
        case "required": case "rotateOnly": if (Array.isArray(v)) s[k] = v.filter((x): x is string => typeof x === "string"); break;
        case "dependentRequired":
          if (v && typeof v === "object" && !Array.isArray(v)) {
            const d: Record<string, string[]> = {};
            for (const [dk, dv] of Object.entries(v as Record<string, Json>)) if (Array.isArray(dv)) d[dk] = dv.filter((x): x is string => typeof x === "string");
            s.dependentRequired = d;
          }
          break;
        case "const": s.const = v; s.hasConst = true; break;
        case "enum": if (Array.isArray(v)) s.enum = [...v]; break;
        case "multipleOf": case "maximum": case "exclusiveMaximum": case "minimum": case "exclusiveMinimum": s[k] = num(v, k); break;
        case "maxLength": case "minLength": case "maxItems": case "minItems": case "maxProperties": case "minProperties": s[k] = count(v); break;
        case "pattern": if (typeof v === "string") { s.pattern = v; s.patternRe = translatePattern(v); } break;
        case "secret": s.secret = v === true; break;
        default: break;
      }
    }
    return s;
  };
  try {
    if (rootDefs && typeof rootDefs === "object" && !Array.isArray(rootDefs) && !isJsonNumber(rootDefs)) {
      for (const [k, v] of Object.entries(rootDefs as Record<string, Json>)) defs.set(k, compile(v));
    }
    const schema = compile(json);
    for (const [s, ref] of pending) {
      const target = defs.get(ref.slice("#/$defs/".length));
      if (target === undefined) throw new SchemaError(`unknown subschema ${ref}`);
      s.ref = target;
    }
    return { schema };
  } catch (e) {
    if (e instanceof SchemaError) return { error: e.message };
    throw e;
  }
}

/** Compiles a schema known to be valid (builtin or provider schemas); an invalid one becomes "anything". */
export function schemaOf(json: Json | undefined): Schema {
  if (json === undefined) return true;
  const r = compileSchema(json);
  return "schema" in r ? r.schema : true;
}

/** Compact JSON of a schema constant, for messages. */
export function constText(v: Json): string {
  return jsonText(v);
}
