import { describe, expect, it } from "vitest";
import { quick } from "../testdata/harness.js";

describe("fn::toBase64", () => {
  it("encodes the UTF-8 bytes with padding", async () => {
    const r = await quick("values:\n  a: {fn::toBase64: \"hello,world\"}\n  b: {fn::toBase64: é}\n  c: {fn::toBase64: ''}\n");
    expect(r.json).toBe('{"a":"aGVsbG8sd29ybGQ=","b":"w6k=","c":""}');
  });

  it("rejects numbers (no coercion) and propagates secrets", async () => {
    const r = await quick("values:\n  a: {fn::toBase64: 42}\n  s: {fn::secret: x}\n  b: {fn::toBase64: \"${s}\"}\n");
    expect(r.diags).toEqual(['env:2:21: error: expected string, got number [values.a["fn::toBase64"]]']);
    expect(r.json).toBe('{"a":"[unknown]","b":"[secret]","s":"[secret]"}');
    expect(r.revealed).toContain('"b":"eA=="');
  });
});
