import { isJsonNumberText, jsonString } from "../json-text.js";
import { S } from "../schema.js";
import { keys, ownArray, property, mkString, type EvalValue } from "../value.js";
import { aggregate, tooLong, unknownResult, type Builtin } from "./builtin-env.js";

class InvalidNumber extends Error {}
class TooLong extends Error {}

/** Compact JSON text of the merged view, secrets revealed (esc-language.md §11). Throws on non-JSON numbers. */
function encode(v: EvalValue, max: number): string {
  const t = encodeNode(v, max);
  if (t.length > max) throw new TooLong();
  return t;
}

function encodeNode(v: EvalValue, max: number): string {
  switch (v.kind) {
    case "null": return "null";
    case "boolean": return v.own ? "true" : "false";
    case "number": {
      const t = v.own as string;
      if (!isJsonNumberText(t)) throw new InvalidNumber(t);
      return t;
    }
    case "string": return jsonString(v.own as string);
    case "array": return "[" + (ownArray(v) ?? []).map((e) => encode(e, max)).join(",") + "]";
    case "object": return "{" + keys(v).map((k) => jsonString(k) + ":" + encode(property(v, k) as EvalValue, max)).join(",") + "}";
  }
}

/** `fn::toJSON` (§9.7). */
export const toJSON: Builtin = (env, call, def) => {
  const v = env.evaluate(call.rt.arg!);
  const f = aggregate(v);
  if (f.unknown) return unknownResult(def, S.string(), f.secret);
  let text: string;
  const max = env.session.limits.maxStringLength;
  try {
    text = encode(v, max);
  } catch (e) {
    if (e instanceof TooLong) {
      env.error(def, `string exceeds the maximum length of ${max}`);
      return unknownResult(def, S.string(), f.secret);
    }
    if (!(e instanceof InvalidNumber)) throw e;
    env.error(def, `failed to encode JSON: json: invalid number literal ${JSON.stringify(e.message)}`);
    return unknownResult(def, S.string(), f.secret);
  }
  if (tooLong(env, text, def)) return unknownResult(def, S.string(), f.secret);
  return mkString(text, def, { secret: f.secret });
};
