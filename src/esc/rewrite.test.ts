import { describe, expect, it } from "vitest";
import { applyRotationPatches, decryptDefinition, encryptDefinition, parseDocPath } from "./rewrite.js";
import { quick } from "./testdata/harness.js";

const rot = (b: Uint8Array): Uint8Array => b.map((x) => (x + 128) & 255);

describe("definition rewrites (esc-language.md §14.3, §16.2)", () => {
  const source = "# top comment\nvalues:\n  a: {fn::secret: pa$$word} # kept\n  b:\n    fn::secret: \"${x}\"\n  n: {fn::secret: 42}\n  l: [{fn::secret: [1]}]\nother: {fn::secret: outside}\n";

  it("encrypts every string fn::secret, raw text, keeping comments (quirk 15)", async () => {
    const r = await encryptDefinition(source, rot);
    if (!("text" in r)) throw new Error(r.error);
    expect(r.text).toContain("# top comment");
    expect(r.text).toContain("# kept");
    expect(r.text).not.toContain("pa$$word");
    expect(r.text).toContain("fn::secret: 42");
    expect((r.text.match(/ciphertext/g) ?? []).length).toBe(3);
    const ev = await quick(r.text);
    expect(JSON.parse(ev.revealed)).toMatchObject({ a: "pa$$word", b: "${x}", n: "" });
  });

  it("decrypts ciphertexts under values for display, leaving others", async () => {
    const enc = await encryptDefinition(source, rot);
    if (!("text" in enc)) throw new Error(enc.error);
    const dec = await decryptDefinition(enc.text, rot);
    if (!("text" in dec)) throw new Error(dec.error);
    expect(dec.text).toContain("pa$$word");
    expect(dec.text).not.toContain("outside");
    expect((dec.text.match(/ciphertext/g) ?? []).length).toBe(1);
    expect(await decryptDefinition(enc.text, () => { throw new Error("no key"); })).toEqual({ error: "decrypting: no key" });
  });

  it("parses document paths", () => {
    expect(parseDocPath('values.r["fn::rotate::swap"].state')).toEqual(["values", "r", "fn::rotate::swap", "state"]);
    expect(parseDocPath('values.examples.deeply.nested[0]["quoted \\"property\\""].path')).toEqual(["values", "examples", "deeply", "nested", 0, 'quoted "property"', "path"]);
  });

  it("writes rotated state back, wrapping secrets", async () => {
    const y = "values:\n  r: {fn::rotate::swap: {inputs: {}, state: {a: x, b: y}}}\n";
    const rotated = await quick(y, { mode: "rotate" });
    const r = applyRotationPatches(y, rotated.r.patches);
    if (!("text" in r)) throw new Error(r.error);
    expect(r.text).toBe("values:\n  r: { fn::rotate::swap: { inputs: {}, state: { a: y, b: x } } }\n");
    const { secret, toValue } = await import("./public-value.js");
    const s = applyRotationPatches(y, [{ path: 'values.r["fn::rotate::swap"].state', replacement: toValue({ a: secret("s"), b: "t", n: secret({ k: 1 }) }) }]);
    if (!("text" in s)) throw new Error(s.error);
    expect(s.text).toContain("state: { a: { fn::secret: s }, b: t, n: { fn::fromJSON: { fn::secret: '{\"k\":1}' } } }");
    const back = await quick(s.text);
    expect(back.r.diagnostics).toEqual([]);
    expect(back.revealed).toBe('{"r":{"a":"s","b":"t","n":{"k":1}}}');
  });
});
