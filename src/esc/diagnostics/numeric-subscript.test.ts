import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `numeric subscript must be a positive base-10 integer` (becomes a string key)", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("values:\n  f: ${a[b]}\n  a: {b: 2}\n", {}, {}, [
      "env:2:10: error: numeric subscript must be a positive base-10 integer [values.f]"
    ], "{\"a\":{\"b\":2},\"f\":2}");
  });
});
