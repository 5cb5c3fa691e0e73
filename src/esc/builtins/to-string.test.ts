import { describe, expect, it } from "vitest";
import { quick } from "../testdata/harness.js";

describe("fn::toString", () => {
  it("follows §10.1 examples", async () => {
    const r = await quick("values:\n  a: {fn::toString: [hello, world]}\n  b: {fn::toString: {b: true, a: null}}\n  c: {fn::toString: {d: [hello], c: 42}}\n  d: {fn::toString: {x: {y: z}}}\n  e: {fn::toString: 1.5}\n");
    expect(JSON.parse(r.json)).toEqual({
      a: '"hello","world"', b: '"a"="","b"="true"', c: '"c"="42","d"="\\"hello\\""', d: '"x"="\\"y\\"=\\"z\\""', e: "1.5",
    });
  });

  it("omits inherited keys, which then cannot make it secret or unknown (quirk 1)", async () => {
    const r = await quick("imports: [a]\nvalues:\n  o: {x: 1}\n  t: {fn::toString: \"${o}\"}\n", {}, { a: "values:\n  o: {s: {fn::secret: p}}\n" });
    expect(r.json).toBe('{"o":{"s":"[secret]","x":1},"t":"\\"x\\"=\\"1\\""}');
  });

  it("is secret when a visited node is secret", async () => {
    const r = await quick("values:\n  s: {fn::secret: p}\n  t: {fn::toString: [\"${s}\"]}\n");
    expect(r.json).toBe('{"s":"[secret]","t":"[secret]"}');
    expect(r.revealed).toBe('{"s":"p","t":"\\"p\\""}');
  });
});
