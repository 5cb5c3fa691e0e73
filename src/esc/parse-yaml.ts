import { parseAllDocuments, type Node as YamlNode } from "yaml";
import { errorAt, type Diagnostic } from "./diagnostic.js";
import { fastParseYaml, TOO_DEEP } from "./fast-yaml.js";
import type { Limits } from "./limits.js";
import { resolvePlainScalar } from "./number-format.js";
import { advance, createPositionMapper, type PositionMapper, type Range } from "./range.js";
import { fromYamlNode, type RawNode } from "./raw-yaml.js";
import { childPath, type ObjectEntry, type StringNode, type SyntaxNode } from "./syntax.js";

/** The outcome of decoding a definition: a root node (absent when there is none) and fatal syntax diagnostics. */
export interface ParsedYaml {
  readonly root?: SyntaxNode;
  /** True when the input was zero bytes (an empty mapping, §1.1). */
  readonly empty: boolean;
  readonly diagnostics: readonly Diagnostic[];
}

const STR_TAG = "tag:yaml.org,2002:str";
const RESOLVED_TAGS = new Set(["tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"]);

/** UTF-8 length of a string. */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff) { n += 2; i++; }
    else n += 2;
  }
  return n;
}

class TreeError extends Error {}

/** Options of {@link parseYaml}. */
export interface ParseYamlOptions {
  /** Use only the full `yaml` parser (no fast path). Default false. */
  readonly full?: boolean;
}

/**
 * Decodes YAML text into a positioned syntax tree (esc-language.md §1): first document only, scalars resolved
 * like go-yaml v3, aliases and non-string keys rejected. A fast parser handles the common subset; anything else goes
 * through the `yaml` package. Never throws.
 */
export function parseYaml(text: string, environment: string, limits: Limits, options: ParseYamlOptions = {}): ParsedYaml {
  if (text.length === 0) return { empty: true, diagnostics: [] };
  if (utf8Length(text) > limits.maxDocumentBytes) {
    return { empty: false, diagnostics: [errorAt(undefined, `definition exceeds the maximum size of ${limits.maxDocumentBytes} bytes`)] };
  }
  text = firstDocument(text);
  const mapper = createPositionMapper(text);
  let raw: RawNode | null | undefined;
  try {
    const fastRaw = options.full ? undefined : fastParseYaml(text, limits.maxDepth);
    if (fastRaw === TOO_DEEP) {
      return { empty: false, diagnostics: [errorAt(undefined, `definition exceeds the maximum nesting depth of ${limits.maxDepth}`)] };
    }
    raw = fastRaw;
  } catch {
    raw = undefined;
  }
  const fast = raw !== undefined;
  if (raw === undefined) {
    let docs;
    try {
      docs = parseAllDocuments(text, { schema: "failsafe", uniqueKeys: false, merge: false, strict: false, prettyErrors: false });
    } catch (e) {
      return { empty: false, diagnostics: [errorAt(undefined, `yaml: ${e instanceof RangeError ? "document is nested too deeply" : String(e)}`)] };
    }
    const doc = Array.isArray(docs) ? docs[0] : undefined;
    if (doc === undefined) return { empty: false, diagnostics: [] };
    const first = doc.errors[0];
    if (first) return { empty: false, diagnostics: [errorAt(undefined, yamlErrorText(text, mapper, first.pos[0], first.message))] };
    try {
      raw = doc.contents === null || doc.contents === undefined ? null : fromYamlNode(doc.contents as YamlNode);
    } catch {
      return { empty: false, diagnostics: [errorAt(undefined, "yaml: document is nested too deeply")] };
    }
  }
  if (raw === null) return { empty: false, diagnostics: [] };
  const diags: Diagnostic[] = [];
  const build = createBuilder(environment, mapper, limits, diags, fast);
  try {
    return { root: build(raw, "", 0), empty: false, diagnostics: diags };
  } catch (e) {
    if (e instanceof TreeError) return { empty: false, diagnostics: diags };
    return { empty: false, diagnostics: [...diags, errorAt(undefined, "yaml: document is nested too deeply")] };
  }
}

/**
 * The text of a YAML syntax error. An unterminated flow collection is worded as go-yaml words it, on the line where the
 * collection opened (`yaml: line 1: did not find expected ',' or ']'`); other errors keep the `yaml` package's text.
 */
function yamlErrorText(text: string, mapper: PositionMapper, offset: number, message: string): string {
  const m = message.split("\n")[0] as string;
  if (/end with a [\]}]|Expected a flow (sequence|mapping) end|Missing , or :|Unexpected end of flow/i.test(m) || /flow (sequence|collection|map)/i.test(m)) {
    const open = unclosedBracket(text, offset);
    if (open) return `yaml: line ${mapper.position(open.at).line}: did not find expected ',' or '${open.close}'`;
  }
  if (/^Nested mappings are not allowed in compact mappings/.test(m)) return `yaml: line ${mapper.position(offset).line}: mapping values are not allowed in this context`;
  return `yaml: line ${mapper.position(offset).line}: ${m}`;
}

/** The innermost flow bracket still open at `offset` (quotes and comments skipped), if any. */
function unclosedBracket(text: string, offset: number): { at: number; close: string } | undefined {
  const stack: Array<{ at: number; close: string }> = [];
  for (let i = 0; i < Math.min(offset + 1, text.length); i++) {
    const c = text[i];
    if (c === "#" && (i === 0 || /\s/.test(text[i - 1] as string))) { while (i < text.length && text[i] !== "\n") i++; continue; }
    if ((c === '"' || c === "'") && stack.length > 0) {
      for (i++; i < text.length && text[i] !== c; i++) if (c === '"' && text[i] === "\\") i++;
      continue;
    }
    if (c === "[") stack.push({ at: i, close: "]" });
    else if (c === "{") stack.push({ at: i, close: "}" });
    else if ((c === "]" || c === "}") && stack.length > 0) stack.pop();
  }
  return stack[stack.length - 1];
}

/**
 * The text of the first YAML document only (§1.1: later documents are ignored, even malformed ones): everything from
 * the first `---`/`...` marker line that follows content is cut.
 */
function firstDocument(text: string): string {
  if (!text.includes("\n---") && !text.includes("\n...")) return text;
  let start = 0;
  let seenContent = false;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    if (/^(---|\.\.\.)(\s|$)/.test(line)) {
      if (seenContent || line.startsWith("...")) return text.slice(0, start);
      if (line.trim() !== "---") seenContent = true; // `--- value` starts content on the marker line
    } else if (!/^\s*(#.*)?$/.test(line) && !line.startsWith("%")) seenContent = true;
    start = end + 1;
  }
  return text;
}

type Build = (n: RawNode, path: string, depth: number) => SyntaxNode;

function createBuilder(environment: string, mapper: PositionMapper, limits: Limits, diags: Diagnostic[], fast: boolean): Build {
  const rangeOf = (start: number, end: number): Range => ({ environment, begin: mapper.position(start), end: mapper.position(end) });
  const fatal = (range: Range, path: string, summary: string): never => {
    diags.push(errorAt({ range, path }, summary));
    throw new TreeError(summary);
  };
  const build: Build = (n, path, depth) => {
    if (depth > limits.maxDepth) fatal(rangeOf(n.start, n.start), path, `definition exceeds the maximum nesting depth of ${limits.maxDepth}`);
    switch (n.t) {
      case "alias": return fatal(rangeOf(n.start, n.end), path, "alias nodes are not supported");
      case "other": return fatal(rangeOf(n.start, n.end), path, "unsupported YAML node");
      case "scalar": {
        const value = n.value;
        const begin = mapper.position(n.start);
        const range: Range = { environment, begin, end: advance(begin, utf8Length(value)) };
        if (n.tag === STR_TAG || (n.style !== "plain" && !(n.tag && RESOLVED_TAGS.has(n.tag)))) {
          return { kind: "string", value, subRanges: false, range, path };
        }
        const s = resolvePlainScalar(value);
        if (s.kind === "string") {
          // The fast path only produces single-line plain scalars; the full parser folds multi-line ones.
          const subRanges = n.style === "plain" && (fast || (!/[\r\n]/.test(value) && mapper.position(n.end).line === begin.line));
          return { kind: "string", value, subRanges, range, path };
        }
        if (s.kind === "null") return { kind: "null", range, path };
        if (s.kind === "boolean") return { kind: "boolean", value: s.value, range, path };
        return { kind: "number", value: s.value, range, path };
      }
      case "seq": {
        const items = n.items.map((item, i) => build(item, `${path}[${i}]`, depth + 1));
        const first = items[0];
        const last = items[items.length - 1];
        return { kind: "array", items, range: first && last ? { environment, begin: first.range.begin, end: last.range.end } : rangeOf(n.start, n.start), path };
      }
      case "map": {
        const entries: ObjectEntry[] = [];
        for (const [k, v] of n.pairs) {
          if (k === null) return fatal(rangeOf(n.start, n.start), path, "mapping keys must be strings");
          const keyNode = build(k, path, depth + 1);
          if (keyNode.kind !== "string") return fatal(keyNode.range, path, "mapping keys must be strings");
          const cp = childPath(path, keyNode.value);
          (keyNode as { path: string }).path = cp; // the key node is fresh: give it the entry's path
          const key: StringNode = keyNode;
          const value: SyntaxNode = v === null
            ? { kind: "null", range: { environment, begin: key.range.end, end: key.range.end }, path: cp }
            : build(v, cp, depth + 1);
          entries.push({ key, value });
        }
        const first = entries[0];
        const last = entries[entries.length - 1];
        const range: Range = first && last ? { environment, begin: first.key.range.begin, end: last.value.range.end } : rangeOf(n.start, n.start);
        return { kind: "object", entries, range, path };
      }
    }
  };
  return build;
}
