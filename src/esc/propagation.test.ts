import { describe, expect, it } from "vitest";
import { quick } from "./testdata/harness.js";

// Each case: a builtin (or interpolation) applied to "${X}", where X is a JSON string `"a"` or the base64 `YQ==`.
const CASES: Array<[string, (x: string, b: string) => string, string]> = [
  ["interpolation", (x) => `"pre \${${x}}"`, '"pre \\"a\\""'],
  ["reference", (x) => `"\${${x}}"`, '"\\"a\\""'],
  ["fn::join", (x) => `{fn::join: [",", ["\${${x}}", z]]}`, '"\\"a\\",z"'],
  ["fn::split", (x) => `{fn::split: ["a", "\${${x}}"]}`, '["\\"","\\""]'],
  ["fn::concat", (x) => `{fn::concat: [["\${${x}}"], [z]]}`, '["\\"a\\"","z"]'],
  ["fn::toJSON", (x) => `{fn::toJSON: ["\${${x}}"]}`, '"[\\"\\\\\\"a\\\\\\"\\"]"'],
  ["fn::fromJSON", (x) => `{fn::fromJSON: "\${${x}}"}`, '"a"'],
  ["fn::toBase64", (x) => `{fn::toBase64: "\${${x}}"}`, '"ImEi"'],
  ["fn::fromBase64", (_x, b) => `{fn::fromBase64: "\${${b}}"}`, '"a"'],
  ["fn::toString", (x) => `{fn::toString: ["\${${x}}"]}`, '"\\"\\\\\\"a\\\\\\"\\""'],
  ["fn::final", (x) => `{fn::final: ["\${${x}}"]}`, '["\\"a\\""]'],
  ["fn::validate", (x) => `{fn::validate: {schema: {type: string}, value: "\${${x}}"}}`, '"\\"a\\""'],
  ["fn::open (echo)", (x) => `{fn::open::test: {v: "\${${x}}"}}`, '{"v":"\\"a\\""}'],
];

const SOURCES = "  sj: {fn::secret: '\"a\"'}\n  sb: {fn::secret: YQ==}\n  o: {fn::open::test: {j: '\"a\"', b: YQ==}}\n  pj: '\"a\"'\n  pb: YQ==\n";

describe("secret and unknown propagation (esc-language.md §9, §13)", () => {
  for (const [name, expr, revealed] of CASES) {
    it(`${name}: plain input stays plain`, async () => {
      const r = await quick(`values:\n${SOURCES}  r: ${expr("pj", "pb")}\n`);
      expect(r.diags).toEqual([]);
      expect(JSON.stringify((JSON.parse(r.json) as { r: unknown }).r)).toBe(revealed);
    });
    it(`${name}: a secret input makes the result secret`, async () => {
      const r = await quick(`values:\n${SOURCES}  r: ${expr("sj", "sb")}\n`);
      expect(r.diags).toEqual([]);
      const red = (JSON.parse(r.json) as { r: unknown }).r;
      // the echo provider keeps per-value flags: the secret member is redacted, not the object
      expect(JSON.stringify(red)).toBe(name === "fn::open (echo)" ? '{"v":"[secret]"}' : '"[secret]"');
      expect(JSON.stringify((JSON.parse(r.revealed) as { r: unknown }).r)).toBe(revealed);
    });
    it(`${name}: an unknown input makes the result unknown (check mode)`, async () => {
      const r = await quick(`values:\n${SOURCES}  r: ${expr("o.j", "o.b")}\n`, { mode: "check" });
      expect(r.diags).toEqual([]);
      expect((JSON.parse(r.revealed) as { r: unknown }).r).toBe("[unknown]");
    });
  }

  it("a secret inside an interpolated object counts only for own keys (§10.1)", async () => {
    const r = await quick("imports: [a]\nvalues:\n  o: {x: 1}\n  i: \"v ${o}\"\n", {}, { a: "values:\n  o: {s: {fn::secret: p}}\n" });
    expect(r.json).toBe('{"i":"v \\"x\\"=\\"1\\"","o":{"s":"[secret]","x":1}}');
  });

  it("a reference copies the target's flags deeply; overriding changes secret-ness per value", async () => {
    const r = await quick("imports: [a]\nvalues:\n  s: plain\n  o: {p: \"${t}\"}\n", {}, { a: "values:\n  s: {fn::secret: x}\n  t: {fn::secret: y}\n" });
    expect(r.json).toBe('{"o":{"p":"[secret]"},"s":"plain","t":"[secret]"}');
  });

  it("an unknown interpolation exports the value \"[unknown]\" (quirk 21)", async () => {
    const r = await quick("values:\n  o: {fn::open::test: {v: 1}}\n  i: \"x${o.v}\"\n  j: ${i}\n", { mode: "check" });
    const p = r.r.environment?.properties;
    expect([p?.["i"]?.value, p?.["i"]?.unknown, p?.["j"]?.value, p?.["o"]?.value]).toEqual(["[unknown]", true, "[unknown]", null]);
  });
});
