import { describe, expect, it } from "vitest";
import { evaluateEnvironment } from "./evaluate.js";
import { jsonOf, memoryLoader, quick, rot128, testProviders } from "./testdata/harness.js";

describe("imports (esc-language.md §3)", () => {
  it("merges in order: own values, last import, its imports, …, first import (import-merge)", async () => {
    const files = { a: "values: {some_object: {foo: bar}}", b: "values: {alpha: beta}", c: "imports: [b]\nvalues: {some_object: {baz: qux}}" };
    expect((await quick("imports: [a, c]\n", {}, files)).json).toBe('{"alpha":"beta","some_object":{"baz":"qux","foo":"bar"}}');
  });

  it("binds early: imported references never see the importer's overrides", async () => {
    const r = await quick("imports: [a]\nvalues: {x: 2}\n", {}, { a: "values: {x: 1, y: \"${x}\"}\n" });
    expect(r.json).toBe('{"x":2,"y":1}');
  });

  it("follows the overlay table of §8", async () => {
    const a = "values:\n  obj: {a: 1, n: {x: 1}}\n  sc: 1\n  arr: [1, 2]\n  objOverScalar: 1\n  scalarOverObj: {k: v}\n  nul: 5\n";
    const r = await quick("imports: [a]\nvalues:\n  obj: {b: 2, n: {y: 2}}\n  sc: 2\n  arr: [3]\n  objOverScalar: {k: v}\n  scalarOverObj: 3\n  nul: null\n", {}, { a });
    expect(r.json).toBe('{"arr":[3],"nul":null,"obj":{"a":1,"b":2,"n":{"x":1,"y":2}},"objOverScalar":{"k":"v"},"sc":2,"scalarOverObj":3}');
  });

  it("hides keys below an unknown import level in check mode (quirk 4, import-merge-2)", async () => {
    const files = { a: "values: {alpha: beta, some_object: {foo: bar}}", b: "values:\n  some_object: {fn::open::test: {beta: gamma}}\n" };
    const y = "imports: [a, b]\nvalues: {some_object: {baz: qux}}\n";
    expect((await quick(y, {}, files)).json).toBe('{"alpha":"beta","some_object":{"baz":"qux","beta":"gamma","foo":"bar"}}');
    expect((await quick(y, { mode: "check" }, files)).json).toBe('{"alpha":"beta","some_object":{"baz":"qux"}}');
  });

  it("exposes every import, merged or not, under imports (§3.5)", async () => {
    const files = { a: "values: {x: 1}", "proj/base": "values: {y: 2}", "base@v1.2": "values: {z: 3}" };
    const y = "imports: [a, {proj/base: {merge: false}}, {base@v1.2: {merge: false}}]\nvalues:\n  p: ${imports.proj/base.y}\n  q: ${imports[\"base@v1.2\"].z}\n  all: ${imports}\n";
    const r = await quick(y, {}, files);
    expect(r.json).toBe('{"all":{"a":{"x":1},"base@v1.2":{"z":3},"proj/base":{"y":2}},"p":2,"q":3,"x":1}');
  });

  it("passes name and version to the loader", async () => {
    const calls: string[] = [];
    await evaluateEnvironment("imports: [p/e@4, q]\n", { loader: memoryLoader({ "p/e@4": "values: {}", q: "values: {}" }, 0, calls) });
    expect(calls.sort()).toEqual(["p/e@4", "q"]);
  });

  it("produces no environment for an empty definition, an object for imports only", async () => {
    expect((await quick("")).r.environment).toBeNull();
    expect((await quick("imports: [a]\n", {}, { a: "" })).json).toBe("{}");
  });

  it("reports cycles at the import entry of the file that requested it", async () => {
    const r = await quick("imports: [a]\nvalues: {r: 1}\n", {}, { a: "imports: [b]\nvalues: {x: 1}", b: "imports: [a]\nvalues: {y: 2}" });
    expect(r.diags).toEqual(["b:1:11: error: cyclic import of a [imports[0]]"]);
    expect(r.json).toBe('{"r":1,"x":1,"y":2}');
  });

  it("reports a self import as a cycle of the root", async () => {
    const r = await quick("imports: [env]\nvalues: {r: 1}\n");
    expect(r.diags).toEqual(["env:1:11: error: cyclic import of env [imports[0]]"]);
  });

  it("evaluates each environment once but re-reports failed loads and parse errors at each request (quirk 24)", async () => {
    const files = { a: "imports: [missing, bad]\nvalues: {x: 1}", b: "imports: [missing, bad, a]\nvalues: {y: 1}", bad: "values: [1]" };
    const r = await quick("imports: [a, b]\n", {}, files);
    expect(r.diags).toEqual([
      'a:1:11: error: environment "missing" not found [imports[0]]',
      "bad:1:10: error: values must be an object [values]",
      'b:1:11: error: environment "missing" not found [imports[0]]',
      "bad:1:10: error: values must be an object [values]",
    ]);
    expect(r.json).toBe('{"x":1,"y":1}');
  });

  it("reports warnings of imported definitions with the imported environment's ranges", async () => {
    const r = await quick("imports: [a]\n", {}, { a: "valuez: {}\nvalues: {x: 1}" });
    expect(r.diags).toEqual(["a:1:1: warning: Field 'valuez' does not exist on Object 'environment'. Existing fields are: 'values', 'imports', 'description' [valuez]"]);
    expect(r.json).toBe('{"x":1}');
  });

  it("resolves inline environment references without merging (§6.6)", async () => {
    const files = { "proj/base": "values: {x: 5, o: {k: v}}" };
    const y = "values:\n  a: ${environments.proj.base.x}\n  b: ${environments.proj}\n  c: ${environments.proj.base}\n  d: ${environments.proj[0].x}\n";
    const r = await quick(y, {}, files);
    expect(r.json).toBe('{"a":5,"b":"[unknown]","c":{"o":{"k":"v"},"x":5},"d":"[unknown]"}');
    expect(r.diags).toEqual(["env:5:25: error: cannot access an object property using an integer index [values.d]"]);
  });

  it("reports an inline reference cycle as a cyclic import", async () => {
    const r = await evaluateEnvironment("values:\n  a: ${environments.p.e.x}\n", { name: "p/e", loader: memoryLoader({}) });
    expect(r.diagnostics.map((d) => d.summary)).toEqual(["cyclic import of p/e"]);
  });

  it("uses the loader's decrypter for ciphertext in that environment", async () => {
    const identity = { decrypt: (b: Uint8Array) => b };
    const loader = { load: async () => ({ yaml: "values:\n  t: {fn::secret: {ciphertext: ZXNjeAAAAAHo9e705fKyKo30VQ==}}\n", decrypter: rot128 }) };
    const r = await evaluateEnvironment("imports: [a]\n", { loader, decrypter: identity, providers: testProviders });
    expect(jsonOf(r, false)).toBe('{"t":"hunter2"}');
  });

  it("did-you-mean candidates come from the bottom of the import chain (quirk 22)", async () => {
    const r = await quick("imports: [a]\nvalues:\n  mine: 1\n  r: ${mien}\n  s: ${bsz}\n", {}, { a: "values: {baz: 1}\n" });
    expect(r.diags).toEqual(['env:4:8: error: unknown property "mien" [values.r]', 'env:5:8: error: unknown property "bsz"; did you mean "baz"? [values.s]']);
  });
});
