import type { Location } from "../diagnostic.js";
import type { BuiltinArgs, Expr } from "../expr.js";
import type { RtExpr } from "../rt-expr.js";
import type { Schema } from "../schema.js";
import type { Session } from "../session.js";
import type { Decrypter } from "../interfaces.js";
import { containsSecret, containsUnknown, mkUnknown, type Def, type EvalValue } from "../value.js";

/** What a builtin may do: evaluate sub-expressions, type-check, report. @private */
export interface BuiltinEnv {
  readonly session: Session;
  readonly environment: string;
  readonly isRoot: boolean;
  readonly decrypter?: Decrypter;
  readonly contextValue: EvalValue;
  evaluate(rt: RtExpr): EvalValue;
  /** Concrete/shape check (§12); reports messages; true when the value conforms. */
  check(v: EvalValue, schema: Schema | undefined): boolean;
  error(loc: Location | undefined, summary: string): void;
}

/** A builtin implementation. @private */
export type Builtin = (env: BuiltinEnv, call: BuiltinCall, def: Def) => EvalValue;

/** A builtin call being evaluated. @private */
export interface BuiltinCall {
  readonly rt: RtExpr;
  readonly name: string;
  readonly args: BuiltinArgs;
}

/** The declared sub-expression standing for `expr` inside the call's argument tree. */
export function findRt(root: RtExpr | undefined, expr: Expr | undefined): RtExpr | undefined {
  if (!root || !expr) return undefined;
  if (root.expr === expr) return root;
  for (const p of root.props?.values() ?? []) if (p.expr === expr) return p;
  for (const p of root.items ?? []) if (p.expr === expr) return p;
  return undefined;
}

/** Evaluates an argument and type-checks it. */
export function evalChecked(env: BuiltinEnv, rt: RtExpr, schema: Schema | undefined): { v: EvalValue; ok: boolean } {
  const v = env.evaluate(rt);
  return { v, ok: env.check(v, schema) };
}

/** Aggregate flags of arguments (§9 conventions, merged view). */
export function aggregate(...vs: Array<EvalValue | undefined>): { unknown: boolean; secret: boolean } {
  let unknown = false;
  let secret = false;
  for (const v of vs) {
    if (!v) continue;
    unknown ||= containsUnknown(v);
    secret ||= containsSecret(v);
  }
  return { unknown, secret };
}

/** An unknown builtin result of the given shape. */
export function unknownResult(def: Def, shape: Schema | undefined, secret = false): EvalValue {
  return mkUnknown(def, shape, { secret });
}

/** Reports an over-long produced string; true when the bound is exceeded. */
export function tooLong(env: BuiltinEnv, s: string, def: Def): boolean {
  if (s.length <= env.session.limits.maxStringLength) return false;
  env.error(def, `string exceeds the maximum length of ${env.session.limits.maxStringLength}`);
  return true;
}
