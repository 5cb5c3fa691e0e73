import { describe, expect, test } from "vitest";
import { canonicalJson, type CanonicalValue } from "./canonical-json.js";

describe("canonicalJson()", () => {
  test.each<[string, CanonicalValue, string]>([
    ["sorts keys at every depth", { b: 1, a: { d: [true, null], c: "x" } }, '{"a":{"c":"x","d":[true,null]},"b":1}'],
    ["escapes strings as JSON does", { "k\"ey": "line\nbreak \u2028 é" }, '{"k\\"ey":"line\\nbreak \u2028 é"}'],
    ["writes numbers in their shortest form; -0 as 0", [1.5, -0, 1e21, 12], "[1.5,0,1e+21,12]"],
    ["keeps array order", ["b", "a"], '["b","a"]'],
  ])("%s", (_, value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  test("refuses what JSON cannot carry exactly instead of dropping it", () => {
    expect(() => canonicalJson(Number.NaN)).toThrow("canonical json: NaN has no JSON form");
    expect(() => canonicalJson({ a: undefined } as unknown as CanonicalValue)).toThrow('canonical json: key "a" is undefined');
  });
});
