import { describe, expect, it } from "vitest";
import { decodeBase64 } from "../base64.js";
import { quick } from "../testdata/harness.js";

const dec = (s: string): string => {
  const r = decodeBase64(new TextEncoder().encode(s));
  return "error" in r ? r.error : new TextDecoder().decode(r.bytes);
};

describe("fn::fromBase64", () => {
  it("decodes standard base64, skipping CR/LF, lenient about low bits", async () => {
    expect(dec("aGVs\nbG8=")).toBe("hello");
    expect(dec("YR==")).toBe("a");
    expect(dec("")).toBe("");
    const r = await quick("values:\n  a: {fn::fromBase64: aGVsbG8sd29ybGQ=}\n");
    expect(r.json).toBe('{"a":"hello,world"}');
  });

  it("reports Go's error offsets", () => {
    expect(dec("YQ")).toBe("illegal base64 data at input byte 0");
    expect(dec("YWJjZA")).toBe("illegal base64 data at input byte 4");
    expect(dec("YQ=")).toBe("illegal base64 data at input byte 3");
    expect(dec("YQ==YQ==")).toBe("illegal base64 data at input byte 4");
    expect(dec("Y===")).toBe("illegal base64 data at input byte 1");
    expect(dec("YQ=x")).toBe("illegal base64 data at input byte 2");
  });
});
