import { goQuote } from "./go-quote.js";
import { sortKeys } from "./spell.js";
import { keys, ownArray, ownMap, property, type EvalValue } from "./value.js";

/** A string conversion result with the flags of every node visited. */
export interface Stringified {
  readonly text: string;
  readonly unknown: boolean;
  readonly secret: boolean;
  /** True when {@link StringifyOptions.maxLength} was exceeded; `text` is then empty. */
  readonly tooLong?: boolean;
}

/** Options of {@link stringify}. */
export interface StringifyOptions {
  /** List all visible keys (CLI `string` format) instead of own keys only (§10.1 quirk). Default false. */
  readonly allKeys?: boolean;
  /** Print secret nodes as `[secret]` (CLI `string` format when redacting). Default false. */
  readonly redact?: boolean;
  /** Give up (returning `tooLong: true`) once the text would exceed this many UTF-16 units. Default unbounded. */
  readonly maxLength?: number;
}

class TooLong extends Error {}

interface State {
  unknown: boolean;
  secret: boolean;
  readonly allKeys: boolean;
  readonly redact: boolean;
  readonly max: number;
}

function str(x: EvalValue, st: State): string {
  const t = strInner(x, st);
  if (t.length > st.max) throw new TooLong();
  return t;
}

function strInner(x: EvalValue, st: State): string {
  if (x.secret) {
    st.secret = true;
    if (st.redact) return "[secret]";
  }
  if (x.unknown) {
    st.unknown = true;
    if (x.own === undefined || (x.kind !== "array" && x.kind !== "object")) return "[unknown]";
  }
  switch (x.kind) {
    case "null": return x.own === undefined ? "[unknown]" : "";
    case "boolean": return x.own ? "true" : "false";
    case "number":
    case "string": return x.own as string;
    case "array": {
      let out = "";
      for (const e of ownArray(x) ?? []) out += (out === "" ? "" : ",") + goQuote(str(e, st));
      return out;
    }
    case "object": {
      const parts: string[] = [];
      if (st.allKeys) for (const k of keys(x)) parts.push(goQuote(k) + "=" + goQuote(str(property(x, k) as EvalValue, st)));
      else {
        const m = ownMap(x) as ReadonlyMap<string, EvalValue>;
        for (const k of sortKeys(m.keys())) parts.push(goQuote(k) + "=" + goQuote(str(m.get(k) as EvalValue, st)));
      }
      return parts.join(",");
    }
  }
}

/** The toString algorithm of esc-language.md §10.1 (interpolation, `fn::toString`, CLI `string` output). */
export function stringify(v: EvalValue, options: StringifyOptions = {}): Stringified {
  // Scalars need no state (the common case of interpolating a string or number).
  if (!v.secret && !v.unknown && (v.kind === "string" || v.kind === "number")) {
    const text = v.own as string;
    return text.length > (options.maxLength ?? Infinity) ? { text: "", unknown: false, secret: false, tooLong: true } : { text, unknown: false, secret: false };
  }
  const st: State = { unknown: false, secret: false, allKeys: options.allKeys ?? false, redact: options.redact ?? false, max: options.maxLength ?? Infinity };
  try {
    const text = str(v, st);
    return { text, unknown: st.unknown, secret: st.secret };
  } catch (e) {
    if (e instanceof TooLong) return { text: "", unknown: st.unknown, secret: st.secret, tooLong: true };
    throw e;
  }
}
