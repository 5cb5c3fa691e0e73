import { describe, expect, it } from "vitest";
import { quick } from "../testdata/harness.js";

describe("fn::join", () => {
  it("joins strings with the delimiter; [] gives \"\"", async () => {
    const r = await quick("values:\n  a: {fn::join: [\"-\", [x, y, z]]}\n  b: {fn::join: [\",\", []]}\n  l: [p, q]\n  c: {fn::join: [\"\", \"${l}\"]}\n");
    expect(r.json).toBe('{"a":"x-y-z","b":"","c":"pq","l":["p","q"]}');
    expect(r.diags).toEqual([]);
  });

  it("does not coerce numbers or booleans", async () => {
    const r = await quick("values:\n  a: {fn::join: [1, [true]]}\n");
    expect(r.diags).toEqual([
      'env:2:18: error: expected string, got number [values.a["fn::join"][0]]',
      'env:2:22: error: expected string, got boolean [values.a["fn::join"][1][0]]',
    ]);
    expect(r.json).toBe('{"a":"[unknown]"}');
  });

  it("is secret when an element is secret and unknown when one is unknown", async () => {
    const r = await quick("values:\n  s: {fn::secret: x}\n  a: {fn::join: [\",\", [\"${s}\", y]]}\n  o: {fn::open::test: {v: z}}\n  b: {fn::join: [\",\", [\"${o.v}\"]]}\n", { mode: "check" });
    expect(r.json).toBe('{"a":"[secret]","b":"[unknown]","o":"[unknown]","s":"[secret]"}');
    expect(r.revealed).toBe('{"a":"x,y","b":"[unknown]","o":"[unknown]","s":"x"}');
  });
});
