import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `mapping keys must be strings`", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("values:\n  true: x\n", {}, {}, [
      "env:2:3: error: mapping keys must be strings [values]"
    ], "null");
  });
});
