import { describe, expect, it } from "vitest";
import { quick } from "../testdata/harness.js";

describe("fn::concat", () => {
  it("concatenates arrays without flattening further", async () => {
    const r = await quick("values:\n  a: {fn::concat: [[1, 2], [], [[3]]]}\n  b: {fn::concat: []}\n");
    expect(r.json).toBe('{"a":[1,2,[3]],"b":[]}');
  });

  it("keeps each item's own flags; one secret item redacts the whole result", async () => {
    const r = await quick("values:\n  s: {fn::secret: x}\n  c: {fn::concat: [[\"${s}\"], [y]]}\n  i: ${c[1]}\n  j: ${c[0]}\n");
    expect(r.json).toBe('{"c":"[secret]","i":"y","j":"[secret]","s":"[secret]"}');
  });

  it("evaluates a reference argument despite the parse error (quirk 27)", async () => {
    const r = await quick("values:\n  l: [[1], [2]]\n  c: {fn::concat: \"${l}\"}\n");
    expect(r.json).toBe('{"c":[1,2],"l":[[1],[2]]}');
    expect(r.diags).toEqual(['env:3:19: error: the argument to fn::concat must be an array of arrays [values.c["fn::concat"]]']);
  });

  it("reports non-array elements", async () => {
    const r = await quick("values:\n  c: {fn::concat: [1, [2]]}\n");
    expect(r.diags).toEqual(['env:2:20: error: expected array, got number [values.c["fn::concat"][0]]']);
    expect(r.json).toBe('{"c":"[unknown]"}');
  });
});
