import { aggregate, type Builtin } from "./builtin-env.js";

/** `fn::final` (esc-language.md §9.12): same content, aggregate flags, marked final. */
export const final: Builtin = (env, call, def) => {
  const v = env.evaluate(call.rt.arg!);
  const f = aggregate(v);
  return { ...v, def, final: true, secret: f.secret, unknown: f.unknown };
};
