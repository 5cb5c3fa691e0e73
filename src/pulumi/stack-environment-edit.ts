import { isMap, isScalar, isSeq, parseDocument, stringify, type Document, type Node, type YAMLSeq } from "yaml";

/** A stack file edit that cannot be made; the message says why. */
export class StackEditError extends Error {
  override readonly name = "StackEditError";
}

/** The environments a stack file imports: the `environment:` list, or the `imports:` of an inline definition. */
export function stackEnvironments(text: string): string[] {
  const doc = parseStack(text);
  const seq = importsSeq(doc);
  return seq === undefined ? [] : seq.items.map((item) => nameOf(item));
}

/**
 * Appends environments to the stack's imports, as `pulumi config env add` does, changing only the
 * lines it must: comments, quoting and layout of everything else stay as they were. Creates
 * `environment:` when the file has none, and `imports:` (first) in an inline definition without one.
 */
export function addStackEnvironments(text: string, names: readonly string[]): string {
  // like Pulumi's Environment.Append: no check for names already imported (importing twice is harmless)
  const expected = [...stackEnvironments(text), ...names];
  const spliced = spliceAdd(text, names);
  return verified(spliced, expected) ?? rewriteWith(text, expected);
}

/**
 * Removes one environment (its last occurrence) from the stack's imports, changing only its line (or
 * its entry in a flow list); when none is left, the list goes too: `environment:` itself for the list
 * form, `imports:` of an inline definition. A name that is not imported is refused.
 */
export function removeStackEnvironment(text: string, name: string): string {
  const before = stackEnvironments(text);
  // like Pulumi's Environment.Remove: the last occurrence goes
  const index = before.lastIndexOf(name);
  if (index < 0) throw new StackEditError(`environment "${name}" is not imported by the stack`);
  const expected = before.filter((_, i) => i !== index);
  const spliced = spliceRemove(text, index, expected.length === 0);
  return verified(spliced, expected) ?? rewriteWith(text, expected);
}

function parseStack(text: string): Document {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new StackEditError(`the stack file is not valid YAML: ${doc.errors[0]?.message.split("\n")[0] ?? ""}`);
  if (doc.contents !== null && !isMap(doc.contents)) throw new StackEditError("the stack file must be a mapping");
  return doc;
}

function importsSeq(doc: Document): YAMLSeq | undefined {
  const env = doc.get("environment", true) as Node | undefined;
  if (env === undefined || (isScalar(env) && env.value === null)) return undefined;
  if (isSeq(env)) return env;
  if (isMap(env)) {
    const imports = env.get("imports", true) as Node | undefined;
    if (imports === undefined || (isScalar(imports) && imports.value === null)) return undefined;
    if (isSeq(imports)) return imports;
  }
  throw new StackEditError("environment: must be a list of environment names or a definition with an imports: list");
}

function nameOf(item: unknown): string {
  if (isScalar(item) && typeof item.value === "string") return item.value;
  // `- name: {merge: false}` in an inline definition
  if (isMap(item) && item.items.length === 1 && isScalar(item.items[0]?.key)) return String(item.items[0].key.value);
  throw new StackEditError("environment: the imports must be environment names");
}

// A name as a YAML scalar: plain when that reads back as the same string, quoted otherwise.
function scalarText(name: string): string {
  return stringify(name).trimEnd();
}

function spliceAdd(text: string, names: readonly string[]): string | undefined {
  const doc = parseStack(text);
  const seq = importsSeq(doc);
  if (seq === undefined || seq.range === undefined || seq.range === null) {
    // no list yet: `environment:` (or its empty/null value) is replaced, or a new key is appended
    if (doc.get("environment", true) !== undefined) return undefined;
    const block = `environment:\n${names.map((n) => `  - ${scalarText(n)}\n`).join("")}`;
    if (text === "" || text.endsWith("\n")) return text + block;
    return `${text}\n${block}`;
  }
  if (seq.flow === true) {
    const [start, end] = seq.range;
    const last = seq.items[seq.items.length - 1] as Node | undefined;
    const added = names.map(scalarText).join(", ");
    if (last === undefined || last.range === undefined || last.range === null) {
      const close = text.lastIndexOf("]", end);
      if (close < start) return undefined;
      return `${text.slice(0, close)}${added}${text.slice(close)}`;
    }
    const at = last.range[1];
    return `${text.slice(0, at)}, ${added}${text.slice(at)}`;
  }
  const last = seq.items[seq.items.length - 1] as Node | undefined;
  if (last?.range === undefined || last.range === null) return undefined;
  const lineStart = text.lastIndexOf("\n", last.range[0] - 1) + 1;
  const dash = text.lastIndexOf("-", last.range[0] - 1);
  if (dash < lineStart) return undefined;
  const indent = text.slice(lineStart, dash);
  if (!/^ *$/.test(indent)) return undefined;
  const lineEnd = endOfLine(text, last.range[1]);
  const newline = text.slice(lineEnd, lineEnd + 1) === "\n" ? "" : "\n";
  const insert = `${newline}${names.map((n) => `${indent}- ${scalarText(n)}\n`).join("")}`;
  return text.slice(0, lineEnd + (newline === "" ? 1 : 0)) + insert + text.slice(lineEnd + (newline === "" ? 1 : 0));
}

function spliceRemove(text: string, index: number, removeKey: boolean): string | undefined {
  const doc = parseStack(text);
  if (removeKey) {
    // the whole `environment:` (list form) or `imports:` (inline) entry, from its key's line to where the next key starts
    const env = doc.get("environment", true);
    const map = isMap(env) ? env : doc.contents;
    const keyName = isMap(env) ? "imports" : "environment";
    if (!isMap(map)) return undefined;
    const i = map.items.findIndex((p) => isScalar(p.key) && p.key.value === keyName);
    const pair = map.items[i];
    const key = pair?.key as Node | undefined;
    if (key?.range === undefined || key.range === null) return undefined;
    const from = text.lastIndexOf("\n", key.range[0] - 1) + 1;
    const next = map.items[i + 1]?.key as Node | undefined;
    const value = pair?.value as Node | undefined;
    const to = next?.range != null ? text.lastIndexOf("\n", next.range[0] - 1) + 1 : value?.range != null ? endOfLine(text, value.range[2]) + 1 : text.length;
    return text.slice(0, from) + text.slice(Math.min(to, text.length));
  }
  const seq = importsSeq(doc);
  const item = seq?.items[index] as Node | undefined;
  if (seq === undefined || item?.range === undefined || item.range === null) return undefined;
  if (seq.flow === true) {
    const prev = seq.items[index - 1] as Node | undefined;
    const next = seq.items[index + 1] as Node | undefined;
    if (next?.range != null) return text.slice(0, item.range[0]) + text.slice(next.range[0]);
    if (prev?.range != null) return text.slice(0, prev.range[1]) + text.slice(item.range[1]);
    return undefined;
  }
  const from = text.lastIndexOf("\n", item.range[0] - 1) + 1;
  const to = endOfLine(text, item.range[1]);
  return text.slice(0, from) + text.slice(Math.min(to + 1, text.length));
}

// The index of the newline ending the line that holds `at` (text.length when there is none).
function endOfLine(text: string, at: number): number {
  const nl = text.indexOf("\n", Math.max(at - 1, 0));
  return nl < 0 ? text.length : nl;
}

// The spliced text, if it parses and lists exactly the expected names (else undefined: rewrite instead).
function verified(text: string | undefined, expected: readonly string[]): string | undefined {
  if (text === undefined) return undefined;
  try {
    const got = stackEnvironments(text);
    return got.length === expected.length && got.every((n, i) => n === expected[i]) ? text : undefined;
  } catch {
    return undefined;
  }
}

// The fallback for unusual layouts: the Document API (comments kept, layout normalised).
function rewriteWith(text: string, names: readonly string[]): string {
  const doc = parseStack(text);
  const env = doc.get("environment", true);
  if (isMap(env)) {
    if (names.length === 0) env.delete("imports");
    else if (env.has("imports")) env.set("imports", doc.createNode(names));
    else env.items.unshift(doc.createPair("imports", names));
  } else if (names.length === 0) {
    doc.delete("environment");
  } else {
    doc.set("environment", doc.createNode(names));
  }
  return doc.toString();
}
