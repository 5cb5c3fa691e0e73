import { errorAt, type Diagnostic, type Location } from "./diagnostic.js";
import { isBuiltinName, type BuiltinArgs, type Expr, type ObjectExprEntry } from "./expr.js";
import { scanString, type Accessor } from "./interpolation.js";
import { advance, displayWidth, type Position } from "./range.js";
import type { ObjectNode, StringNode, SyntaxNode } from "./syntax.js";

/** Where parse diagnostics and inline environment references are collected. */
export interface ParseSink {
  readonly diagnostics: Diagnostic[];
  readonly environmentRefs: Set<string>;
}

/** The location of bytes [start, end) of a string node: a sub-range for single-line plain scalars (§1.4). */
export function subLocation(node: StringNode, start: number, end: number): Location {
  if (!node.subRanges) return { range: node.range, path: node.path };
  const at = (offset: number): Position => {
    const b = node.range.begin;
    // eslint-disable-next-line no-control-regex
    if (!/[^\x00-\x7f]/.test(node.value)) return advance(b, offset);
    const prefix = decoder.decode(encoder.encode(node.value).subarray(0, offset));
    return { line: b.line, column: b.column + displayWidth(prefix), byte: b.byte + offset };
  };
  return { range: { environment: node.range.environment, begin: at(start), end: at(end) }, path: node.path };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function at(node: SyntaxNode): Location {
  return { range: node.range, path: node.path };
}

function noteEnvironmentRef(access: readonly Accessor[], sink: ParseSink): void {
  const [a, p, e] = access;
  if (!a || !p || !e || a.kind === "index" || a.name !== "environments") return;
  if (p.kind === "index" || e.kind === "index") return;
  sink.environmentRefs.add(`${p.name}/${e.name}`);
}

/** Parses a string node into a literal, a bare reference or an interpolation (§4.2). */
export function parseString(node: StringNode, sink: ParseSink): Expr {
  if (!node.value.includes("$")) return { kind: "string", node, value: node.value };
  const { parts, errors } = scanString(node.value);
  for (const e of errors) sink.diagnostics.push(errorAt(subLocation(node, e.start, e.end), e.summary));
  for (const p of parts) if (p.access) noteEnvironmentRef(p.access, sink);
  const first = parts[0];
  if (parts.length === 1 && first && !first.access) return { kind: "string", node, value: first.text };
  if (parts.length === 1 && first && first.access && first.text === "") return { kind: "symbol", node, access: first.access };
  return { kind: "interpolate", node, parts };
}

/** Parses any node under `values` into an expression, reporting parse-stage diagnostics (§4, §9 shapes). */
export function parseExpr(node: SyntaxNode, sink: ParseSink): Expr {
  switch (node.kind) {
    case "null": return { kind: "null", node };
    case "boolean": return { kind: "boolean", node, value: node.value };
    case "number": return { kind: "number", node, value: node.value };
    case "string": return parseString(node, sink);
    case "array": return { kind: "array", node, items: node.items.map((i) => parseExpr(i, sink)) };
    case "object": return parseObject(node, sink);
  }
}

function parseObject(node: ObjectNode, sink: ParseSink): Expr {
  const only = node.entries.length === 1 ? node.entries[0] : undefined;
  if (only && isBuiltinName(only.key.value)) {
    const arg = parseExpr(only.value, sink);
    const args = parseBuiltinArgs(only.key.value, arg, only.value, sink);
    return { kind: "builtin", node, name: only.key.value, nameNode: only.key, arg, args };
  }
  if (only && only.key.value.toLowerCase().startsWith("fn::")) {
    sink.diagnostics.push(errorAt(at(only.key), "'fn::' is a reserved prefix"));
  } else if (node.entries.length > 1) {
    for (const e of node.entries) {
      if (e.key.value.startsWith("fn::")) {
        sink.diagnostics.push(errorAt(at(node), `illegal call to builtin function: "${e.key.value}" must be the only key within its containing object`));
      }
    }
  }
  const entries: ObjectExprEntry[] = [];
  for (const e of node.entries) {
    const k = parseString(e.key, sink);
    if (k.kind !== "string") {
      sink.diagnostics.push(errorAt(at(e.key), "object keys must be strings"));
      continue;
    }
    entries.push({ key: k.value, keyNode: e.key, value: parseExpr(e.value, sink) });
  }
  return { kind: "object", node, entries };
}

function entryOf(arg: Expr, key: string): ObjectExprEntry | undefined {
  return arg.kind === "object" ? arg.entries.find((e) => e.key === key) : undefined;
}

function providerName(arg: Expr, sink: ParseSink): string | undefined {
  const p = entryOf(arg, "provider");
  if (!p) {
    sink.diagnostics.push(errorAt(at(arg.node), "missing provider name ('provider')"));
    return undefined;
  }
  if (p.value.kind !== "string") {
    sink.diagnostics.push(errorAt(at(p.value.node), "provider name must be a string literal"));
    return undefined;
  }
  return p.value.value;
}

function parseBuiltinArgs(name: string, arg: Expr, argNode: SyntaxNode, sink: ParseSink): BuiltinArgs {
  const fail = (summary: string): void => { sink.diagnostics.push(errorAt(at(argNode), summary)); };
  if (name.startsWith("fn::open")) {
    if (name.startsWith("fn::open::")) return { fn: "open", provider: name.slice("fn::open::".length), inputs: arg, ok: true };
    if (arg.kind !== "object") {
      fail("the argument to fn::open must be an object containing 'provider' and 'inputs'");
      return { fn: "open", ok: false };
    }
    const provider = providerName(arg, sink);
    const inputs = entryOf(arg, "inputs")?.value;
    if (!inputs) fail("missing provider inputs ('inputs')");
    return { fn: "open", ...(provider !== undefined ? { provider } : {}), ...(inputs ? { inputs } : {}), ok: provider !== undefined && inputs !== undefined };
  }
  if (name.startsWith("fn::rotate")) {
    const short = name.startsWith("fn::rotate::");
    if (arg.kind !== "object") {
      fail(short ? "the argument to fn::rotate must be an object containing 'inputs' and 'state'"
        : "the argument to fn::rotate must be an object containing 'provider', 'inputs' and 'state'");
      return { fn: "rotate", ok: false };
    }
    const provider = short ? name.slice("fn::rotate::".length) : providerName(arg, sink);
    const inputs = entryOf(arg, "inputs")?.value;
    if (!inputs) fail("missing provider inputs ('inputs')");
    const state = entryOf(arg, "state")?.value;
    let ok = provider !== undefined && inputs !== undefined;
    if (state && state.kind !== "object") {
      sink.diagnostics.push(errorAt(at(state.node), "rotation state must be an object literal"));
      ok = false;
    }
    return { fn: "rotate", ...(provider !== undefined ? { provider } : {}), ...(inputs ? { inputs } : {}), ...(state ? { state } : {}), ok };
  }
  switch (name) {
    case "fn::secret": {
      if (arg.kind === "string") return { fn: "secret", plaintext: { text: arg.value, node: arg.node } };
      const c = entryOf(arg, "ciphertext");
      if (arg.kind === "object" && arg.entries.length === 1 && c && c.value.kind === "string") return { fn: "secret", ciphertext: c.value.value };
      fail("secret values must be string literals");
      return { fn: "secret", plaintext: { text: "", node: argNode } };
    }
    case "fn::join":
    case "fn::split": {
      const fn = name === "fn::join" ? "join" : "split";
      if (arg.kind !== "array" || arg.items.length !== 2) {
        fail(`the argument to ${name} must be a two-valued list`);
        return { fn };
      }
      return { fn, first: arg.items[0] as Expr, second: arg.items[1] as Expr };
    }
    case "fn::concat":
      if (arg.kind !== "array") fail("the argument to fn::concat must be an array of arrays");
      return { fn: "concat" };
    case "fn::validate": {
      if (arg.kind !== "object") {
        fail("the argument to fn::validate must be an object containing 'schema' and 'value'");
        return { fn: "validate", ok: false };
      }
      const schema = entryOf(arg, "schema")?.value;
      const value = entryOf(arg, "value")?.value;
      if (!schema) fail("missing required property 'schema'");
      if (!value) fail("missing required property 'value'");
      return { fn: "validate", ...(schema ? { schema } : {}), ...(value ? { value } : {}), ok: true };
    }
    default:
      return { fn: name.slice(4) as "toJSON" };
  }
}
