import type { Rotator } from "../interfaces.js";
import { exportValue, importValue } from "../public-value.js";
import type { RtExpr } from "../rt-expr.js";
import { defOf } from "../rt-expr.js";
import type { Schema } from "../schema.js";
import { childPath } from "../syntax.js";
import { containsUnknown, mkUnknown, mkValue, type EvalValue } from "../value.js";
import { findRt, unknownResult, type BuiltinEnv, type Builtin } from "./builtin-env.js";
import { callProvider, fingerprint, hasObservableUnknown, providerContext, providerSchema, toInputs } from "./provider-call.js";

function rotateOnlyNames(s: Schema): ReadonlySet<string> {
  return new Set(typeof s === "object" ? s.rotateOnly ?? [] : []);
}

/** Evaluates rotator inputs, leaving rotate-only members unevaluated where §14.4 says so. */
function evaluateInputs(env: BuiltinEnv, rt: RtExpr, names: ReadonlySet<string>): EvalValue {
  const skip = !env.isRoot || (env.session.mode !== "rotate" && env.session.mode !== "check");
  if (names.size === 0 || !skip || rt.expr.kind !== "object" || !rt.props) return env.evaluate(rt);
  const own = new Map<string, EvalValue>();
  for (const [k, p] of rt.props) own.set(k, names.has(k) ? mkUnknown(defOf(p), undefined, { rotateOnly: true }) : env.evaluate(p));
  return mkValue("object", own, defOf(rt));
}

/** `fn::rotate` / `fn::rotate::NAME` (esc-language.md §9.3, §14.3–14.4). */
export const rotate: Builtin = (env, call, def) => {
  const a = call.args;
  if (a.fn !== "rotate") return unknownResult(def, undefined);
  let rotator: Rotator | undefined;
  if (a.provider !== undefined) {
    try {
      rotator = env.session.registry?.rotator(a.provider);
      if (!rotator) env.error(def, `unknown rotator ${JSON.stringify(a.provider)}`);
    } catch (e) {
      env.error(def, e instanceof Error ? e.message : String(e));
    }
  }
  const inSchema = rotator ? providerSchema(env, rotator, "input", rotator.inputSchema, def) : true;
  const stSchema = rotator ? providerSchema(env, rotator, "state", rotator.stateSchema, def) : true;
  const outSchema = rotator ? providerSchema(env, rotator, "output", rotator.outputSchema, def) : true;
  const inputsRt = findRt(call.rt.arg, a.inputs);
  const stateRt = a.state?.kind === "object" ? findRt(call.rt.arg, a.state) : undefined;
  const inputs = inputsRt ? evaluateInputs(env, inputsRt, rotateOnlyNames(inSchema)) : undefined;
  const inOk = inputs ? env.check(inputs, inSchema) : false;
  const state = stateRt ? env.evaluate(stateRt) : undefined;
  const stOk = state ? env.check(state, { oneOf: [stSchema, { type: "null" }] }) : true;
  const s = env.session;
  if (!a.ok || !rotator || !inputs || !inOk || hasObservableUnknown(inputs) || !stOk || (state && containsUnknown(state)) || s.mode === "check") {
    return unknownResult(def, outSchema);
  }
  const r = rotator;
  const base = `${env.environment}\0${def.path}\0${a.provider}\0${fingerprint(inputs)}`;
  let current = state;
  const selected = s.mode === "rotate" && env.isRoot && (!s.rotatePaths || s.rotatePaths.has(def.path));
  if (selected) {
    if (containsUnknown(inputs)) return unknownResult(def, outSchema);
    const cur = current;
    const key = `rotate\0${base}\0${fingerprint(cur)}`;
    const m = s.memo.get(key, () => r.rotate(toInputs(inputs), cur ? exportValue(cur, false) : undefined, providerContext(env)));
    if (m.state === "pending") { s.counters.pending++; return unknownResult(def, outSchema); }
    if (m.state === "error") { env.error(def, `rotate: ${m.message}`); return unknownResult(def, outSchema); }
    current = importValue(m.value, def);
    s.patches.push({ path: `${childPath(def.path, call.name)}.state`, replacement: exportValue(current, false) });
  }
  const st = current;
  const key = `rotator-open\0${base}\0${fingerprint(st)}`;
  return callProvider(env, key, def, outSchema, "", () => r.open(toInputs(inputs), st ? exportValue(st, false) : undefined, providerContext(env, def)));
};
