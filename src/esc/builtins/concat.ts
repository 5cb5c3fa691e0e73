import { S } from "../schema.js";
import { mkValue, ownArray, type EvalValue } from "../value.js";
import { aggregate, evalChecked, unknownResult, type Builtin } from "./builtin-env.js";

/** `fn::concat: [ARRAY, …]` (esc-language.md §9.6): items keep their own flags and traces. */
export const concat: Builtin = (env, call, def) => {
  const arg = evalChecked(env, call.rt.arg!, S.array(S.array()));
  const f = aggregate(arg.v);
  if (!arg.ok || f.unknown) return unknownResult(def, S.array(), f.secret);
  const items: EvalValue[] = [];
  for (const inner of ownArray(arg.v) ?? []) items.push(...(ownArray(inner) ?? []));
  return mkValue("array", items, def, { secret: f.secret });
};
