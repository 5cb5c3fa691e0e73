import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `alias nodes are not supported`", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("values:\n  a: &x 1\n  b: *x\n", {}, {}, [
      "env:3:6: error: alias nodes are not supported [values.b]"
    ], "null");
  });
});
