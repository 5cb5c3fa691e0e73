import { describe, expect, it } from "vitest";
import { quick } from "../testdata/harness.js";

describe("fn::final", () => {
  it("does not restrict the defining environment and is not shown", async () => {
    const r = await quick("values:\n  a: {fn::final: 1}\n  b: \"${a}\"\n");
    expect(r.json).toBe('{"a":1,"b":1}');
    expect(r.diags).toEqual([]);
  });

  it("is copied by references: overriding the copy warns too", async () => {
    const r = await quick("imports: [x]\nvalues:\n  b: 2\n", {}, { x: "values:\n  a: {fn::final: 1}\n  b: ${a}\n" });
    expect(r.json).toBe('{"a":1,"b":1}');
    expect(r.diags).toEqual(["env:3:6: warning: cannot override final value [values.b]"]);
  });

  it("is bypassed by sibling imports, reference results, non-object overrides and arrays (quirk 17)", async () => {
    const files = { x: "values:\n  f: {fn::final: 1}\n  o: {k: {fn::final: v}}\n  l: [{fn::final: 1}]\n", y: "values:\n  f: 2\n" };
    const r = await quick("imports: [x, y]\nvalues:\n  r: 3\n  o: text\n  l: [4]\n", {}, files);
    expect(r.json).toBe('{"f":2,"l":[4],"o":"text","r":3}');
    expect(r.diags).toEqual([]);
  });

  it("makes the whole result unknown when one member is unknown (quirk 20)", async () => {
    const r = await quick("values:\n  o: {fn::open::test: {v: 1}}\n  f: {fn::final: {a: 1, b: \"${o.v}\"}}\n  g: ${f.a}\n", { mode: "check" });
    expect(r.json).toBe('{"f":"[unknown]","g":"[unknown]","o":"[unknown]"}');
  });

  it("redacts the whole result when one member is secret; accessors keep member flags", async () => {
    const r = await quick("values:\n  s: {fn::secret: p}\n  f: {fn::final: {a: 1, b: \"${s}\"}}\n  g: ${f.a}\n");
    expect(r.json).toBe('{"f":"[secret]","g":1,"s":"[secret]"}');
  });
});
