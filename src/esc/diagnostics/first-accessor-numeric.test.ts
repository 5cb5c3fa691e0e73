import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `the first accessor must be a property name or key subscript, not a numeric subscript`", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("values:\n  e: ${[2]}\n", {}, {}, [
      "env:2:8: error: the first accessor must be a property name or key subscript, not a numeric subscript [values.e]",
      "env:2:8: error: cannot access an object property using an integer index [values.e]"
    ], "{\"e\":\"[unknown]\"}");
  });
});
