import { decodeFirstJson } from "../go-json.js";
import { importValue } from "../public-value.js";
import { S } from "../schema.js";
import { markAllSecret } from "../secret-marking.js";
import { aggregate, evalChecked, unknownResult, type Builtin } from "./builtin-env.js";

/** `fn::fromJSON` (esc-language.md §9.8): first JSON value only, numbers kept as text, secret throughout. */
export const fromJSON: Builtin = (env, call, def) => {
  const a = evalChecked(env, call.rt.arg!, S.string());
  const f = aggregate(a.v);
  if (!a.ok || f.unknown) return unknownResult(def, undefined, f.secret);
  const d = decodeFirstJson(a.v.own as string, env.session.limits.maxDepth);
  if ("error" in d) {
    env.error(def, `decoding JSON string: ${d.error}`);
    return unknownResult(def, undefined, f.secret);
  }
  const v = importValue(d.value, def);
  return f.secret ? markAllSecret(v) : v;
};
