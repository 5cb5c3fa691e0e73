import { isAlias, isMap, isScalar, isSeq, type Node as YamlNode } from "yaml";

/** A YAML node before scalar resolution, with UTF-16 offsets into the source. @private */
export type RawNode =
  | { readonly t: "scalar"; readonly style: "plain" | "quoted" | "block"; readonly value: string; readonly start: number; readonly end: number; readonly tag?: string }
  | { readonly t: "map"; readonly start: number; readonly pairs: ReadonlyArray<readonly [RawNode | null, RawNode | null]> }
  | { readonly t: "seq"; readonly start: number; readonly items: readonly RawNode[] }
  | { readonly t: "alias"; readonly start: number; readonly end: number }
  | { readonly t: "other"; readonly start: number; readonly end: number };

/** Converts a node of the `yaml` package to a {@link RawNode}. */
export function fromYamlNode(n: YamlNode): RawNode {
  const r = n.range ?? [0, 0, 0];
  if (isAlias(n)) return { t: "alias", start: r[0], end: r[1] };
  if (isScalar(n)) {
    const style = n.type === "PLAIN" || n.type === undefined ? "plain" : n.type === "BLOCK_LITERAL" || n.type === "BLOCK_FOLDED" ? "block" : "quoted";
    return { t: "scalar", style, value: String(n.value ?? ""), start: r[0], end: r[1], ...(n.tag ? { tag: n.tag } : {}) };
  }
  if (isSeq(n)) return { t: "seq", start: r[0], items: n.items.map((i) => fromYamlNode(i as YamlNode)) };
  if (isMap(n)) {
    return {
      t: "map",
      start: r[0],
      pairs: n.items.map((p) => [p.key ? fromYamlNode(p.key as YamlNode) : null, p.value ? fromYamlNode(p.value as YamlNode) : null] as const),
    };
  }
  return { t: "other", start: r[0], end: r[1] };
}
