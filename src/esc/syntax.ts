import type { Range } from "./range.js";

interface NodeBase {
  readonly range: Range;
  /** Document path (esc-language.md §1.5), e.g. `values.foo["fn::secret"]`. */
  readonly path: string;
}

/** A null scalar. */
export interface NullNode extends NodeBase { readonly kind: "null" }
/** A boolean scalar. */
export interface BooleanNode extends NodeBase { readonly kind: "boolean"; readonly value: boolean }
/** A number scalar, held as decimal text (§1.3). */
export interface NumberNode extends NodeBase { readonly kind: "number"; readonly value: string }
/** A string scalar. `subRanges` is true for single-line plain scalars, whose accessors get their own ranges. */
export interface StringNode extends NodeBase {
  readonly kind: "string";
  readonly value: string;
  readonly subRanges: boolean;
}
/** A sequence. */
export interface ArrayNode extends NodeBase { readonly kind: "array"; readonly items: readonly SyntaxNode[] }
/** One mapping entry; keys are always strings. */
export interface ObjectEntry { readonly key: StringNode; readonly value: SyntaxNode }
/** A mapping, entries in document order (duplicates kept). */
export interface ObjectNode extends NodeBase { readonly kind: "object"; readonly entries: readonly ObjectEntry[] }

/** A positioned YAML node (esc-language.md §1). */
export type SyntaxNode = NullNode | BooleanNode | NumberNode | StringNode | ArrayNode | ObjectNode;

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

const keyCache = new Map<string, string>();

/** Quotes a path key when it is not an identifier: `["…"]` with `"` escaped as `\"`. */
export function pathKey(key: string): string {
  let q = keyCache.get(key);
  if (q === undefined) {
    q = IDENT.test(key) ? `.${key}` : `["${key.replace(/"/g, '\\"')}"]`;
    if (keyCache.size < 10000) keyCache.set(key, q);
  }
  return q;
}

/** Joins a document path and a mapping key (§1.5). */
export function childPath(parent: string, key: string): string {
  const q = pathKey(key);
  if (parent === "") return q.startsWith(".") ? q.slice(1) : q;
  return parent + q;
}

/** Expression path for cycle messages (§1.5): first segment raw, empty keys add nothing. */
export function exprChildPath(parent: string, key: string): string {
  if (key === "") return parent;
  if (parent === "") return key;
  return parent + pathKey(key);
}
