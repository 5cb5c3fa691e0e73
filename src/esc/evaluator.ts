/**
 * The evaluator's core loop for one environment (esc-language.md §3, §6–§8): merge the imports, declare the values as
 * expressions that know the imported value at their position, then evaluate them on demand (memoised, cycle-checked)
 * in byte order. References walk object and array literals without evaluating their siblings and continue into
 * imported bases; builtins live in `builtins/`. One cohesive pipeline, hence one longer file.
 */
import { errorAt, warningAt, type Location } from "./diagnostic.js";
import type { Declaration, Expr } from "./expr.js";
import type { Accessor } from "./interpolation.js";
import type { Decrypter } from "./interfaces.js";
import { subLocation } from "./parse-expr.js";
import { importValue, isValue } from "./public-value.js";
import { emptyRange } from "./range.js";
import { defOf, pathOf, rtExpr, type RtExpr } from "./rt-expr.js";
import type { Schema } from "./schema.js";
import type { EnvResult, Session } from "./session.js";
import { didYouMean, sortKeys } from "./spell.js";
import type { StringNode } from "./syntax.js";
import { stringify } from "./to-string.js";
import { checkValue } from "./type-check.js";
import { attachBase, mkBased, mkString, mkUnknown, mkValue, ownArray, ownMap, property, weight, type Def, type EvalValue } from "./value.js";
import { evaluateBuiltin, type BuiltinEnv } from "./builtins/index.js";

const RESERVED = new Set(["imports", "context", "environments"]);
const STRING_SHAPE: Schema = { type: "string" };

/** Options for evaluating one environment. @private */
export interface EnvOptions {
  readonly name: string;
  readonly declaration: Declaration;
  readonly isRoot: boolean;
  readonly depth: number;
  readonly decrypter?: Decrypter;
  /** The root name seen by this environment and its imports (§15). */
  readonly rootName: string;
  /** Loads (or finds cached) an imported environment; reports its own diagnostics. */
  readonly load: (name: string, loc: Location, depth: number, rootName: string) => EnvResult | undefined;
}

/** Evaluates one environment: imports, then every value in byte order (esc-language.md §3, §6). @private */
export function evaluateEnv(session: Session, o: EnvOptions): EnvResult {
  const env = o.name;
  const docDef = (path: string): Def => ({ range: emptyRange(env), path });
  const error = (loc: Location | undefined, summary: string): void => { session.diagnostics.push(errorAt(loc, summary)); };
  const contextValue = buildContext(session, env, o.rootName, error);

  // Imports (§3.3–3.5).
  let base: EvalValue | undefined;
  const importsMap = new Map<string, EvalValue>();
  const childRoot = env === "<yaml>" && o.isRoot ? undefined : o.rootName;
  for (const imp of o.declaration.imports) {
    const r = o.load(imp.name, { range: imp.node.range, path: imp.node.path }, o.depth + 1, childRoot ?? imp.name);
    if (!r) continue;
    const iv = r.value ?? mkValue("object", new Map(), docDef(""));
    importsMap.set(imp.name, iv);
    if (imp.merge) base = attachBase(iv, base);
  }
  const importsValue = mkValue("object", importsMap, docDef("imports"));
  if (o.declaration.values.length === 0 && o.declaration.imports.length === 0) return { context: contextValue };

  // Declaration (§2, §4.4, §8).
  const declare = (expr: Expr, parent: RtExpr | undefined, seg: string | number, b: EvalValue | undefined): RtExpr => {
    switch (expr.kind) {
      case "object": {
        const props = new Map<string, RtExpr>();
        const rt = rtExpr(expr, parent, seg, b, props, undefined, undefined);
        for (const e of expr.entries) {
          if (props.has(e.key)) { error({ range: e.keyNode.range, path: e.keyNode.path }, `duplicate key "${e.key}"`); continue; }
          props.set(e.key, declare(e.value, rt, e.key, b === undefined ? undefined : property(b, e.key)));
        }
        return rt;
      }
      case "array": {
        const items: RtExpr[] = [];
        const rt = rtExpr(expr, parent, seg, b, undefined, items, undefined);
        expr.items.forEach((e, i) => items.push(declare(e, rt, i, undefined)));
        return rt;
      }
      case "builtin":
        return rtExpr(expr, parent, seg, b, undefined, undefined, declare(expr.arg, undefined, "", undefined));
      default:
        return rtExpr(expr, parent, seg, b, undefined, undefined, undefined);
    }
  };
  const rootProps = new Map<string, RtExpr>();
  for (const e of o.declaration.values) {
    const loc = { range: e.keyNode.range, path: e.keyNode.path };
    if (RESERVED.has(e.key)) { error(loc, `"${e.key}" is a reserved key`); continue; }
    if (rootProps.has(e.key)) { error(loc, `duplicate key "${e.key}"`); continue; }
    rootProps.set(e.key, declare(e.value, undefined, e.key, base === undefined ? undefined : property(base, e.key)));
  }
  const valuesNode = o.declaration.valuesNode;
  const rootDef: Def = valuesNode ? { range: valuesNode.range, path: valuesNode.path } : docDef("values");
  const rootExpr: Expr = valuesNode?.kind === "object"
    ? { kind: "object", node: valuesNode, entries: [] }
    : { kind: "object", node: { kind: "object", entries: [], range: rootDef.range, path: "values" }, entries: [] };
  const root: RtExpr = rtExpr(rootExpr, undefined, "", base, rootProps, undefined, undefined);

  let depth = 0;
  let ticks = 0;

  const evaluateExpr = (rt: RtExpr): EvalValue => {
    if (rt.state === 2) return rt.value as EvalValue;
    const def = defOf(rt);
    if (rt.state === 1) {
      error(def, `cyclic reference to ${pathOf(rt)}`);
      return mkUnknown(def);
    }
    if ((++ticks & 255) === 0 && !session.counters.timedOut && Date.now() > session.deadline) {
      session.counters.timedOut = true;
      error(undefined, `evaluation exceeded the time limit of ${session.limits.maxEvaluationMs} ms`);
    }
    if (session.counters.timedOut) return mkUnknown(def);
    if (++session.counters.values > session.limits.maxValues) {
      if (!session.counters.valuesExceeded) error(def, `evaluation exceeds the maximum of ${session.limits.maxValues} values`);
      session.counters.valuesExceeded = true;
      return mkUnknown(def);
    }
    if (depth >= session.limits.maxInterpolationDepth) {
      error(def, `references are nested more than ${session.limits.maxInterpolationDepth} levels deep`);
      return mkUnknown(def);
    }
    if (rt.base?.final) {
      session.diagnostics.push(warningAt(def, "cannot override final value"));
      rt.state = 2;
      rt.value = rt.base;
      return rt.base;
    }
    rt.state = 1;
    depth++;
    let v: EvalValue;
    try {
      v = evaluateInner(rt, def);
    } finally {
      depth--;
    }
    rt.state = 2;
    rt.value = v;
    return v;
  };

  const withBase = (rt: RtExpr, v: EvalValue): EvalValue => (rt.base ? attachBase(v, rt.base) : v);

  // A reference copies its target: count the copy's nodes against the value bound, so repeated references cannot
  // build an exponentially large result.
  const tooHeavy = (target: EvalValue, def: Def): boolean => {
    const w = weight(target);
    if (w <= 1) return false;
    session.counters.values += w - 1;
    if (session.counters.values <= session.limits.maxValues) return false;
    if (!session.counters.valuesExceeded) error(def, `evaluation exceeds the maximum of ${session.limits.maxValues} values`);
    session.counters.valuesExceeded = true;
    return true;
  };

  const evaluateInner = (rt: RtExpr, def: Def): EvalValue => {
    const x = rt.expr;
    const b = rt.base;
    switch (x.kind) {
      case "null": return mkBased("null", null, def, b);
      case "boolean": return mkBased("boolean", x.value, def, b);
      case "number": return mkBased("number", x.value, def, b);
      case "string": return mkBased("string", x.value, def, b);
      case "array": return mkBased("array", (rt.items ?? []).map(evaluateExpr), def, b);
      case "object": {
        const own = new Map<string, EvalValue>();
        for (const [k, p] of rt.props ?? []) own.set(k, evaluateExpr(p));
        return mkBased("object", own, def, b);
      }
      case "symbol": {
        const target = resolve(x.node, x.access);
        if (target && tooHeavy(target, def)) return withBase(rt, mkUnknown(def));
        return withBase(rt, target ? { ...target, def } : mkUnknown(def));
      }
      case "interpolate": {
        let text = "";
        let unknown = false;
        let secret = false;
        let tooLong = false;
        for (const part of x.parts) {
          text += part.text;
          if (!part.access) continue;
          const target = resolve(x.node, part.access);
          if (!target) { unknown = true; continue; }
          const s = stringify(target, { maxLength: session.limits.maxStringLength });
          if (s.tooLong) { tooLong = true; break; }
          text += s.text;
          unknown ||= s.unknown;
          secret ||= s.secret;
        }
        if (tooLong || text.length > session.limits.maxStringLength) {
          error(def, `string exceeds the maximum length of ${session.limits.maxStringLength}`);
          return withBase(rt, mkUnknown(def, STRING_SHAPE, { secret }));
        }
        if (unknown) return withBase(rt, mkString("[unknown]", def, { unknown: true, secret, shape: STRING_SHAPE }));
        return withBase(rt, mkString(text, def, { secret }));
      }
      case "builtin":
        return withBase(rt, evaluateBuiltin(builtinEnv, rt, def));
    }
  };

  // Property access (§6.1–6.3).
  let node: StringNode;
  let access: readonly Accessor[];
  const loc = (i: number): Location => {
    const a = access[i] as Accessor;
    return subLocation(node, a.start, a.end);
  };
  const unknownProperty = (i: number, key: string, candidates: Iterable<string>): undefined => {
    const c = didYouMean(key, candidates);
    error(loc(i), `unknown property ${JSON.stringify(key)}${c !== undefined ? `; did you mean ${JSON.stringify(c)}?` : ""}`);
    return undefined;
  };
  const walkShape = (v: EvalValue, i: number): EvalValue | undefined => {
    let shape: Schema | undefined = v.own === undefined ? v.shape : undefined;
    for (; i < access.length; i++) {
      const a = access[i] as Accessor;
      while (shape && typeof shape === "object" && shape.ref !== undefined && shape.type === undefined) shape = shape.ref;
      if (shape === undefined || typeof shape === "boolean") { shape = undefined; break; }
      if (shape.type === undefined && (shape.anyOf || shape.oneOf)) { error(loc(i), "receiver must be an array or an object"); return undefined; }
      if (shape.type === "object") {
        if (a.kind === "index") { error(loc(i), "cannot access an object property using an integer index"); return undefined; }
        shape = shape.properties?.[a.name] ?? shape.additionalProperties;
      } else if (shape.type === "array") {
        if (a.kind !== "index") { error(loc(i), "cannot access an array element using a property name"); return undefined; }
        if (a.index < 0) { error(loc(i), "array indices must not be negative"); return undefined; }
        const tuple = shape.prefixItems;
        if (tuple && shape.items === false && a.index >= tuple.length) {
          error(loc(i), `array index ${a.index} out-of-bounds for array of length ${tuple.length}`);
          return undefined;
        }
        shape = tuple?.[a.index] ?? shape.items;
      } else if (shape.type !== undefined) {
        error(loc(i), "receiver must be an array or an object");
        return undefined;
      } else shape = undefined;
    }
    return mkUnknown(v.def, shape, { secret: v.secret });
  };
  const walkValue = (start: EvalValue, i0: number): EvalValue | undefined => {
    let v = start;
    for (let i = i0; i < access.length; i++) {
      const a = access[i] as Accessor;
      if (v.unknown) return walkShape(v, i);
      if (v.kind === "object") {
        if (a.kind === "index") { error(loc(i), "cannot access an object property using an integer index"); return undefined; }
        let cur: EvalValue = v;
        for (;;) {
          const m = ownMap(cur) as ReadonlyMap<string, EvalValue>;
          const p = m.get(a.name);
          if (p) { v = p; break; }
          const nb = cur.base;
          if (nb && isLookupBase(nb)) {
            if (nb.unknown) return nb.own === undefined ? walkShape(nb, i) : mkUnknown(nb.def);
            cur = nb;
            continue;
          }
          return unknownProperty(i, a.name, m.keys());
        }
        continue;
      }
      if (v.kind === "array") {
        const arr = ownArray(v) as readonly EvalValue[];
        if (a.kind !== "index") { error(loc(i), "cannot access an array element using a property name"); return undefined; }
        if (a.index < 0) { error(loc(i), "array indices must not be negative"); return undefined; }
        if (a.index >= arr.length) { error(loc(i), `array index ${a.index} out-of-bounds for array of length ${arr.length}`); return undefined; }
        v = arr[a.index] as EvalValue;
        continue;
      }
      error(loc(i), "receiver must be an array or an object");
      return undefined;
    }
    return v;
  };
  const walkExpr = (start: RtExpr, i0: number): EvalValue | undefined => {
    let rt = start;
    for (let i = i0; i < access.length; i++) {
      const a = access[i] as Accessor;
      const x = rt.expr;
      if (x.kind === "object" && rt.props) {
        if (a.kind === "index") { error(loc(i), "cannot access an object property using an integer index"); return undefined; }
        const p = rt.props.get(a.name);
        if (p) { rt = p; continue; }
        const b = rt.base;
        if (b && isLookupBase(b)) return walkValue(b, i);
        return unknownProperty(i, a.name, rt.props.keys());
      }
      if (x.kind === "array" && rt.items) {
        if (a.kind !== "index") { error(loc(i), "cannot access an array element using a property name"); return undefined; }
        if (a.index < 0) { error(loc(i), "array indices must not be negative"); return undefined; }
        if (a.index >= rt.items.length) { error(loc(i), `array index ${a.index} out-of-bounds for array of length ${rt.items.length}`); return undefined; }
        rt = rt.items[a.index] as RtExpr;
        continue;
      }
      if (x.kind === "builtin" && x.args.fn === "secret") {
        if (x.args.ciphertext !== undefined) { error({ range: node.range, path: node.path }, "internal error: no receiver"); return undefined; }
        error(loc(i), "receiver must be an array or an object");
        return undefined;
      }
      return walkValue(evaluateExpr(rt), i);
    }
    return evaluateExpr(rt);
  };
  const resolve = (n: StringNode, acc: readonly Accessor[]): EvalValue | undefined => {
    const first = acc[0];
    if (!first) return undefined;
    const saved = [node, access] as const;
    node = n;
    access = acc;
    try {
      return resolveCurrent(first);
    } finally {
      [node, access] = saved;
    }
  };
  const resolveCurrent = (first: Accessor): EvalValue | undefined => {
    if (first.kind !== "index") {
      if (first.name === "imports") return walkValue(importsValue, 1);
      if (first.name === "context") return walkValue(contextValue, 1);
      if (first.name === "environments") {
        const p = access[1];
        const e = access[2];
        if (!p || !e) return undefined;
        if (p.kind === "index") { error(loc(1), "cannot access an object property using an integer index"); return undefined; }
        if (e.kind === "index") { error(loc(2), "cannot access an object property using an integer index"); return undefined; }
        const name = `${p.name}/${e.name}`;
        const r = o.load(name, { range: node.range, path: node.path }, o.depth + 1, childRoot ?? name);
        if (!r) return undefined;
        return walkValue(r.value ?? mkValue("object", new Map(), docDef("")), 3);
      }
    }
    return walkExpr(root, 0);
  };

  const builtinEnv: BuiltinEnv = {
    session,
    environment: env,
    isRoot: o.isRoot,
    ...(o.decrypter ? { decrypter: o.decrypter } : {}),
    contextValue,
    evaluate: evaluateExpr,
    check: (v, s) => {
      const out: import("./diagnostic.js").Diagnostic[] = [];
      const ok = checkValue(v, s, out);
      session.diagnostics.push(...out);
      return ok;
    },
    error,
  };

  for (const k of sortKeys(rootProps.keys())) evaluateExpr(rootProps.get(k) as RtExpr);
  const own = new Map<string, EvalValue>();
  for (const [k, p] of rootProps) own.set(k, evaluateExpr(p));
  return { value: mkValue("object", own, rootDef, base ? { base } : {}), context: contextValue };
}

/**
 * True when a property lookup that misses continues in this base (§6.2): a known object, or an unknown whose shape is
 * "anything" or object-typed.
 */
function isLookupBase(b: EvalValue): boolean {
  if (!b.unknown) return b.kind === "object";
  if (b.own !== undefined) return b.kind === "object";
  const s = b.shape;
  return s === undefined || s === true || (typeof s === "object" && (s.type === "object" || (s.type === undefined && !s.anyOf && !s.oneOf)));
}

function buildContext(session: Session, env: string, rootName: string, error: (l: Location | undefined, s: string) => void): EvalValue {
  const def: Def = { range: emptyRange(env), path: "context" };
  const m = new Map<string, EvalValue>();
  for (const [k, v] of Object.entries(session.hostContext)) {
    if (k === "currentEnvironment" || k === "rootEnvironment") {
      if (env === session.rootName) error(undefined, `reserved context key: ${JSON.stringify(k)}`);
      continue;
    }
    const iv = importValue(v, def);
    // Upstream drops the host flags of top-level context entries (§15).
    m.set(k, isValue(v) ? { ...iv, secret: false } : iv);
  }
  const nameObj = (n: string): EvalValue => mkValue("object", new Map([["name", mkString(n, def)]]), def);
  m.set("currentEnvironment", nameObj(env));
  m.set("rootEnvironment", nameObj(rootName));
  return mkValue("object", m, def);
}
