import { describe, expect, it } from "vitest";
import { evaluateEnvironment } from "../evaluate.js";
import { createPluginRegistry } from "../plugin.js";
import { plain, secret } from "../public-value.js";
import { jsonOf, memoryLoader, quick } from "../testdata/harness.js";

describe("fn::open", () => {
  it("calls the provider in open mode and yields unknown in check mode (§14.2 example)", async () => {
    const y = "values:\n  open: {fn::open::test: {foo: bar}}\n  ref: ${open.foo}\n";
    expect((await quick(y)).json).toBe('{"open":{"foo":"bar"},"ref":"bar"}');
    expect((await quick(y, { mode: "check" })).json).toBe('{"open":"[unknown]","ref":"[unknown]"}');
  });

  it("accepts the long form", async () => {
    const r = await quick("values:\n  o: {fn::open: {provider: test, inputs: {a: 1}, ignored: \"${nope}\"}}\n");
    expect(r.json).toBe('{"o":{"a":1}}');
    expect(r.diags).toEqual([]);
  });

  it("passes inherited keys of referenced inputs (merged view)", async () => {
    const r = await quick("imports: [a]\nvalues:\n  obj: {a: 1}\n  o: {fn::open::test: \"${obj}\"}\n", {}, { a: "values: {obj: {b: 2}}\n" });
    expect(r.json).toBe('{"o":{"a":1,"b":2},"obj":{"a":1,"b":2}}');
  });

  it("keeps per-value secret flags when the provider echoes its inputs", async () => {
    const r = await quick("values:\n  pw: {fn::secret: hunter2}\n  o: {fn::open::test: {p: \"${pw}\", u: ana}}\n");
    expect(r.json).toBe('{"o":{"p":"[secret]","u":"ana"},"pw":"[secret]"}');
  });

  it("makes every nested node secret when the provider marks its output secret", async () => {
    const providers = createPluginRegistry([{ providers: { creds: { open: () => secret({ key: "k", nested: { id: 1 } }) } } }]);
    const r = await evaluateEnvironment("values:\n  c: {fn::open::creds: {}}\n  k: ${c.nested.id}\n", { providers });
    expect(jsonOf(r)).toBe('{"c":"[secret]","k":"[secret]"}');
    expect(jsonOf(r, false)).toBe('{"c":{"key":"k","nested":{"id":1}},"k":1}');
  });

  it("does not call the provider when the inputs contain unknowns", async () => {
    const calls: unknown[] = [];
    const providers = createPluginRegistry([{ providers: { count: { open: (i) => { calls.push(plain(i)); return "x"; } } } }]);
    const r = await evaluateEnvironment("values:\n  a: {fn::open::count: {v: \"${b.missing}\"}}\n  b: {}\n", { providers });
    expect(calls).toEqual([]);
    expect(jsonOf(r)).toBe('{"a":"[unknown]","b":{}}');
  });

  it("reports non-object inputs instead of crashing", async () => {
    const r = await quick("values:\n  a: {fn::open::test: [1]}\n");
    expect(r.diags).toEqual(["env:2:7: error: provider inputs must be an object [values.a]"]);
  });

  it("reports a provider error verbatim on the call (open only)", async () => {
    const y = "values:\n  a: {fn::open::error: {}}\n";
    expect((await quick(y)).diags).toEqual(["env:2:7: error: testing [values.a]"]);
    expect((await quick(y, { mode: "check" })).diags).toEqual([]);
  });

  it("checks inputs against the input schema in check mode too", async () => {
    const r = await quick("values:\n  a: {fn::open::schema: {n: 3}}\n", { mode: "check" });
    expect(r.diags).toEqual(['env:2:29: error: expected a multiple of 2 [values.a["fn::open::schema"].n]']);
  });

  it("shapes the unknown check-mode result by the output schema", async () => {
    const r = await quick("values:\n  a: {fn::open::schema: {n: 2}}\n  b: ${a.list[1]}\n  c: ${a.pi.x}\n  d: ${a.other.deep}\n", { mode: "check" });
    expect(r.diags).toEqual([
      "env:3:14: error: array index 1 out-of-bounds for array of length 1 [values.b]",
      "env:4:12: error: receiver must be an array or an object [values.c]",
    ]);
  });

  it("loads imports through the same loader as the root", async () => {
    const r = await evaluateEnvironment("imports: [a]\nvalues: {}\n", { loader: memoryLoader({ a: "values:\n  o: {fn::open::x: {}}\n" }) });
    expect(r.diagnostics.map((d) => d.summary)).toEqual(['unknown provider "x"']);
  });
});
