import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "./limits.js";
import { parseYaml } from "./parse-yaml.js";
import type { SyntaxNode } from "./syntax.js";

const root = (t: string): SyntaxNode => {
  const r = parseYaml(t, "e", DEFAULT_LIMITS);
  if (!r.root) throw new Error(JSON.stringify(r.diagnostics));
  return r.root;
};
const entry = (n: SyntaxNode, k: string): SyntaxNode => {
  if (n.kind !== "object") throw new Error("not an object");
  const e = n.entries.find((x) => x.key.value === k);
  if (!e) throw new Error(`no ${k}`);
  return e.value;
};

describe("parseYaml (esc-language.md §1)", () => {
  it("gives every node a range and a document path", () => {
    const r = root("values:\n  foo: [1, {a: b}]\n  \"quoted \\\"property\\\"\": x\n");
    const values = entry(r, "values");
    expect(values.range.begin).toEqual({ line: 2, column: 3, byte: 10 });
    const foo = entry(values, "foo");
    expect(foo.path).toBe("values.foo");
    expect(foo.kind === "array" && foo.items[1]?.path).toBe("values.foo[1]");
    expect(foo.range).toEqual({ environment: "e", begin: { line: 2, column: 9, byte: 16 }, end: { line: 2, column: 17, byte: 24 } });
    expect(entry(values, 'quoted "property"').path).toBe('values["quoted \\"property\\""]');
  });

  it("ends a scalar at its start plus the byte length of the decoded value", () => {
    const r = root("a: \"x\\ty\"\nb: héllo\n");
    expect(entry(r, "a").range.end).toEqual({ line: 1, column: 7, byte: 6 });
    expect(entry(r, "b").range).toEqual({ environment: "e", begin: { line: 2, column: 4, byte: 13 }, end: { line: 2, column: 10, byte: 19 } });
  });

  it("counts columns in characters on non-ASCII lines", () => {
    const r = root("é: [x, y]\n");
    const v = entry(r, "é");
    expect(v.kind === "array" && v.items[1]?.range.begin).toEqual({ line: 1, column: 8, byte: 8 });
  });

  it("marks only single-line plain strings as having sub-ranges", () => {
    const r = root("a: x\nb: 'x'\nc: |\n  x\nd: x\n  y\n");
    const sub = (k: string): boolean => { const n = entry(r, k); return n.kind === "string" && n.subRanges; };
    expect([sub("a"), sub("b"), sub("c"), sub("d")]).toEqual([true, false, false, false]);
  });

  it("honours explicit tags and quoting", () => {
    const r = root("a: !!str 42\nb: '42'\nc: !!int '7'\nd: 42\n");
    expect(["a", "b", "c", "d"].map((k) => entry(r, k).kind)).toEqual(["string", "string", "number", "number"]);
  });

  it("reads only the first document and treats zero bytes as an empty mapping", () => {
    expect(entry(root("a: 1\n---\nb: 2\n"), "a").kind).toBe("number");
    expect(parseYaml("", "e", DEFAULT_LIMITS)).toEqual({ empty: true, diagnostics: [] });
  });

  it("keeps `<<` as an ordinary key and unreferenced anchors harmless", () => {
    const r = root("<<: {a: 1}\nb: &x 2\n");
    expect(entry(r, "<<").kind).toBe("object");
    expect(entry(r, "b").kind).toBe("number");
  });

  it("bounds nesting depth and document size with diagnostics", () => {
    const deep = "a: " + "[".repeat(300) + "]".repeat(300) + "\n";
    expect(parseYaml(deep, "e", DEFAULT_LIMITS).diagnostics.map((d) => d.summary)).toEqual(["definition exceeds the maximum nesting depth of 200"]);
    expect(parseYaml("a: 1234567890\n", "e", { ...DEFAULT_LIMITS, maxDocumentBytes: 4 }).diagnostics.map((d) => d.summary))
      .toEqual(["definition exceeds the maximum size of 4 bytes"]);
  });
});

describe("accessor sub-ranges on non-ASCII lines", () => {
  it("count display cells before the accessor", async () => {
    const { quick } = await import("./testdata/harness.js");
    const r = await quick("values:\n  o: {}\n  a: é${o.x}\n  b: 日本${o.x}\n");
    expect(r.diags).toEqual([
      'env:3:10: error: unknown property "x" [values.a]',
      'env:4:13: error: unknown property "x" [values.b]',
    ]);
  });
});
