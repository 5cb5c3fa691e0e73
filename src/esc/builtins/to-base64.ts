import { encodeBase64 } from "../base64.js";
import { S } from "../schema.js";
import { mkString } from "../value.js";
import { aggregate, evalChecked, tooLong, unknownResult, type Builtin } from "./builtin-env.js";

/** `fn::toBase64` (esc-language.md §9.9): standard padded base64 of the UTF-8 bytes. */
export const toBase64: Builtin = (env, call, def) => {
  const a = evalChecked(env, call.rt.arg!, S.string());
  const f = aggregate(a.v);
  if (!a.ok || f.unknown) return unknownResult(def, S.string(), f.secret);
  const text = encodeBase64(new TextEncoder().encode(a.v.own as string));
  if (tooLong(env, text, def)) return unknownResult(def, S.string(), f.secret);
  return mkString(text, def, { secret: f.secret });
};
