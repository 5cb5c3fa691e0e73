import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, type Node as YamlNode } from "yaml";
import { errorAt, type Diagnostic } from "./diagnostic.js";
import { resolvePlainScalar } from "./number-format.js";
import { advance, createPositionMapper, type PositionMapper, type Range } from "./range.js";
import { childPath, type ObjectEntry, type StringNode, type SyntaxNode } from "./syntax.js";
import type { Limits } from "./limits.js";

/** The outcome of decoding a definition: a root node (absent when there is none) and fatal syntax diagnostics. */
export interface ParsedYaml {
  readonly root?: SyntaxNode;
  /** True when the input was zero bytes (an empty mapping, §1.1). */
  readonly empty: boolean;
  readonly diagnostics: readonly Diagnostic[];
}

const STR_TAG = "tag:yaml.org,2002:str";
const RESOLVED_TAGS = new Set(["tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"]);

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) { n += 4; i++; }
    else n += 3;
  }
  return n;
}

class TreeError extends Error {}

/**
 * Decodes YAML text into a positioned syntax tree (esc-language.md §1): first document only, scalars resolved
 * like go-yaml v3, aliases and non-string keys rejected. Never throws.
 */
export function parseYaml(text: string, environment: string, limits: Limits): ParsedYaml {
  if (text.length === 0) return { empty: true, diagnostics: [] };
  const byteLen = utf8Length(text);
  if (byteLen > limits.maxDocumentBytes) {
    return { empty: false, diagnostics: [errorAt(undefined, `definition exceeds the maximum size of ${limits.maxDocumentBytes} bytes`)] };
  }
  const mapper = createPositionMapper(text);
  let docs;
  try {
    docs = parseAllDocuments(text, { schema: "failsafe", uniqueKeys: false, merge: false, strict: false, prettyErrors: false });
  } catch (e) {
    return { empty: false, diagnostics: [errorAt(undefined, `yaml: ${e instanceof RangeError ? "document is nested too deeply" : String(e)}`)] };
  }
  const doc = Array.isArray(docs) ? docs[0] : undefined;
  if (doc === undefined) return { empty: false, diagnostics: [] };
  const first = doc.errors[0];
  if (first) {
    const line = mapper.position(first.pos[0]).line;
    const msg = first.message.split("\n")[0] as string;
    return { empty: false, diagnostics: [errorAt(undefined, `yaml: line ${line}: ${msg}`)] };
  }
  const diags: Diagnostic[] = [];
  const build = createBuilder(environment, mapper, limits, diags);
  if (doc.contents === null || doc.contents === undefined) return { empty: false, diagnostics: [] };
  try {
    const root = build(doc.contents as YamlNode, "", 0);
    return { root, empty: false, diagnostics: diags };
  } catch (e) {
    if (e instanceof TreeError) return { empty: false, diagnostics: diags };
    return { empty: false, diagnostics: [...diags, errorAt(undefined, "yaml: document is nested too deeply")] };
  }
}

type Build = (n: YamlNode, path: string, depth: number) => SyntaxNode;

function createBuilder(environment: string, mapper: PositionMapper, limits: Limits, diags: Diagnostic[]): Build {
  const rangeOf = (start: number, end: number): Range => ({ environment, begin: mapper.position(start), end: mapper.position(end) });
  const scalarRange = (start: number, value: string): Range => {
    const begin = mapper.position(start);
    return { environment, begin, end: advance(begin, utf8Length(value)) };
  };
  const fatal = (range: Range, path: string, summary: string): never => {
    diags.push(errorAt({ range, path }, summary));
    throw new TreeError(summary);
  };
  const build: Build = (n, path, depth) => {
    const r = n.range ?? [0, 0, 0];
    if (depth > limits.maxDepth) fatal(rangeOf(r[0], r[1]), path, `definition exceeds the maximum nesting depth of ${limits.maxDepth}`);
    if (isAlias(n)) return fatal(rangeOf(r[0], r[1]), path, "alias nodes are not supported");
    if (isScalar(n)) {
      const value = String(n.value ?? "");
      const range = scalarRange(r[0], value);
      const tag = n.tag;
      const quoted = n.type !== "PLAIN" && n.type !== undefined;
      if (tag === STR_TAG || (quoted && !(tag && RESOLVED_TAGS.has(tag)))) {
        return { kind: "string", value, subRanges: false, range, path };
      }
      const s = resolvePlainScalar(value);
      if (s.kind === "string") {
        const subRanges = n.type === "PLAIN" && !/[\r\n]/.test(value) && mapper.position(r[1]).line === range.begin.line;
        return { kind: "string", value, subRanges, range, path };
      }
      if (s.kind === "null") return { kind: "null", range, path };
      if (s.kind === "boolean") return { kind: "boolean", value: s.value, range, path };
      return { kind: "number", value: s.value, range, path };
    }
    if (isSeq(n)) {
      const items = n.items.map((item, i) => build(item as YamlNode, `${path}[${i}]`, depth + 1));
      return { kind: "array", items, range: spanOf(items, r[0]), path };
    }
    if (isMap(n)) {
      const entries: ObjectEntry[] = [];
      for (const pair of n.items) {
        const k = pair.key as YamlNode | null;
        let key: StringNode;
        if (k === null || k === undefined) {
          fatal(rangeOf(r[0], r[0]), path, "mapping keys must be strings");
        }
        const keyNode = build(k as YamlNode, path, depth + 1);
        if (keyNode.kind !== "string") return fatal(keyNode.range, path, "mapping keys must be strings");
        const cp = childPath(path, keyNode.value);
        key = { ...keyNode, path: cp };
        const v = pair.value as YamlNode | null;
        const value: SyntaxNode = v === null || v === undefined
          ? { kind: "null", range: { environment, begin: key.range.end, end: key.range.end }, path: cp }
          : build(v, cp, depth + 1);
        entries.push({ key, value });
      }
      const first = entries[0];
      const last = entries[entries.length - 1];
      const range: Range = first && last ? { environment, begin: first.key.range.begin, end: last.value.range.end } : rangeOf(r[0], r[0]);
      return { kind: "object", entries, range, path };
    }
    return fatal(rangeOf(r[0], r[1]), path, "unsupported YAML node");
  };
  const spanOf = (items: SyntaxNode[], start: number): Range => {
    const first = items[0];
    const last = items[items.length - 1];
    return first && last ? { environment, begin: first.range.begin, end: last.range.end } : rangeOf(start, start);
  };
  return build;
}
