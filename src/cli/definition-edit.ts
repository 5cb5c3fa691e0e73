import { isDeepStrictEqual } from "node:util";
import { isMap, isScalar, isSeq, parseDocument, Scalar, stringify, type Document, type Node, type Pair, type YAMLMap } from "yaml";
import { CliError } from "./context.js";
import { formatValuePath, type ValuePath } from "./value-path.js";

/** How `env set` writes a value: as given, as `fn::secret`, or keeping an existing secret secret. */
export type SecretMode = "secret" | "plaintext" | "keep";

/**
 * Sets `values.PATH` in a definition, keeping the comments and layout of everything else.
 * A value that is currently `{fn::secret: …}` stays secret unless `mode` is "plaintext"; secrets
 * are strings (a number becomes its text). Throws a CliError when the definition does not parse,
 * the path crosses a scalar, or a secret would be a collection (exit 2).
 */
export function setDefinitionValue(definition: string, path: ValuePath, value: unknown, mode: SecretMode): string {
  const doc = load(definition);
  let full: (string | number)[] = ["values", ...path];
  const existing = doc.getIn(full, true);
  let node: unknown = value;
  if (mode === "secret") node = { "fn::secret": secretText(value, path) };
  else if (mode === "keep" && isSecretNode(existing)) {
    full = [...full, "fn::secret"];
    node = secretText(value, path);
  }
  const edited = editDocument(doc, full, node, path);
  return chooseText(definition, edited, spliceSet(definition, load(definition), full, node));
}

/** Deletes `values.PATH`; throws a CliError when there is no value there. */
export function deleteDefinitionValue(definition: string, path: ValuePath): string {
  const doc = load(definition);
  const full = ["values", ...path];
  let found = false;
  try {
    found = doc.hasIn(full);
  } catch {
    found = false;
  }
  if (!found) throw new CliError(`no value at values.${formatValuePath(path)}`);
  doc.deleteIn(full);
  return chooseText(definition, doc.toString(TO_STRING), spliceDelete(definition, load(definition), full));
}

const TO_STRING = { lineWidth: 0 } as const;

// The spliced text touches only the changed lines; it is used when it means the same as the
// re-printed document (which keeps comments but normalises spacing), else the re-print is.
function chooseText(source: string, reprinted: string, spliced: string | undefined): string {
  if (spliced === undefined) return reprinted;
  const a = parseDocument(spliced);
  if (a.errors.length > 0 || !isDeepStrictEqual(a.toJS(), parseDocument(reprinted).toJS())) return reprinted;
  return source === spliced ? source : spliced;
}

function load(definition: string): Document {
  // the unparsed Document type, so that new nodes may replace the parsed root
  const doc: Document = parseDocument(definition);
  if (doc.errors.length > 0) {
    throw new CliError(`the current definition does not parse (${doc.errors[0]?.message.split("\n")[0]}); fix it with \`openesc env edit\``);
  }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) doc.contents = doc.createNode({});
  if (!isMap(doc.contents)) throw new CliError("the current definition is not a mapping; fix it with `openesc env edit`");
  // `{}` (an empty environment) would keep new keys in flow style
  if (doc.contents.items.length === 0) doc.contents.flow = false;
  return doc;
}

function editDocument(doc: Document, full: (string | number)[], value: unknown, path: ValuePath): string {
  const existing = doc.getIn(full, true);
  for (let n = 1; n < full.length; n++) {
    const node = doc.getIn(full.slice(0, n), true);
    // an empty `{}` on the way would keep new keys in flow style
    if (isMap(node) && node.items.length === 0) node.flow = false;
    // an empty key (`values:` with nothing after it) becomes the mapping it is meant to be
    if (isScalar(node) && node.value === null && typeof full[n] === "string") doc.setIn(full.slice(0, n), doc.createNode({}));
  }
  // changing a scalar in place keeps its comment
  if (isScalar(existing) && !isObject(value)) {
    existing.value = value;
    // keep the old style where it still fits: multi-line text as a block, anything else as yaml chooses
    const multiline = typeof value === "string" && value.includes("\n");
    const block = existing.type === Scalar.BLOCK_LITERAL || existing.type === Scalar.BLOCK_FOLDED;
    if (multiline && !block) existing.type = Scalar.BLOCK_LITERAL;
    else if (!multiline && block) existing.type = undefined;
  }
  else {
    try {
      doc.setIn(full, doc.createNode(value));
    } catch {
      throw new CliError(`cannot set values.${formatValuePath(path)}: ${blocker(doc, full)} is not a mapping or sequence`);
    }
  }
  return doc.toString(TO_STRING);
}

function spliceSet(source: string, doc: Document, full: readonly (string | number)[], value: unknown): string | undefined {
  const existing = doc.getIn(full, true) as Node | undefined;
  if (existing !== undefined) {
    // a one-line scalar or flow collection (`{ciphertext: …}`) replaced by a one-line scalar:
    // only its text changes
    const oneLine = isScalar(existing) || ((isMap(existing) || isSeq(existing)) && existing.flow === true);
    if (!oneLine || isObject(value) || existing.range === undefined || existing.range === null) return undefined;
    const [start, end] = existing.range;
    const text = stringify(value, TO_STRING).replace(/\n$/, "");
    if (text.includes("\n") || source.slice(start, end).includes("\n")) return undefined;
    return source.slice(0, start) + text + source.slice(end);
  }
  // a new key: appended after the last entry of the deepest block mapping that exists
  let depth = full.length - 1;
  while (depth > 0 && doc.getIn(full.slice(0, depth), true) === undefined) depth--;
  const parent = (depth === 0 ? doc.contents : doc.getIn(full.slice(0, depth), true)) as Node | undefined;
  const rest = full.slice(depth);
  if (!isMap(parent) || parent.flow === true || parent.items.length === 0 || rest.some((k) => typeof k !== "string")) return undefined;
  const nested = rest.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
  return appendEntry(source, parent, stringify(nested, { ...TO_STRING, indent: indentOf(source) }));
}

function appendEntry(source: string, parent: YAMLMap, text: string): string | undefined {
  const first = parent.items[0] as Pair<Node, Node | null>;
  const last = parent.items[parent.items.length - 1] as Pair<Node, Node | null>;
  const keyStart = first.key?.range?.[0];
  const end = (last.value ?? last.key)?.range?.[1];
  if (keyStart === undefined || end === undefined) return undefined;
  const column = keyStart - (source.lastIndexOf("\n", keyStart - 1) + 1);
  if (source.slice(keyStart - column, keyStart).trim() !== "") return undefined;
  const at = lineEnd(source, end);
  const pad = " ".repeat(column);
  const lines = text.replace(/\n$/, "").split("\n").map((l) => (l === "" ? l : pad + l)).join("\n");
  const before = source.slice(0, at);
  return `${before}${before.endsWith("\n") || before === "" ? "" : "\n"}${lines}\n${source.slice(at)}`;
}

function spliceDelete(source: string, doc: Document, full: readonly (string | number)[]): string | undefined {
  const parent = doc.getIn(full.slice(0, -1), true);
  if (!isMap(parent) || parent.flow === true || parent.items.length < 2) return undefined;
  const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === full[full.length - 1]) as Pair<Node, Node | null> | undefined;
  const keyStart = pair?.key?.range?.[0];
  const end = (pair?.value ?? pair?.key)?.range?.[1];
  if (keyStart === undefined || end === undefined) return undefined;
  let from = source.lastIndexOf("\n", keyStart - 1) + 1;
  const indent = source.slice(from, keyStart);
  if (indent.trim() !== "") return undefined;
  // comment lines right above the entry, at its indentation, go with it
  for (;;) {
    const prev = source.lastIndexOf("\n", from - 2) + 1;
    if (from === 0 || !source.slice(prev, from - 1).startsWith(`${indent}#`)) break;
    from = prev;
  }
  return source.slice(0, from) + source.slice(lineEnd(source, end));
}

/** The offset just after the line holding `offset - 1` (after its comment and newline). */
function lineEnd(source: string, offset: number): number {
  if (offset > 0 && source[offset - 1] === "\n") return offset;
  const nl = source.indexOf("\n", offset);
  return nl < 0 ? source.length : nl + 1;
}

function indentOf(source: string): number {
  const m = /^( +)\S/m.exec(source);
  const n = m?.[1]?.length ?? 2;
  return n >= 2 && n <= 8 ? n : 2;
}

// `fn::secret` takes a string: scalars are written as their text, collections are refused
function secretText(value: unknown, path: ValuePath): string {
  if (isObject(value)) throw new CliError(`values.${formatValuePath(path)}: a secret must be a string, not a mapping or sequence`, 2);
  return value === null || value === undefined ? "" : String(value);
}

function isObject(value: unknown): boolean {
  return typeof value === "object" && value !== null;
}

function isSecretNode(node: unknown): boolean {
  return isMap(node) && node.items.length === 1 && isScalar(node.items[0]?.key) && node.items[0]?.key.value === "fn::secret";
}

function blocker(doc: Document, full: readonly (string | number)[]): string {
  for (let n = full.length - 1; n > 0; n--) {
    const node = doc.getIn(full.slice(0, n), true);
    if (node !== undefined && !isMap(node) && !isSeq(node)) return formatValuePath(full.slice(0, n));
  }
  return formatValuePath(full.slice(0, -1));
}
