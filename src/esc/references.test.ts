import { describe, expect, it } from "vitest";
import { quick } from "./testdata/harness.js";

describe("references (esc-language.md §6)", () => {
  it("has no values. prefix: ${values.x} looks for a key named values", async () => {
    const r = await quick("values:\n  x: 1\n  y: ${values.x}\n");
    expect(r.diags).toEqual(['env:3:8: error: unknown property "values" [values.y]']);
  });

  it("walks literals without evaluating their other members", async () => {
    const r = await quick("values:\n  a: {p: \"${a.q}\", q: x, r: \"${a.p}\"}\n");
    expect(r.json).toBe('{"a":{"p":"x","q":"x","r":"x"}}');
    expect(r.diags).toEqual([]);
  });

  it("applies the remaining accessors to the value of a non-literal expression", async () => {
    const r = await quick("values:\n  j: {fn::fromJSON: '{\"a\": [1, {\"b\": 2}]}'}\n  x: ${j.a[1].b}\n  s: {fn::split: [\",\", \"p,q\"]}\n  y: ${s[1]}\n");
    expect(r.json).toBe('{"j":{"a":[1,{"b":2}]},"s":["p","q"],"x":2,"y":"q"}');
  });

  it("yields a number for a bare reference and a string for an interpolation", async () => {
    const r = await quick("values:\n  n: 3\n  a: ${n}\n  b: \"${n} \"\n  c: \"${n}${n}\"\n");
    expect(r.json).toBe('{"a":3,"b":"3 ","c":"33","n":3}');
  });

  it("continues a missing key into an unknown base silently, but not into a scalar base", async () => {
    const files = { a: "values:\n  o: {fn::open::test: {x: 1}}\n  s: text\n" };
    const r = await quick("imports: [a]\nvalues:\n  o: {y: 2}\n  s: {y: 2}\n  p: ${o.zz}\n  q: ${s.zz}\n", { mode: "check" }, files);
    expect(r.diags).toEqual(['env:6:9: error: unknown property "zz" [values.q]']);
    expect(r.json).toBe('{"o":{"y":2},"p":"[unknown]","q":"[unknown]","s":{"y":2}}');
  });

  it("reads accessors with quoted keys, integer indices and names after subscripts", async () => {
    const r = await quick("values:\n  o: {\"with-hyphen\": [{k: v}], \"x.y\": 1, \"q\\\"\": 2}\n  a: ${o[\"with-hyphen\"][0]k}\n  b: ${o[\"x.y\"]}\n  c: '${o[\"q\\\"\"]}'\n");
    expect(r.json).toBe('{"a":"v","b":1,"c":2,"o":{"q\\"":2,"with-hyphen":[{"k":"v"}],"x.y":1}}');
  });

  it("passes through a plaintext secret literal while walking (§6.2)", async () => {
    const r = await quick("values:\n  s: {fn::secret: x}\n  a: ${s.y}\n");
    expect(r.diags).toEqual(["env:3:9: error: receiver must be an array or an object [values.a]"]);
  });

  it("reports cycles through references of references", async () => {
    const r = await quick("values:\n  a: ${b}\n  b: ${c}\n  c: ${a}\n");
    expect(r.diags).toEqual(["env:2:6: error: cyclic reference to a [values.a]"]);
    expect(r.json).toBe('{"a":"[unknown]","b":"[unknown]","c":"[unknown]"}');
  });

  it("reads the execution context (§15)", async () => {
    const r = await quick("values:\n  u: ${context.pulumi.user.login}\n  c: ${context.currentEnvironment}\n", { context: { pulumi: { user: { login: "ana" } } } });
    expect(r.json).toBe('{"c":{"name":"env"},"u":"ana"}');
    expect(r.r.environment?.executionContext.properties["rootEnvironment"]?.value).toEqual({ name: expect.anything() });
  });

  it("rejects reserved context keys from the host", async () => {
    const r = await quick("values:\n  x: 1\n", { context: { currentEnvironment: { name: "x" } } });
    expect(r.diags).toEqual(['env: error: reserved context key: "currentEnvironment"']);
  });
});
