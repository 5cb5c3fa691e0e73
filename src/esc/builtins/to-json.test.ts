import { describe, expect, it } from "vitest";
import { quick } from "../testdata/harness.js";

describe("fn::toJSON", () => {
  it("writes compact Go JSON with byte-ordered keys and HTML escaping", async () => {
    const r = await quick("values:\n  a: {fn::toJSON: {b: \"x<y\", a: [1, 1.5, true, null], \"10\": \"\\u2028&>\"}}\n");
    expect(r.revealed).toBe(JSON.stringify({ a: '{"10":"\\u2028\\u0026\\u003e","a":[1,1.5,true,null],"b":"x\\u003cy"}' }));
  });

  it("includes inherited keys and reveals secrets inside a secret result", async () => {
    const r = await quick("imports: [a]\nvalues:\n  o: {x: 1}\n  s: {fn::secret: p}\n  j: {fn::toJSON: \"${o}\"}\n  k: {fn::toJSON: [\"${s}\"]}\n", {}, { a: "values: {o: {y: 2}}\n" });
    expect(r.json).toBe('{"j":"{\\"x\\":1,\\"y\\":2}","k":"[secret]","o":{"x":1,"y":2},"s":"[secret]"}');
    expect(r.revealed).toContain('"k":"[\\"p\\"]"');
  });

  it("reports non-JSON numbers", async () => {
    const r = await quick("values:\n  a: {fn::toJSON: -.inf}\n");
    expect(r.diags).toEqual(['env:2:7: error: failed to encode JSON: json: invalid number literal "-Inf" [values.a]']);
  });
});
