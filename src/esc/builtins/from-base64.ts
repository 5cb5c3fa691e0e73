import { decodeBase64 } from "../base64.js";
import { S } from "../schema.js";
import { mkString } from "../value.js";
import { aggregate, evalChecked, unknownResult, type Builtin } from "./builtin-env.js";

/** `fn::fromBase64` (esc-language.md §9.10): Go StdEncoding decoding, bytes returned as a string. */
export const fromBase64: Builtin = (env, call, def) => {
  const a = evalChecked(env, call.rt.arg!, S.string());
  const f = aggregate(a.v);
  if (!a.ok || f.unknown) return unknownResult(def, S.string(), f.secret);
  const d = decodeBase64(new TextEncoder().encode(a.v.own as string));
  if ("error" in d) {
    env.error(def, `decoding base64 string: ${d.error}`);
    return unknownResult(def, S.string(), f.secret);
  }
  return mkString(new TextDecoder().decode(d.bytes), def, { secret: f.secret });
};
