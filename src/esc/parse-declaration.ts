import { errorAt, warningAt, type Diagnostic, type Location } from "./diagnostic.js";
import type { Declaration, ImportDecl, ObjectExprEntry } from "./expr.js";
import { parseExpr, type ParseSink } from "./parse-expr.js";
import { parseYaml } from "./parse-yaml.js";
import type { Limits } from "./limits.js";
import { fold, levenshtein } from "./spell.js";
import type { ObjectEntry, SyntaxNode } from "./syntax.js";

/** A parsed definition: its declaration (absent after fatal errors or for a rootless document) and diagnostics. */
export interface ParsedDefinition {
  readonly declaration?: Declaration;
  readonly diagnostics: readonly Diagnostic[];
}

const FIELDS = ["description", "imports", "values"] as const;

function at(node: SyntaxNode): Location {
  return { range: node.range, path: node.path };
}

function unknownFieldMessage(key: string): string {
  const fk = fold(key);
  const ranked = FIELDS.map((f, i) => ({ q: `'${f}'`, d: levenshtein(fk, fold(`'${f}'`)), i }))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .map((x) => x.q);
  return `Field '${key}' does not exist on Object 'environment'. Existing fields are: ${ranked.join(", ")}`;
}

/** Parses YAML text into a declaration (esc-language.md §1–§5). Never throws. */
export function parseDefinition(text: string, environment: string, limits: Limits): ParsedDefinition {
  const y = parseYaml(text, environment, limits);
  const empty: Declaration = { imports: [], values: [], environmentRefs: new Set() };
  if (y.diagnostics.length > 0) return { diagnostics: y.diagnostics };
  if (y.empty) return { declaration: empty, diagnostics: [] };
  const root = y.root;
  if (!root || root.kind !== "object") {
    return { diagnostics: [errorAt(root ? at(root) : undefined, "environment must be an object")] };
  }
  const sink: ParseSink = { diagnostics: [], environmentRefs: new Set() };
  const fields = new Map<string, ObjectEntry>();
  for (const e of root.entries) {
    const name = e.key.value.toLowerCase();
    if (!(FIELDS as readonly string[]).includes(name)) {
      sink.diagnostics.push(warningAt(at(e.key), unknownFieldMessage(e.key.value)));
      continue;
    }
    if (fields.has(name)) sink.diagnostics.push(warningAt(at(e.key), `duplicate key "${e.key.value}"`));
    fields.set(name, e);
  }
  let description: string | undefined;
  const d = fields.get("description");
  if (d) {
    if (d.value.kind === "string") description = d.value.value;
    else sink.diagnostics.push(errorAt(at(d.value), "description must be a string"));
  }
  const imports: ImportDecl[] = [];
  const im = fields.get("imports");
  if (im) {
    if (im.value.kind === "array") for (const item of im.value.items) parseImport(item, imports, sink);
    else sink.diagnostics.push(errorAt(at(im.value), "imports must be a list"));
  }
  const values: ObjectExprEntry[] = [];
  const v = fields.get("values");
  if (v) {
    if (v.value.kind === "object") {
      for (const e of v.value.entries) {
        if (e.key.value.startsWith("fn::")) {
          sink.diagnostics.push(errorAt(at(e.key), `builtin function call "${e.key.value}" not allowed at the top level`));
        }
        values.push({ key: e.key.value, keyNode: e.key, value: parseExpr(e.value, sink) });
      }
    } else sink.diagnostics.push(errorAt(at(v.value), "values must be an object"));
  }
  return {
    declaration: { imports, values, ...(v ? { valuesNode: v.value } : {}), ...(description !== undefined ? { description } : {}), environmentRefs: sink.environmentRefs },
    diagnostics: sink.diagnostics,
  };
}

function parseImport(item: SyntaxNode, out: ImportDecl[], sink: ParseSink): void {
  if (item.kind === "string") {
    out.push({ name: item.value, merge: true, node: item });
    return;
  }
  if (item.kind !== "object") {
    sink.diagnostics.push(errorAt(at(item), "import must be a string or an object"));
    return;
  }
  const only = item.entries.length === 1 ? item.entries[0] : undefined;
  if (!only) {
    sink.diagnostics.push(errorAt(at(item), "import must have a single key"));
    return;
  }
  let merge = true;
  if (only.value.kind !== "object") {
    sink.diagnostics.push(errorAt(at(item), "import must be an object"));
  } else {
    for (const o of only.value.entries) {
      if (o.key.value.toLowerCase() !== "merge") continue;
      if (o.value.kind === "boolean") merge = o.value.value;
      else sink.diagnostics.push(errorAt(at(item), "merge must be a boolean value"));
    }
  }
  out.push({ name: only.key.value, merge, node: item });
}
