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

/** The toString algorithm of esc-language.md §10.1 (interpolation, `fn::toString`, CLI `string` output). */
export function stringify(v: EvalValue, options: StringifyOptions = {}): Stringified {
  let unknown = false;
  let secret = false;
  const max = options.maxLength ?? Infinity;
  const s = (x: EvalValue): string => {
    const t = sInner(x);
    if (t.length > max) throw new TooLong();
    return t;
  };
  const sInner = (x: EvalValue): string => {
    if (x.secret) {
      secret = true;
      if (options.redact) return "[secret]";
    }
    if (x.unknown) {
      unknown = true;
      if (x.own === undefined || (x.kind !== "array" && x.kind !== "object")) return "[unknown]";
    }
    switch (x.kind) {
      case "null": return x.own === undefined ? "[unknown]" : "";
      case "boolean": return x.own ? "true" : "false";
      case "number":
      case "string": return x.own as string;
      case "array": return (ownArray(x) ?? []).map((e) => goQuote(s(e))).join(",");
      case "object": {
        if (options.allKeys) return keys(x).map((k) => goQuote(k) + "=" + goQuote(s(property(x, k) as EvalValue))).join(",");
        const m = ownMap(x) as ReadonlyMap<string, EvalValue>;
        return sortKeys(m.keys()).map((k) => goQuote(k) + "=" + goQuote(s(m.get(k) as EvalValue))).join(",");
      }
    }
  };
  try {
    const text = s(v);
    return { text, unknown, secret };
  } catch (e) {
    if (e instanceof TooLong) return { text: "", unknown, secret, tooLong: true };
    throw e;
  }
}
