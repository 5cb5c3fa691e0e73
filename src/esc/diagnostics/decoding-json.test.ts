import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `decoding JSON string: \u2026`", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("values:\n  a: {fn::fromJSON: ''}\n  b: {fn::fromJSON: '{\"a\" 1}'}\n  c: {fn::fromJSON: '[1'}\n", {}, {}, [
      "env:2:7: error: decoding JSON string: EOF [values.a]",
      "env:3:7: error: decoding JSON string: invalid character '1' after object key [values.b]",
      "env:4:7: error: decoding JSON string: unexpected EOF [values.c]"
    ], "{\"a\":\"[unknown]\",\"b\":\"[unknown]\",\"c\":\"[unknown]\"}");
  });
});
