import { S } from "../schema.js";
import { stringify } from "../to-string.js";
import { mkString } from "../value.js";
import { tooLong, unknownResult, type Builtin } from "./builtin-env.js";

/** `fn::toString` (esc-language.md §9.11): §10.1 over own keys only. */
export const toString: Builtin = (env, call, def) => {
  const v = env.evaluate(call.rt.arg!);
  const s = stringify(v, { maxLength: env.session.limits.maxStringLength + 1 });
  if (s.unknown || tooLong(env, s.tooLong ? "x".repeat(env.session.limits.maxStringLength + 1) : s.text, def)) return unknownResult(def, S.string(), s.secret);
  return mkString(s.text, def, { secret: s.secret });
};
