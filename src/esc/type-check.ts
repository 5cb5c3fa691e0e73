import { errorAt, type Diagnostic, type Location } from "./diagnostic.js";
import { isJsonNumber, jsonText, type Json } from "./json-text.js";
import type { Schema, SchemaObject } from "./schema.js";
import { keys, ownArray, property, type EvalValue } from "./value.js";

const utf8 = new TextEncoder();

function deref(s: Schema | undefined): Schema | undefined {
  let cur = s;
  for (let i = 0; i < 32 && cur && typeof cur === "object" && cur.ref !== undefined && Object.keys(cur).length === 1; i++) cur = cur.ref;
  return cur;
}

function equalJson(v: EvalValue, j: Json): boolean {
  if (v.unknown) return false;
  if (j === null) return v.kind === "null";
  if (typeof j === "boolean") return v.kind === "boolean" && v.own === j;
  if (typeof j === "number") return v.kind === "number" && Number(v.own) === j;
  if (isJsonNumber(j)) return v.kind === "number" && Number(v.own) === Number(j.number);
  if (typeof j === "string") return v.kind === "string" && v.own === j;
  if (Array.isArray(j)) {
    const a = ownArray(v);
    return !!a && a.length === j.length && a.every((e, i) => equalJson(e, j[i] as Json));
  }
  if (v.kind !== "object") return false;
  const o = j as Record<string, Json>;
  const ks = keys(v);
  if (ks.length !== Object.keys(o).length) return false;
  return ks.every((k) => k in o && equalJson(property(v, k) as EvalValue, o[k] as Json));
}

/**
 * Concrete check of a value against a schema (esc-language.md §12): appends messages, located at the definitions
 * of the offending nodes, to `out`. Returns true when the value conforms.
 */
export function checkValue(v: EvalValue, schema: Schema | undefined, out: Diagnostic[]): boolean {
  if (schema === undefined || schema === true) return true;
  if (schema === false) return false;
  if (v.unknown) return checkShape(v.shape, schema, v.def, "", out);
  const a = schema;
  const say = (m: string): void => { out.push(errorAt(v.def, m)); };
  let ok = true;
  if (a.ref !== undefined) ok = checkValue(v, a.ref, out) && ok;
  if (a.anyOf) {
    const buf: Diagnostic[] = [];
    if (!a.anyOf.some((b) => checkValue(v, b, buf))) {
      out.push(...buf);
      say("at least one subschema must match");
      ok = false;
    }
  }
  if (a.oneOf) {
    const all: Diagnostic[] = [];
    let matched = 0;
    for (const b of a.oneOf) {
      const buf: Diagnostic[] = [];
      if (checkValue(v, b, buf)) matched++; else all.push(...buf);
    }
    if (matched === 0) { out.push(...all); say("exactly one subschema must match"); ok = false; }
    else if (matched > 1) { say("exactly one subschema may match"); ok = false; }
  }
  if (a.hasConst && !equalJson(v, a.const as Json)) { say(`expected ${jsonText(a.const as Json)}`); ok = false; }
  if (a.enum && !a.enum.some((e) => equalJson(v, e))) {
    say(a.enum.length === 1 ? `expected ${jsonText(a.enum[0] as Json)}` : `expected one of ${jsonText(a.enum)}`);
    ok = false;
  }
  if (a.type !== undefined && a.type !== v.kind) { say(`expected ${a.type}, got ${v.kind}`); return false; }
  switch (v.kind) {
    case "number": {
      const n = Number(v.own);
      if (a.multipleOf && !Number.isInteger(n / a.multipleOf.n)) { say(`expected a multiple of ${a.multipleOf.text}`); ok = false; }
      if (a.minimum && !(n >= a.minimum.n)) { say(`expected a number greater than or equal to ${a.minimum.text}`); ok = false; }
      if (a.exclusiveMinimum && !(n > a.exclusiveMinimum.n)) { say(`expected a number greater than ${a.exclusiveMinimum.text}`); ok = false; }
      if (a.maximum && !(n <= a.maximum.n)) { say(`expected a number less than or equal to${a.maximum.text}`); ok = false; }
      if (a.exclusiveMaximum && !(n < a.exclusiveMaximum.n)) { say(`expected a number less than ${a.exclusiveMaximum.text}`); ok = false; }
      break;
    }
    case "string": {
      const s = v.own as string;
      const len = utf8.encode(s).length;
      if (a.minLength !== undefined && len < a.minLength) { say(`expected a string of at least length ${a.minLength}`); ok = false; }
      if (a.maxLength !== undefined && len > a.maxLength) { say(`expected a string of at most length ${a.maxLength}`); ok = false; }
      if (a.patternRe && !a.patternRe.test(s)) { say(`string must match the pattern ${JSON.stringify(a.pattern)}`); ok = false; }
      break;
    }
    case "array": {
      const arr = ownArray(v) ?? [];
      if (a.minItems !== undefined && arr.length < a.minItems) { say(`expected an array with at least ${a.minItems} items`); ok = false; }
      if (a.maxItems !== undefined && arr.length > a.maxItems) { say(`expected an array with at most ${a.maxItems} items`); ok = false; }
      arr.forEach((e, i) => { if (!checkValue(e, a.prefixItems?.[i] ?? a.items, out)) ok = false; });
      break;
    }
    case "object": ok = checkObject(v, a, out, say) && ok; break;
    default: break;
  }
  return ok;
}

function checkObject(v: EvalValue, a: SchemaObject, out: Diagnostic[], say: (m: string) => void): boolean {
  let ok = true;
  const ks = keys(v);
  if (a.minProperties !== undefined && ks.length < a.minProperties) { say(`expected an object with at least ${a.minProperties} properties`); ok = false; }
  if (a.maxProperties !== undefined && ks.length > a.maxProperties) { say(`expected an object with at most ${a.maxProperties} properties`); ok = false; }
  for (const k of ks) {
    const p = property(v, k) as EvalValue;
    if (!checkValue(p, a.properties?.[k] ?? a.additionalProperties, out)) ok = false;
  }
  const present = new Set(ks);
  const missing: string[] = [];
  for (const r of a.required ?? []) if (!present.has(r) && !missing.includes(r)) missing.push(r);
  for (const [k, deps] of Object.entries(a.dependentRequired ?? {})) {
    if (!present.has(k)) continue;
    for (const d of deps) if (!present.has(d) && !missing.includes(d)) missing.push(d);
  }
  if (missing.length > 0) { say(`missing required properties: ${missing.join(", ")}`); ok = false; }
  return ok;
}

function join(prefix: string, seg: string): string {
  if (seg.startsWith("[")) return prefix + seg;
  return prefix === "" ? seg : `${prefix}.${seg}`;
}

/**
 * Shape check of an unknown value of shape `x` against `a` (§12): structure only. Messages go on `loc`, nested
 * failures prefixed with their relative path.
 */
export function checkShape(x0: Schema | undefined, a0: Schema | undefined, loc: Location, prefix: string, out: Diagnostic[], depth = 0): boolean {
  const x = deref(x0);
  const a = deref(a0);
  if (depth > 64 || a === undefined || a === true || x === undefined || x === true) return true;
  if (a === false || x === false) return false;
  const say = (m: string): void => { out.push(errorAt(loc, prefix === "" ? m : `${prefix}: ${m}`)); };
  if (x.ref !== undefined) return checkShape(x.ref, a, loc, prefix, out, depth + 1);
  if (a.ref !== undefined) return checkShape(x, a.ref, loc, prefix, out, depth + 1);
  const xUnion = x.anyOf ?? x.oneOf;
  if (xUnion) {
    const buf: Diagnostic[] = [];
    if (xUnion.some((m) => checkShape(m, a, loc, prefix, buf, depth + 1))) return true;
    out.push(...buf);
    say("at least one subschema must match");
    return false;
  }
  const aUnion = a.anyOf ?? a.oneOf;
  if (aUnion) {
    const buf: Diagnostic[] = [];
    let matched = false;
    for (const b of aUnion) {
      const one: Diagnostic[] = [];
      if (checkShape(x, b, loc, prefix, one, depth + 1)) { matched = true; break; }
      buf.push(...one);
    }
    if (!matched) { out.push(...buf); say("at least one subschema must match"); return false; }
  }
  if (x.type !== undefined && a.type !== undefined && x.type !== a.type) { say(`expected ${a.type}, got ${x.type}`); return false; }
  let ok = true;
  if (x.prefixItems || a.prefixItems || x.items !== undefined) {
    const n = Math.max(x.prefixItems?.length ?? 0, a.prefixItems?.length ?? 0);
    for (let i = 0; i < n; i++) {
      const xi = x.prefixItems?.[i] ?? x.items;
      const ai = a.prefixItems?.[i] ?? a.items;
      if (!checkShape(xi, ai, loc, join(prefix, `[${i}]`), out, depth + 1)) ok = false;
    }
    if (x.items !== undefined && !checkShape(x.items, a.items, loc, prefix, out, depth + 1)) ok = false;
  }
  for (const [k, xp] of Object.entries(x.properties ?? {})) {
    if (!checkShape(xp, a.properties?.[k] ?? a.additionalProperties, loc, join(prefix, k), out, depth + 1)) ok = false;
  }
  if (x.additionalProperties === undefined) {
    const xr = new Set(x.required ?? []);
    const need = [...(a.required ?? [])];
    for (const [k, deps] of Object.entries(a.dependentRequired ?? {})) if (xr.has(k)) need.push(...deps);
    for (const r of need) if (!xr.has(r)) { out.push(errorAt(loc, `${join(prefix, r)}: missing required property`)); ok = false; }
  } else if (x.additionalProperties !== false && !checkShape(x.additionalProperties, a.additionalProperties, loc, prefix, out, depth + 1)) ok = false;
  return ok;
}
