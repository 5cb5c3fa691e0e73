import type { RtExpr } from "../rt-expr.js";
import type { Def, EvalValue } from "../value.js";
import { unknownResult, type Builtin, type BuiltinEnv } from "./builtin-env.js";
import { concat } from "./concat.js";
import { final } from "./final.js";
import { fromBase64 } from "./from-base64.js";
import { fromJSON } from "./from-json.js";
import { join } from "./join.js";
import { open } from "./open.js";
import { rotate } from "./rotate.js";
import { secret } from "./secret.js";
import { split } from "./split.js";
import { toBase64 } from "./to-base64.js";
import { toJSON } from "./to-json.js";
import { toString } from "./to-string.js";
import { validate } from "./validate.js";

export type { BuiltinEnv } from "./builtin-env.js";

const BUILTINS: Record<string, Builtin> = {
  concat, final, fromBase64, fromJSON, join, open, rotate, secret, split, toBase64, toJSON, toString, validate,
};

/** Evaluates a builtin call (esc-language.md §9). @private */
export function evaluateBuiltin(env: BuiltinEnv, rt: RtExpr, def: Def): EvalValue {
  const x = rt.expr;
  if (x.kind !== "builtin") return unknownResult(def, undefined);
  const f = BUILTINS[x.args.fn];
  if (!f) return unknownResult(def, undefined);
  return f(env, { rt, name: x.name, args: x.args }, def);
}
