import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `failed to encode JSON: json: invalid number literal \"\u2026\"`", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("values:\n  a: {fn::toJSON: [.inf]}\n  b: {fn::toJSON: {x: .nan}}\n", {}, {}, [
      "env:2:7: error: failed to encode JSON: json: invalid number literal \"+Inf\" [values.a]",
      "env:3:7: error: failed to encode JSON: json: invalid number literal \"NaN\" [values.b]"
    ], "{\"a\":\"[unknown]\",\"b\":\"[unknown]\"}");
  });
});
