import type { ProviderContext } from "../interfaces.js";
import { exportValue, importValue, type Value } from "../public-value.js";
import { compileSchema, type Schema } from "../schema.js";
import { markProviderOutput } from "../secret-marking.js";
import type { Json } from "../json-text.js";
import { someDeep, type Def, type EvalValue } from "../value.js";
import { unknownResult, type BuiltinEnv } from "./builtin-env.js";

const compiled = new WeakMap<object, Map<string, Schema>>();

/** Compiles (and caches per provider object) one of its declared schemas; invalid schemas are reported. */
export function providerSchema(env: BuiltinEnv, owner: object, key: string, json: Json | undefined, def: Def): Schema {
  if (json === undefined) return true;
  let m = compiled.get(owner);
  if (!m) { m = new Map(); compiled.set(owner, m); }
  const hit = m.get(key);
  if (hit !== undefined) return hit;
  const r = compileSchema(json);
  if ("error" in r) {
    env.error(def, `internal error: invalid provider schema: ${r.error}`);
    return true;
  }
  m.set(key, r.schema);
  return r.schema;
}

/** A stable text of a value with its flags, used as part of memo keys. */
export function fingerprint(v: EvalValue | undefined): string {
  if (!v) return "-";
  return JSON.stringify(exportValue(v, false), (_k, x: unknown) => (typeof x === "symbol" ? undefined : x));
}

/** The context handed to providers and rotators. */
export function providerContext(env: BuiltinEnv, def?: Def): ProviderContext {
  return {
    environment: env.environment,
    rootEnvironment: env.session.rootName,
    context: exportValue(env.contextValue, false),
    signal: env.session.signal,
    ...(def === undefined ? {} : { path: def.path }),
  };
}

/**
 * Calls a provider operation through the round memo (§9.2 step 5–6). Returns the output (call as trace definition,
 * secret marking applied) or an unknown of the output shape when pending or failed.
 */
export function callProvider(env: BuiltinEnv, key: string, def: Def, shape: Schema, prefix: string, run: () => unknown): EvalValue {
  const s = env.session;
  const r = s.memo.get(key, run);
  if (r.state === "pending") {
    s.counters.pending++;
    return unknownResult(def, shape);
  }
  if (r.state === "error") {
    env.error(def, prefix + r.message);
    return unknownResult(def, shape);
  }
  return markProviderOutput(importValue(r.value, def));
}

/** True when the value holds an unknown that is not a rotate-only input (§14.4). */
export function hasObservableUnknown(v: EvalValue): boolean {
  return someDeep(v, (x) => x.unknown && !x.rotateOnly);
}

/** Exports inputs for a provider call. */
export function toInputs(v: EvalValue): Value {
  return exportValue(v, false);
}
