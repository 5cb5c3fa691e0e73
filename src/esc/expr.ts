import type { Accessor, InterpolationPart } from "./interpolation.js";
import type { ArrayNode, ObjectNode, StringNode, SyntaxNode } from "./syntax.js";

/** The builtin function names of esc-language.md §4.3 (plus the `fn::open::`/`fn::rotate::` prefixes). */
export const BUILTIN_NAMES: ReadonlySet<string> = new Set([
  "fn::concat", "fn::final", "fn::fromBase64", "fn::fromJSON", "fn::join", "fn::open", "fn::rotate", "fn::secret",
  "fn::split", "fn::toBase64", "fn::toJSON", "fn::toString", "fn::validate",
]);

/** True when a single mapping key names a builtin call. */
export function isBuiltinName(key: string): boolean {
  return BUILTIN_NAMES.has(key) || key.startsWith("fn::open::") || key.startsWith("fn::rotate::");
}

/** An object literal entry. */
export interface ObjectExprEntry {
  readonly key: string;
  readonly keyNode: StringNode;
  readonly value: Expr;
}

/** Parsed, builtin-specific arguments (shape errors already reported). */
export type BuiltinArgs =
  | { readonly fn: "secret"; readonly plaintext?: { readonly text: string; readonly node: SyntaxNode }; readonly ciphertext?: string }
  | { readonly fn: "open"; readonly provider?: string; readonly inputs?: Expr; readonly ok: boolean }
  | { readonly fn: "rotate"; readonly provider?: string; readonly inputs?: Expr; readonly state?: Expr; readonly ok: boolean }
  | { readonly fn: "join" | "split"; readonly first?: Expr; readonly second?: Expr }
  | { readonly fn: "concat" | "toJSON" | "fromJSON" | "toBase64" | "fromBase64" | "toString" | "final" }
  | { readonly fn: "validate"; readonly schema?: Expr; readonly value?: Expr; readonly ok: boolean };

/** An ESC expression (esc-language.md §4). */
export type Expr =
  | { readonly kind: "null"; readonly node: SyntaxNode }
  | { readonly kind: "boolean"; readonly node: SyntaxNode; readonly value: boolean }
  | { readonly kind: "number"; readonly node: SyntaxNode; readonly value: string }
  | { readonly kind: "string"; readonly node: SyntaxNode; readonly value: string }
  | { readonly kind: "interpolate"; readonly node: StringNode; readonly parts: readonly InterpolationPart[] }
  | { readonly kind: "symbol"; readonly node: StringNode; readonly access: readonly Accessor[] }
  | { readonly kind: "array"; readonly node: ArrayNode; readonly items: readonly Expr[] }
  | { readonly kind: "object"; readonly node: ObjectNode; readonly entries: readonly ObjectExprEntry[] }
  | {
    readonly kind: "builtin";
    readonly node: ObjectNode;
    readonly name: string;
    readonly nameNode: StringNode;
    readonly arg: Expr;
    readonly args: BuiltinArgs;
  };

/** One entry of `imports` (§3.1). */
export interface ImportDecl {
  readonly name: string;
  readonly merge: boolean;
  readonly node: SyntaxNode;
}

/** A parsed definition (§2): imports, top-level value entries (keys raw), description. */
export interface Declaration {
  readonly imports: readonly ImportDecl[];
  readonly values: readonly ObjectExprEntry[];
  readonly valuesNode?: SyntaxNode;
  readonly description?: string;
  /** `PROJECT/ENV` names referenced inline through `${environments.PROJECT.ENV…}` (§6.6). */
  readonly environmentRefs: ReadonlySet<string>;
}
