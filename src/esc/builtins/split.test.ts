import { describe, expect, it } from "vitest";
import { quick } from "../testdata/harness.js";
import { goSplit } from "./split.js";

describe("fn::split", () => {
  it("follows Go strings.Split", () => {
    expect(goSplit("a,,b", ",")).toEqual(["a", "", "b"]);
    expect(goSplit("abc", ",")).toEqual(["abc"]);
    expect(goSplit("", ",")).toEqual([""]);
    expect(goSplit("", "")).toEqual([]);
    expect(goSplit("h😀é", "")).toEqual(["h", "😀", "é"]);
  });

  it("returns an array of strings; elements of a secret split are not secret (quirk 2)", async () => {
    const r = await quick("values:\n  s: {fn::secret: \"a,b\"}\n  p: {fn::split: [\",\", \"${s}\"]}\n  e: ${p[0]}\n");
    expect(r.json).toBe('{"e":"a","p":"[secret]","s":"[secret]"}');
  });

  it("type-checks both arguments", async () => {
    const r = await quick("values:\n  p: {fn::split: [[x], 2]}\n");
    expect(r.diags).toEqual([
      'env:2:20: error: expected string, got array [values.p["fn::split"][0]]',
      'env:2:24: error: expected string, got number [values.p["fn::split"][1]]',
    ]);
  });

  it("is unknown, shaped as an array of strings, when the string is unknown", async () => {
    const r = await quick("values:\n  o: {fn::open::test: {v: \"a,b\"}}\n  p: {fn::split: [\",\", \"${o.v}\"]}\n  q: ${p.x}\n", { mode: "check" });
    expect(r.diags).toEqual(["env:4:9: error: cannot access an array element using a property name [values.q]"]);
  });
});
