import type { Range } from "./range.js";
import { formatNumber } from "./number-format.js";
import { isJsonNumber, type Json } from "./json-text.js";
import { keys, mkUnknown, mkValue, ownArray, property, type Def, type EvalValue, type ValueKind } from "./value.js";

export type { ValueKind } from "./value.js";

/** Brand carried by every {@link Value}, so plugin results can mix plain JSON and evaluator values. */
export const ESC_VALUE: unique symbol = Symbol.for("openesc.value");

/** Where a value came from (esc-language.md §17.2): its defining expression and the imported value it overrides. */
export interface Trace {
  readonly def?: Range;
  readonly base?: Value;
}

/**
 * An evaluated ESC value (§7, §17.2), merged view. Numbers are decimal text (`kind: "number"`, `value: "1.50"`).
 * An unknown without content has kind `null`. Secret and unknown flags are per node.
 */
export interface Value {
  readonly [ESC_VALUE]: true;
  readonly kind: ValueKind;
  readonly value: null | boolean | string | readonly Value[] | { readonly [key: string]: Value };
  readonly secret: boolean;
  readonly unknown: boolean;
  readonly trace?: Trace;
}

/** True when `x` is a {@link Value}. */
export function isValue(x: unknown): x is Value {
  return typeof x === "object" && x !== null && (x as { [ESC_VALUE]?: unknown })[ESC_VALUE] === true;
}

/** Builds a {@link Value}. */
export function createValue(kind: ValueKind, value: Value["value"], flags: { secret?: boolean; unknown?: boolean; trace?: Trace } = {}): Value {
  return { [ESC_VALUE]: true, kind, value, secret: flags.secret ?? false, unknown: flags.unknown ?? false, ...(flags.trace ? { trace: flags.trace } : {}) };
}

/**
 * An exported value built lazily from the evaluator's value: its content (children included) and its trace are
 * materialised on first access, so hosts that only need diagnostics or a few properties pay for nothing else.
 */
class ExportedValue implements Value {
  declare readonly [ESC_VALUE]: true;
  #value: Value["value"] | undefined;
  #trace: Trace | undefined;
  #src: EvalValue | undefined;
  readonly #withTrace: boolean;

  constructor(
    readonly kind: ValueKind,
    readonly secret: boolean,
    readonly unknown: boolean,
    src: EvalValue,
    withTrace: boolean,
  ) {
    this.#src = src;
    this.#withTrace = withTrace;
  }

  get value(): Value["value"] {
    if (this.#value === undefined) {
      const v = this.#src as EvalValue;
      let content: Value["value"] = null;
      if (v.own !== undefined) {
        const arr = ownArray(v);
        if (arr) content = arr.map((e) => exportValue(e, this.#withTrace));
        else if (v.kind === "object") {
          const o: Record<string, Value> = Object.create(null) as Record<string, Value>;
          for (const k of keys(v)) o[k] = exportValue(property(v, k) as EvalValue, this.#withTrace);
          content = o;
        } else content = v.own as null | boolean | string;
      }
      this.#value = content;
      if (!this.#withTrace || this.#trace !== undefined) this.#src = undefined;
    }
    return this.#value;
  }

  get trace(): Trace | undefined {
    if (!this.#withTrace) return undefined;
    if (this.#trace === undefined) {
      const src = this.#src as EvalValue;
      this.#trace = { def: src.def.range, ...(src.base ? { base: exportValue(src.base) } : {}) };
      if (this.#value !== undefined) this.#src = undefined;
    }
    return this.#trace;
  }

  toJSON(): unknown {
    return { kind: this.kind, value: this.value, secret: this.secret, unknown: this.unknown };
  }
}
Object.defineProperty(ExportedValue.prototype, ESC_VALUE, { value: true });

/** Exports an evaluator value to the public merged view; content and traces are built lazily (§17.2). @private */
export function exportValue(v: EvalValue, withTrace = true): Value {
  return new ExportedValue(v.unknown && v.own === undefined ? "null" : v.kind, v.secret, v.unknown, v, withTrace);
}

/** Converts a public value or plain JSON (numbers as JS numbers or `{number}` text) into an evaluator value. @private */
export function importValue(x: unknown, def: Def, depth = 0): EvalValue {
  if (depth > 512) return mkUnknown(def);
  if (isValue(x)) {
    const flags = { secret: x.secret, unknown: x.unknown };
    if (x.unknown && (x.value === null || x.kind === "null")) return mkUnknown(def, undefined, flags);
    if (x.kind === "array" && Array.isArray(x.value)) return mkValue("array", (x.value as Value[]).map((e) => importValue(e, def, depth + 1)), def, flags);
    if (x.kind === "object" && x.value !== null && typeof x.value === "object") {
      const m = new Map<string, EvalValue>();
      for (const [k, e] of Object.entries(x.value as Record<string, Value>)) m.set(k, importValue(e, def, depth + 1));
      return mkValue("object", m, def, flags);
    }
    return mkValue(x.kind, x.value as null | boolean | string, def, flags);
  }
  if (x === null || x === undefined) return mkValue("null", null, def);
  if (typeof x === "boolean") return mkValue("boolean", x, def);
  if (typeof x === "number") return mkValue("number", formatNumber(x), def);
  if (typeof x === "bigint") return mkValue("number", x.toString(), def);
  if (typeof x === "string") return mkValue("string", x, def);
  if (isJsonNumber(x)) return mkValue("number", x.number, def);
  if (Array.isArray(x)) return mkValue("array", x.map((e) => importValue(e, def, depth + 1)), def);
  if (typeof x === "object") {
    const m = new Map<string, EvalValue>();
    for (const [k, e] of Object.entries(x as Record<string, unknown>)) m.set(k, importValue(e, def, depth + 1));
    return mkValue("object", m, def);
  }
  return mkValue("string", String(x), def);
}

/**
 * Reveals a value as plain JSON: secrets shown, unknowns as `"[unknown]"`, numbers as JS numbers.
 * Plain JSON given in is returned as is.
 */
export function plain(v: unknown): Json {
  if (!isValue(v)) {
    if (Array.isArray(v)) return v.map(plain);
    if (v && typeof v === "object" && !isJsonNumber(v)) {
      const o: Record<string, Json> = {};
      for (const [k, e] of Object.entries(v as Record<string, unknown>)) o[k] = plain(e);
      return o;
    }
    return (v ?? null) as Json;
  }
  if (v.unknown && (v.kind === "null" || v.value === null)) return "[unknown]";
  switch (v.kind) {
    case "number": return Number(v.value);
    case "array": return (v.value as Value[]).map(plain);
    case "object": {
      const o: Record<string, Json> = {};
      for (const [k, e] of Object.entries(v.value as Record<string, Value>)) o[k] = plain(e);
      return o;
    }
    default: return v.value as Json;
  }
}

/** Marks a value (plain JSON or {@link Value}) and everything under it secret. */
export function secret(v: unknown): Value {
  const mark = (x: Value): Value => {
    const value = Array.isArray(x.value) ? (x.value as Value[]).map(mark)
      : x.kind === "object" && x.value && typeof x.value === "object"
        ? Object.fromEntries(Object.entries(x.value as Record<string, Value>).map(([k, e]) => [k, mark(e)]))
        : x.value;
    return createValue(x.kind, value, { secret: true, unknown: x.unknown, ...(x.trace ? { trace: x.trace } : {}) });
  };
  return mark(toValue(v));
}

/** Converts plain JSON (or a Value) to a {@link Value} without traces. */
export function toValue(v: unknown): Value {
  return exportValue(importValue(v, { range: { environment: "", begin: { line: 0, column: 0, byte: 0 }, end: { line: 0, column: 0, byte: 0 } }, path: "" }), false);
}
