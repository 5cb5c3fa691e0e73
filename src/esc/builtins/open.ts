import type { Provider } from "../interfaces.js";
import { containsUnknown } from "../value.js";
import { findRt, unknownResult, type Builtin } from "./builtin-env.js";
import { callProvider, fingerprint, providerContext, providerSchema, toInputs } from "./provider-call.js";

/** `fn::open` / `fn::open::NAME` (esc-language.md §9.2). */
export const open: Builtin = (env, call, def) => {
  const a = call.args;
  if (a.fn !== "open") return unknownResult(def, undefined);
  let provider: Provider | undefined;
  if (a.provider !== undefined) {
    try {
      provider = env.session.registry?.provider(a.provider);
      if (!provider) env.error(def, `unknown provider ${JSON.stringify(a.provider)}`);
    } catch (e) {
      env.error(def, e instanceof Error ? e.message : String(e));
    }
  }
  const inSchema = provider ? providerSchema(env, provider, "input", provider.inputSchema, def) : true;
  const outSchema = provider ? providerSchema(env, provider, "output", provider.outputSchema, def) : true;
  const inputsRt = call.name.startsWith("fn::open::") ? call.rt.arg : findRt(call.rt.arg, a.inputs);
  const inputs = inputsRt ? env.evaluate(inputsRt) : undefined;
  const ok = inputs ? env.check(inputs, inSchema) : false;
  if (!a.ok || !provider || !inputs || !ok || containsUnknown(inputs) || env.session.mode === "check") {
    return unknownResult(def, outSchema);
  }
  if (inputs.kind !== "object") {
    env.error(def, "provider inputs must be an object");
    return unknownResult(def, outSchema);
  }
  const p = provider;
  const key = `open\0${env.environment}\0${def.path}\0${a.provider}\0${fingerprint(inputs)}`;
  return callProvider(env, key, def, outSchema, "", () => p.open(toInputs(inputs), providerContext(env, def)));
};
