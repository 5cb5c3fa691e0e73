import { S } from "../schema.js";
import { mkString, mkValue } from "../value.js";
import { aggregate, evalChecked, findRt, unknownResult, type Builtin } from "./builtin-env.js";

/** Go `strings.Split`: an empty separator splits into code points (esc-language.md §9.5). */
export function goSplit(s: string, sep: string): string[] {
  if (sep === "") return [...s];
  return s.split(sep);
}

/** `fn::split: [DELIMITER, STRING]` (§9.5); elements are plain strings (quirk §21.2). */
export const split: Builtin = (env, call, def) => {
  const a = call.args;
  const shape = S.array(S.string());
  if (a.fn !== "split" || !a.first || !a.second) return unknownResult(def, shape);
  const d = evalChecked(env, findRt(call.rt.arg, a.first)!, S.string());
  const s = evalChecked(env, findRt(call.rt.arg, a.second)!, S.string());
  const f = aggregate(d.v, s.v);
  if (!d.ok || !s.ok || f.unknown) return unknownResult(def, shape, f.secret);
  const parts = goSplit(s.v.own as string, d.v.own as string).map((p) => mkString(p, def));
  return mkValue("array", parts, def, { secret: f.secret });
};
