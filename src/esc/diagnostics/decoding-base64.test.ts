import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `decoding base64 string: \u2026`", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("values:\n  a: {fn::fromBase64: YQ}\n  b: {fn::fromBase64: YWJjZA}\n  c: {fn::fromBase64: YQ=}\n  d: {fn::fromBase64: 'a$=='}\n", {}, {}, [
      "env:2:7: error: decoding base64 string: illegal base64 data at input byte 0 [values.a]",
      "env:3:7: error: decoding base64 string: illegal base64 data at input byte 4 [values.b]",
      "env:4:7: error: decoding base64 string: illegal base64 data at input byte 3 [values.c]",
      "env:5:7: error: decoding base64 string: illegal base64 data at input byte 1 [values.d]"
    ], "{\"a\":\"[unknown]\",\"b\":\"[unknown]\",\"c\":\"[unknown]\",\"d\":\"[unknown]\"}");
  });
});
