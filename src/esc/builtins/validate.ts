import { jsonNumber, type Json } from "../json-text.js";
import { compileSchema, type Schema } from "../schema.js";
import { defOf } from "../rt-expr.js";
import { containsUnknown, keys, ownArray, property, type EvalValue } from "../value.js";
import { aggregate, findRt, unknownResult, type Builtin } from "./builtin-env.js";
import { META_SCHEMA } from "./meta-schema.js";
import { checkValue } from "../type-check.js";

/** The merged view of a known value as plain JSON (numbers as text). */
export function toJson(v: EvalValue): Json {
  switch (v.kind) {
    case "null": return null;
    case "boolean": return v.own as boolean;
    case "number": return jsonNumber(v.own as string);
    case "string": return v.own as string;
    case "array": return (ownArray(v) ?? []).map(toJson);
    case "object": {
      const o: Record<string, Json> = Object.create(null) as Record<string, Json>;
      for (const k of keys(v)) o[k] = toJson(property(v, k) as EvalValue);
      return o;
    }
  }
}

/** `fn::validate: {schema, value}` (esc-language.md §9.13). */
export const validate: Builtin = (env, call, def) => {
  const a = call.args;
  if (a.fn !== "validate" || !a.ok) return unknownResult(def, undefined);
  const schemaRt = findRt(call.rt.arg, a.schema);
  const valueRt = findRt(call.rt.arg, a.value);
  let schema: Schema | undefined;
  if (schemaRt) {
    const sv = env.evaluate(schemaRt);
    if (env.check(sv, META_SCHEMA) && !containsUnknown(sv)) {
      const r = compileSchema(toJson(sv));
      if ("error" in r) env.error(defOf(schemaRt), `invalid schema: ${r.error}`);
      else schema = r.schema;
    }
  }
  if (!valueRt) return unknownResult(def, undefined);
  const v = env.evaluate(valueRt);
  if (schema !== undefined) {
    const out: import("../diagnostic.js").Diagnostic[] = [];
    checkValue(v, schema, out);
    env.session.diagnostics.push(...out);
  }
  const f = aggregate(v);
  return { ...v, def, secret: f.secret, unknown: f.unknown };
};
