import { S } from "../schema.js";
import { mkString, ownArray } from "../value.js";
import { aggregate, evalChecked, findRt, tooLong, unknownResult, type Builtin } from "./builtin-env.js";

/** `fn::join: [DELIMITER, VALUES]` (esc-language.md §9.4). */
export const join: Builtin = (env, call, def) => {
  const a = call.args;
  if (a.fn !== "join" || !a.first || !a.second) return unknownResult(def, S.string());
  const d = evalChecked(env, findRt(call.rt.arg, a.first)!, S.string());
  const vs = evalChecked(env, findRt(call.rt.arg, a.second)!, S.array(S.string()));
  const f = aggregate(d.v, vs.v);
  if (!d.ok || !vs.ok || f.unknown) return unknownResult(def, S.string(), f.secret);
  const text = (ownArray(vs.v) ?? []).map((e) => e.own as string).join(d.v.own as string);
  if (tooLong(env, text, def)) return unknownResult(def, S.string(), f.secret);
  return mkString(text, def, { secret: f.secret });
};
