import type { Location } from "./diagnostic.js";
import type { Range } from "./range.js";
import type { Schema } from "./schema.js";
import { sortKeys } from "./spell.js";

/** The content kinds of a value (esc-language.md §7). */
export type ValueKind = "null" | "boolean" | "number" | "string" | "array" | "object";

/** Where a value was defined: the trace definition (§17.2), also the blame location of type errors (§12). */
export interface Def extends Location {
  readonly range: Range;
  readonly path: string;
}

/**
 * An evaluated value as the evaluator holds it: its own content plus the imported value it overrides (`base`).
 * The visible (merged) view is computed by {@link keys} and {@link property}. Values are never mutated once built.
 * @private
 */
export interface EvalValue {
  readonly kind: ValueKind;
  /** Own content; undefined for an unknown without content. Numbers are decimal text. */
  readonly own: null | boolean | string | readonly EvalValue[] | ReadonlyMap<string, EvalValue> | undefined;
  readonly secret: boolean;
  readonly unknown: boolean;
  readonly final: boolean;
  readonly rotateOnly: boolean;
  readonly base?: EvalValue;
  readonly def: Def;
  /** For unknowns: the shape later accesses are checked against (§6.2); undefined means "anything". */
  readonly shape?: Schema;
}

type Flags = Partial<Pick<EvalValue, "secret" | "unknown" | "final" | "rotateOnly" | "base" | "shape">>;

/** Builds a value. Every value has the same fields (one hidden class), absent ones undefined. */
export function mkValue(kind: ValueKind, own: EvalValue["own"], def: Def, flags?: Flags): EvalValue {
  return {
    kind, own,
    secret: flags?.secret ?? false, unknown: flags?.unknown ?? false, final: flags?.final ?? false, rotateOnly: flags?.rotateOnly ?? false,
    base: flags?.base, def, shape: flags?.shape,
  };
}

/** A known value with an optional base, without a flags object. */
export function mkBased(kind: ValueKind, own: EvalValue["own"], def: Def, base: EvalValue | undefined): EvalValue {
  return { kind, own, secret: false, unknown: false, final: false, rotateOnly: false, base, def, shape: undefined };
}

/** An unknown value without content, shaped by `shape` (undefined = anything). */
export function mkUnknown(def: Def, shape?: Schema, flags?: Flags): EvalValue {
  return mkValue("null", undefined, def, { ...flags, unknown: true, shape });
}

/** A string value. */
export function mkString(s: string, def: Def, flags?: Flags): EvalValue {
  return mkValue("string", s, def, flags);
}

/** The own content as an object map, or undefined. */
export function ownMap(v: EvalValue): ReadonlyMap<string, EvalValue> | undefined {
  return v.kind === "object" && v.own instanceof Map ? v.own : undefined;
}

/** The own content as an array, or undefined. */
export function ownArray(v: EvalValue): readonly EvalValue[] | undefined {
  return v.kind === "array" && Array.isArray(v.own) ? (v.own as readonly EvalValue[]) : undefined;
}

const keyCache = new WeakMap<EvalValue, readonly string[]>();

/** Visible keys of an object value: own keys and those of its base chain, byte-sorted (§7). Cached per value. */
export function keys(v: EvalValue): readonly string[] {
  const m = ownMap(v);
  if (!m) return [];
  let c = keyCache.get(v);
  if (c) return c;
  if (!v.base) c = sortKeys(m.keys());
  else {
    const set = new Set<string>();
    for (let cur: EvalValue | undefined = v; cur; cur = cur.base) {
      const mm = ownMap(cur);
      if (!mm) break;
      for (const k of mm.keys()) set.add(k);
    }
    c = sortKeys(set);
  }
  keyCache.set(v, c);
  return c;
}

/** The visible property `k` of a value (merged view), or undefined. Unknown values yield unknown properties. */
export function property(v: EvalValue | undefined, k: string): EvalValue | undefined {
  for (let cur = v; cur; cur = cur.base) {
    if (cur.unknown && cur.own === undefined) return mkUnknown(cur.def, propertyShape(cur.shape, k));
    const m = ownMap(cur);
    if (!m) return undefined;
    const p = m.get(k);
    if (p) return p;
  }
  return undefined;
}

function propertyShape(shape: Schema | undefined, k: string): Schema | undefined {
  if (shape === undefined || typeof shape === "boolean") return shape;
  return shape.properties?.[k] ?? shape.additionalProperties;
}

function chainContains(v: EvalValue, b: EvalValue): boolean {
  for (let cur: EvalValue | undefined = v; cur; cur = cur.base) if (cur === b) return true;
  return false;
}

/**
 * Overlays `v` on `b` (§6.4, §8): returns a copy of `v` whose base chain ends in `b`, with each own property
 * overlaid on the matching property of `b`. `v` and `b` are not modified.
 */
export function attachBase(v: EvalValue, b: EvalValue | undefined): EvalValue {
  if (!b || chainContains(v, b)) return v;
  const base = v.base ? attachBase(v.base, b) : b;
  const m = ownMap(v);
  if (!m) return { ...v, base };
  const own = new Map<string, EvalValue>();
  for (const [k, p] of m) own.set(k, attachBase(p, property(b, k)));
  return { ...v, own, base };
}

/**
 * Visits the merged view deeply; `ownOnly` restricts objects to their own keys (§10.1). Stops when `f` returns true.
 * Shared sub-values are visited once, so a value built by repeated references stays linear to walk.
 */
export function someDeep(v: EvalValue, f: (x: EvalValue) => boolean, ownOnly = false): boolean {
  const seen = new Set<EvalValue>();
  const visit = (x: EvalValue): boolean => {
    if (seen.has(x)) return false;
    seen.add(x);
    if (f(x)) return true;
    const arr = ownArray(x);
    if (arr) return arr.some(visit);
    const m = ownMap(x);
    if (!m) return false;
    if (ownOnly) { for (const p of m.values()) if (visit(p)) return true; return false; }
    for (const k of keys(x)) {
      const p = property(x, k);
      if (p && visit(p)) return true;
    }
    return false;
  };
  return visit(v);
}

const weights = new WeakMap<EvalValue, number>();

/** The number of nodes a value expands to when exported (shared sub-values counted each time), memoised. */
export function weight(v: EvalValue): number {
  const hit = weights.get(v);
  if (hit !== undefined) return hit;
  let w = 1;
  const arr = ownArray(v);
  if (arr) for (const e of arr) w += weight(e);
  const m = ownMap(v);
  if (m) for (const p of m.values()) w += weight(p);
  if (m && v.base) w += weight(v.base);
  weights.set(v, w);
  return w;
}

/** True when the value or anything visible under it is unknown. */
export function containsUnknown(v: EvalValue): boolean {
  return someDeep(v, (x) => x.unknown);
}

/** True when the value or anything visible under it is secret. */
export function containsSecret(v: EvalValue): boolean {
  return someDeep(v, (x) => x.secret);
}

