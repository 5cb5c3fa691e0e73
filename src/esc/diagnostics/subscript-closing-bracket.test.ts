import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `subscript is missing closing bracket ']'`", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("values:\n  a: [x]\n  b: ${a[0}\n", {}, {}, [
      "env:3:9: error: subscript is missing closing bracket ']' [values.b]"
    ], "{\"a\":[\"x\"],\"b\":\"x\"}");
  });
});
