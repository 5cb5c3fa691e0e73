import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `values must be an object` (empty `values:` is null)", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("values:\n", {}, {}, [
      "env:1:8: error: values must be an object [values]"
    ], "null");
  });
});
